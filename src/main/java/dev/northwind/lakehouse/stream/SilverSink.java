package dev.northwind.lakehouse.stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where each micro-batch's valid orders go after Bronze (Silver's stream merge). Called once per
 * micro-batch, possibly again for the same batch after a crash, so it must be idempotent.
 */
@FunctionalInterface
public interface SilverSink {

  /**
   * Merges the batch's orders.
   *
   * @param orders {@link StreamTransforms#toOrders} rows (one per order event, event_id included)
   * @param lines {@link StreamTransforms#toLines} rows
   * @param runId the stream's run id and batch id, {@code <runId>:<batchId>}
   */
  void merge(SparkSession spark, Dataset<Row> orders, Dataset<Row> lines, String runId);

  /** Does nothing: Bronze only. */
  SilverSink NONE = (spark, orders, lines, runId) -> {};
}
