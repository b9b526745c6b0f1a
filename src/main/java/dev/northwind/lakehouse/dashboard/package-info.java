/**
 * The dashboard over the Gold tables: {@link dev.northwind.lakehouse.dashboard.DashboardData} reads
 * them into a JSON document (bounded: the scatter plot is a capped deterministic sample, the
 * recency histogram is aggregated in Spark), {@link
 * dev.northwind.lakehouse.dashboard.DashboardServer} serves the page and read-only JSON with the
 * JDK's HTTP server, and {@link dev.northwind.lakehouse.dashboard.DashboardExport} writes one
 * self-contained HTML file. The page (resources {@code dashboard/index.html} after the head it
 * shares with {@code pipeline.html}, {@code head.html}; {@code dashboard.js}, {@code
 * dashboard.css}) uses ECharts from the webjar and needs no network.
 */
package dev.northwind.lakehouse.dashboard;
