package dev.northwind.lakehouse.lake;

import java.util.Locale;

/**
 * What a declared dataset is, in the vocabulary of declarative pipelines (Spark Declarative
 * Pipelines, Lakeflow): how its content relates to its inputs.
 */
public enum DatasetKind {
  /** A copy of a source table as of the last ingestion (Bronze full tables). */
  SNAPSHOT,
  /**
   * Append-only: rows are added by flows and never rewritten (streamed events, run logs,
   * incremental Bronze).
   */
  STREAMING_TABLE,
  /**
   * Kept equal to a query over its inputs by MERGE of changed keys (Silver dimensions and facts).
   */
  MERGED_TABLE,
  /** The result of a query over its inputs, refreshed when they change (Gold). */
  MATERIALIZED_VIEW,
  /** A named intermediate query that is never stored (Gold's shared bases). */
  VIEW;

  /**
   * How the kind is printed: its name in lower case with spaces, e.g. {@code materialized view}.
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
