package dev.northwind.lakehouse.cdc;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.stream.StreamJob;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Streams the change topics ({@code <cdc.topic-prefix>.<schema>.<table>}) into Bronze, the way the
 * order-event stream does: {@code bronze.cdc_changes} (every valid change event, once), {@code
 * bronze.cdc_changes_dead_letter} (unparseable events with the reason) and {@code
 * bronze._cdc_batches} (one row per micro-batch).
 *
 * <p>One table for the changes of every source table (column {@code source_table}, also the
 * partition column) rather than a table per source table: the rows have the same shape whatever the
 * table (the row images are JSON), one Delta commit per micro-batch covers every table, and a table
 * added to the capture needs no new Bronze table.
 *
 * <p>Exactly once: Kafka offsets are checkpointed at {@code lake.checkpoint("cdc_changes")}; every
 * append carries {@code txnAppId}/{@code txnVersion} (query id, batch id), so a replayed batch is
 * skipped by Delta; and a change whose {@code change_id} is already in Bronze (sent twice by a
 * capture that restarted after a crash) is not appended again.
 */
public final class CdcBronzeJob {

  public static final TableId CHANGES = TableId.bronze("cdc_changes");
  public static final TableId DEAD_LETTER = TableId.bronze("cdc_changes_dead_letter");
  public static final TableId BATCHES = TableId.bronze("_cdc_batches");

  /** Name of the checkpoint under {@link Lake#checkpoint}. */
  public static final String CHECKPOINT = "cdc_changes";

  /** Query starts per run when working around SPARK-55271 (see StreamJob). */
  private static final int MAX_RESTARTS = 3;

  static final StructType BATCH_SCHEMA =
      new StructType()
          .add("batch_id", DataTypes.LongType)
          .add("rows_in", DataTypes.LongType)
          .add("dead_lettered", DataTypes.LongType)
          .add("rows_written", DataTypes.LongType)
          .add("duplicates", DataTypes.LongType)
          .add("committed_at", DataTypes.TimestampType)
          .add("query_id", DataTypes.StringType)
          .add("run_id", DataTypes.StringType);

  private final SparkSession spark;
  private final Lake lake;
  private final String bootstrapServers;
  private final String topicPattern;
  private final String triggerInterval;
  private final Progress progress;
  private final AtomicLong written = new AtomicLong();

  public CdcBronzeJob(
      SparkSession spark,
      Lake lake,
      String bootstrapServers,
      String topicPattern,
      String triggerInterval,
      Progress progress) {
    this.spark = spark;
    this.lake = lake;
    this.bootstrapServers = bootstrapServers;
    this.topicPattern = topicPattern;
    this.triggerInterval = triggerInterval;
    this.progress = progress;
  }

  /** Lineage {@code _source_system}: {@code kafka:<bootstrap>/<topic pattern>}. */
  public String sourceSystem() {
    return "kafka:" + bootstrapServers + "/" + topicPattern;
  }

  /** How the query is triggered. */
  public enum Mode {
    /** What is on the topics now, then stop (Trigger.AvailableNow). */
    AVAILABLE_NOW,
    /** A micro-batch every stream.trigger.interval until stopped. */
    CONTINUOUS
  }

  /** Starts the query; the caller waits for or stops it. */
  public StreamingQuery start(Mode mode) {
    Dataset<Row> kafka =
        spark
            .readStream()
            .format("kafka")
            .option("kafka.bootstrap.servers", bootstrapServers)
            .option("subscribePattern", topicPattern)
            // Topics of tables that get their first change later are found at the next metadata
            // refresh.
            .option("kafka.metadata.max.age.ms", "5000")
            .option("startingOffsets", "earliest")
            .option("failOnDataLoss", "false")
            .load();
    try {
      return kafka
          .writeStream()
          .option("checkpointLocation", lake.checkpoint(CHECKPOINT))
          .foreachBatch((VoidFunction2<Dataset<Row>, Long>) this::process)
          .trigger(
              mode == Mode.AVAILABLE_NOW
                  ? Trigger.AvailableNow()
                  : Trigger.ProcessingTime(triggerInterval))
          .start();
    } catch (TimeoutException e) {
      throw LakehouseErrors.cdcBronzeFailed(e);
    }
  }

