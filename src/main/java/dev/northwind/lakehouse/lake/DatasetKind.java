package dev.northwind.lakehouse.lake;

/**
 * What a declared dataset is, in the vocabulary of declarative pipelines (Spark Declarative
 * Pipelines, Lakeflow): how its content relates to its inputs.
 */
public enum DatasetKind {
  /** A copy of a source table as of the last ingestion (Bronze full tables). */
  SNAPSHOT("snapshot"),
  /**
   * Append-only: rows are added by flows and never rewritten (streamed events, run logs,
   * incremental Bronze).
   */
  STREAMING_TABLE("streaming table"),
  /**
   * Kept equal to a query over its inputs by MERGE of changed keys (Silver dimensions and facts).
   */
  MERGED_TABLE("merged table"),
  /** The result of a query over its inputs, refreshed when they change (Gold). */
  MATERIALIZED_VIEW("materialized view"),
  /** A named intermediate query that is never stored (Gold's shared bases). */
  VIEW("view");

  private final String label;

  DatasetKind(String label) {
    this.label = label;
  }

  /** How the kind is printed, e.g. {@code materialized view}. */
  public String label() {
    return label;
  }
}
