package dev.northwind.lakehouse.bronze;

/** Outcome of one table in one Bronze run, as recorded in {@code bronze._runs}. */
public enum TableStatus {
  /** A commit was written and its row count reconciled with the source snapshot. */
  SUCCEEDED,
  /** Nothing was committed: the table keeps its previous version. */
  FAILED,
  /** An incremental table had no new rows: nothing was written (no empty commit). */
  UNCHANGED
}