  /**
   * Runs the query until it ends (AvailableNow) or is stopped; returns the changes it appended.
   * Restarts after Spark 4.1.1's Kafka progress-metrics NullPointerException (SPARK-55271), as
   * {@code StreamJob} does: the batch was committed before it is thrown.
   */
  public long run(Mode mode, java.util.function.Consumer<StreamingQuery> started) {
    long before = written.get();
    for (int attempt = 1; ; attempt++) {
      StreamingQuery q = start(mode);
      started.accept(q);
      try {
        q.awaitTermination();
        break;
      } catch (StreamingQueryException e) {
        if (attempt < MAX_RESTARTS && StreamJob.kafkaMetricsBug(e)) {
          continue;
        }
        throw LakehouseErrors.cdcBronzeFailed(e.getCause() == null ? e : e.getCause());
      }
    }
    long appended = written.get() - before;
    progress.report(
        "cdc: "
            + appended
            + " change"
            + (appended == 1 ? "" : "s")
            + " appended to "
            + CHANGES.qualified());
    return appended;
  }

  /** Changes this job has appended to {@link #CHANGES} so far, over all its runs. */
  public long written() {
    return written.get();
  }

  /** One micro-batch. */
  void process(Dataset<Row> batch, long batchId) {
    SparkSession s = batch.sparkSession();
    String queryId = localProperty(s, "sql.streaming.queryId", "unknown-query");
    String runId = localProperty(s, "sql.streaming.runId", "unknown-run") + ":" + batchId;
    // Stable for this checkpoint: Delta skips a (appId, batchId) it has already committed.
    String appId = "northwind-cdc-" + queryId;
    Timestamp ingestedAt = Timestamp.from(Instant.now());
    Dataset<Row> parsed = ChangeEvents.parse(batch).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row counts =
          parsed.agg(count(lit(1)), count(when(col("reason").isNotNull(), lit(1)))).first();
      long rowsIn = counts.getLong(0);
      long dead = counts.getLong(1);
      Dataset<Row> accepted = ChangeEvents.accepted(parsed);
      Dataset<Row> fresh =
          (lake.exists(s, CHANGES)
                  ? ChangeEvents.unseen(accepted, lake.read(s, CHANGES))
                  : accepted)
              .persist(StorageLevel.MEMORY_AND_DISK());
      long rows;
      try {
        rows = fresh.count();
        if (rows > 0) {
          append(
              ChangeEvents.withLineage(fresh, sourceSystem(), runId, ingestedAt),
              CHANGES,
              appId,
              batchId);
        }
      } finally {
        fresh.unpersist();
      }
      if (dead > 0) {
        append(
            ChangeEvents.withLineage(
                ChangeEvents.rejected(parsed), sourceSystem(), runId, ingestedAt),
            DEAD_LETTER,
            appId,
            batchId);
      }
      Row r =
          RowFactory.create(
              batchId,
              rowsIn,
              dead,
              rows,
              rowsIn - dead - rows,
              Timestamp.from(Instant.now()),
              queryId,
              runId);
      append(s.createDataFrame(List.of(r), BATCH_SCHEMA), BATCHES, appId, batchId);
      written.addAndGet(rows);
      progress.report(
          String.format(
              "cdc bronze batch %d: %d events, %d new changes, %d duplicates, %d dead-lettered",
              batchId, rowsIn, rows, rowsIn - dead - rows, dead));
    } finally {
      parsed.unpersist();
    }
  }

  private void append(Dataset<Row> rows, TableId table, String appId, long batchId) {
    var w =
        rows.write()
            .format("delta")
            .mode("append")
            .option("txnAppId", appId)
            .option("txnVersion", Long.toString(batchId));
    if (rows.schema().getFieldIndex("source_table").nonEmpty()) {
      w = w.partitionBy("source_table");
    }
    w.save(lake.location(table));
  }

  private static String localProperty(SparkSession s, String key, String fallback) {
    String v = s.sparkContext().getLocalProperty(key);
    return v == null || v.isBlank() ? fallback : v;
  }

  /**
   * Whether Bronze holds changes streamed from the WAL (not only snapshot reads): a history that a
   * new snapshot through a new slot cannot be merged into. Snapshot reads alone (a first capture
   * killed before its offsets were stored) are taken again by the next snapshot.
   */
  public static boolean hasStreamedChanges(SparkSession spark, Lake lake) {
    return lake.exists(spark, CHANGES)
        && !lake.read(spark, CHANGES).where(col("op").notEqual("r")).limit(1).isEmpty();
  }
}
