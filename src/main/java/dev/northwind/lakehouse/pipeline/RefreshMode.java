package dev.northwind.lakehouse.pipeline;

/** How the runner treats datasets whose inputs did not change. */
public enum RefreshMode {
  /** Refresh only what is stale: a dataset whose inputs did not move is skipped. */
  INCREMENTAL,
  /**
   * Refresh every selected dataset whatever was recorded. Gold is recomputed from Silver; Silver
   * re-merges all of Bronze (idempotent: it keeps dim_customer's history rather than truncating
   * it); Bronze re-reads the source.
   */
  FULL_REFRESH
}
