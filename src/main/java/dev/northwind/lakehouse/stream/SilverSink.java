package dev.northwind.lakehouse.stream;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /**
   * Merges the batch's orders, knowing what the batch appended to {@code bronze.order_events}, so a
   * sink can record what Silver consumed. By default the same as {@link #merge(SparkSession,
   * Dataset, Dataset, String)}.
   */
  default void merge(SparkSession spark, Batch batch) {
    merge(spark, batch.orders(), batch.lines(), batch.runId());
  }

  /**
   * One micro-batch's valid orders, and {@code bronze.order_events}' version before and after the
   * batch's append: equal when the batch appended nothing (every event was already there, or it is
   * a replay of a batch that had committed), -1 when the table did not exist.
   */
  record Batch(
      Dataset<Row> orders, Dataset<Row> lines, String runId, long eventsBefore, long eventsAfter) {}

  /** Does nothing: Bronze only. */
  SilverSink NONE = (spark, orders, lines, runId) -> {};

  /**
   * When the stream may merge into Silver: with {@code stream.silver=merge}, each micro-batch goes
   * to {@code merge} once Silver's {@code lookups} (the dimensions the merge checks orders against)
   * exist; before that, or with {@code stream.silver=off}, events wait in Bronze and the next
   * {@code lakehouse silver} merges them. Either case is said once through {@code progress}.
   */
  static SilverSink when(
      LakehouseConfig.StreamSilver mode,
      Lake lake,
      List<TableId> lookups,
      SilverSink merge,
      Progress progress) {
    if (mode == LakehouseConfig.StreamSilver.OFF) {
      progress.report(
          "stream: stream.silver=off; events go to Bronze only, `lakehouse silver` merges them into Silver");
      return NONE;
    }
    AtomicBoolean warned = new AtomicBoolean();
    return new SilverSink() {
      @Override
      public void merge(SparkSession spark, Dataset<Row> orders, Dataset<Row> lines, String id) {
        merge(spark, new Batch(orders, lines, id, -1, -1));
      }

      @Override
      public void merge(SparkSession spark, Batch batch) {
        if (lookups.stream().allMatch(t -> lake.exists(spark, t))) {
          merge.merge(spark, batch);
        } else if (warned.compareAndSet(false, true)) {
          progress.report(
              "stream: Silver does not exist yet; events stay in Bronze until `lakehouse silver` runs");
        }
      }
    };
  }
}
