/**
 * What the pipeline looks like now, for people: every dataset's freshness, the last runs, the
 * stream's and CDC's lag and what the expectations caught. Read mostly from lake metadata ({@code
 * _delta_log} listings and the runner's refresh records); the few small log tables are read with
 * Spark, once per table version. Shown by {@code lakehouse status} and the dashboard's Pipeline
 * page.
 */
package dev.northwind.lakehouse.status;
