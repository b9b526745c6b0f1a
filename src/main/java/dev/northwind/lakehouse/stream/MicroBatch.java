package dev.northwind.lakehouse.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Schemas;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.lake.TableId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The bookkeeping of one Kafka-to-Bronze micro-batch, shared by the order-event stream ({@link
 * StreamJob}) and the CDC stream: the ids that make its appends exactly once, its ingestion time,
 * the dedupe against Bronze, the idempotent appends and its row in the stream's batch table.
 *
 * @param lake the lake written to
 * @param spark the batch's session
 * @param id the streaming batch id (Delta's {@code txnVersion})
 * @param queryId the streaming query id
 * @param runId {@code <query run id>:<batch id>}, the lineage {@code _run_id}
 * @param appId Delta's {@code txnAppId}: stable for the checkpoint (the query id lives in it), new
 *     when the checkpoint is reset
 * @param ingestedAt the batch's lineage {@code _ingested_at}
 * @param partitionColumn the column the stream's tables are partitioned by (where they have it)
 */
public record MicroBatch(
    Lake lake,
    SparkSession spark,
    long id,
    String queryId,
    String runId,
    String appId,
    Timestamp ingestedAt,
    String partitionColumn) {

  /**
   * The bookkeeping of {@code batch}, written to {@code lake}; {@code appPrefix} names the stream
   * in Delta's txnAppId.
   */
  public static MicroBatch of(
      Lake lake, Dataset<Row> batch, long id, String appPrefix, String partitionColumn) {
    SparkSession s = batch.sparkSession();
    // A batch's cached rows are read two or three times within the batch, then dropped: choosing
    // a compression per column (dictionary and run-length statistics over every value) was most
    // of the third of the order stream's executor time spent building its caches (100,000 events
    // at scale 1: 12,835 -> 14,184 events/s without it). The session is the query's own clone,
    // so other work's caches keep their compression.
    s.conf().set(SparkSessions.IN_MEMORY_COMPRESSED, "false");
    String queryId = localProperty(s, "sql.streaming.queryId", "unknown-query");
    // Outside a streaming query (a test calling the batch function) the job group names the run.
    String streamRunId =
        localProperty(
            s, "sql.streaming.runId", localProperty(s, "spark.jobGroup.id", "unknown-run"));
    return new MicroBatch(
        lake,
        s,
        id,
        queryId,
        streamRunId + ":" + id,
        appPrefix + queryId,
        Timestamp.from(Instant.now()),
        partitionColumn);
  }

  /**
   * Messages in a parsed batch and how many of them were rejected (column {@code reason} set).
   *
   * @param rowsIn messages read
   * @param dead messages rejected
   */
  public record Counts(long rowsIn, long dead) {

    /** Counts a parsed batch in one Spark job. */
    public static Counts of(Dataset<Row> parsed) {
      Row r = parsed.agg(count(lit(1)), count(when(col("reason").isNotNull(), lit(1)))).first();
      return new Counts(r.getLong(0), r.getLong(1));
    }

    /** Messages that parsed. */
    public long valid() {
      return rowsIn - dead;
    }
  }

  /**
   * The accepted rows not yet in {@code table} (all of them when it does not exist yet), cached:
   * the caller reads them more than once, so the dedupe (a shuffle and a join with Bronze) runs
   * once; the caller unpersists them.
   */
  public Dataset<Row> unseen(
      TableId table, Dataset<Row> accepted, BinaryOperator<Dataset<Row>> unseen) {
    return (lake.exists(spark, table) ? unseen.apply(accepted, lake.read(spark, table)) : accepted)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * Appends {@code rows} to {@code table} as this batch's Delta transaction, partitioned by the
   * stream's partition column where the rows have it.
   */
  public void append(Dataset<Row> rows, TableId table) {
    DataFrameWriter<Row> w =
        rows.write()
            .format("delta")
            .mode("append")
            // Delta skips this write if the table already recorded this (appId, batch) transaction.
            .option("txnAppId", appId)
            .option("txnVersion", Long.toString(id));
    if (rows.schema().getFieldIndex(partitionColumn).nonEmpty()) {
      w = w.partitionBy(partitionColumn);
    }
    w.save(lake.location(table));
  }

  /**
   * The schema of a stream's batch table (one row per micro-batch): batch id, the counts every
   * stream keeps, the stream's own {@code extraCounts} (BIGINT columns), commit time, query id, run
   * id; the row {@link #record} appends.
   */
  public static StructType batchSchema(String... extraCounts) {
    StringBuilder columns =
        new StringBuilder(
            "batch_id BIGINT, rows_in BIGINT, dead_lettered BIGINT, rows_written BIGINT, duplicates BIGINT");
    for (String c : extraCounts) {
      columns.append(", ").append(c).append(" BIGINT");
    }
    return Schemas.of(columns + ", committed_at TIMESTAMP, query_id STRING, run_id STRING");
  }

  /**
   * Appends the batch's row to the stream's batch table {@code batches} (schema {@code schema},
   * from {@link #batchSchema}): {@code written} of the valid messages were new, the others
   * duplicates.
   */
  public void record(
      TableId batches,
      StructType schema,
      Instant committedAt,
      Counts counts,
      long written,
      long... extraCounts) {
    List<Object> values =
        new ArrayList<>(
            List.of(id, counts.rowsIn(), counts.dead(), written, counts.valid() - written));
    for (long c : extraCounts) {
      values.add(c);
    }
    values.addAll(List.of(Timestamp.from(committedAt), queryId, runId));
    append(spark.createDataFrame(List.of(RowFactory.create(values.toArray())), schema), batches);
  }

  /** Reads the topics from the earliest offsets the checkpoint does not have. */
  public static DataStreamReader kafka(SparkSession spark, KafkaTopics topics) {
    return spark
        .readStream()
        .format("kafka")
        .option("kafka.bootstrap.servers", topics.bootstrapServers())
        .option(topics.subscribeOption(), topics.topics())
        .option("startingOffsets", "earliest")
        // Records deleted by retention before we read them are gone either way; keep streaming.
        .option("failOnDataLoss", "false");
  }

  /**
   * A Kafka source's rows with key and value as text: key, value, topic, partition, offset and the
   * record's timestamp as {@code kafka_timestamp}.
   */
  public static Dataset<Row> records(Dataset<Row> kafka) {
    return kafka.select(
        col("key").cast("string").as("key"),
        col("value").cast("string").as("value"),
        col("topic"),
        col("partition"),
        col("offset"),
        col("timestamp").as("kafka_timestamp"));
  }

  /**
   * Starts a query over {@code source} that hands each micro-batch to {@code process}, checkpointed
   * at {@code checkpointLocation}: all there is now ({@link StreamTrigger#AVAILABLE_NOW}) or one
   * batch every {@code interval}.
   */
  public static StreamingQuery start(
      Dataset<Row> source,
      String checkpointLocation,
      VoidFunction2<Dataset<Row>, Long> process,
      StreamTrigger trigger,
      String interval)
      throws TimeoutException {
    return source
        .writeStream()
        .option("checkpointLocation", checkpointLocation)
        .foreachBatch(process)
        .trigger(
            trigger == StreamTrigger.AVAILABLE_NOW
                ? Trigger.AvailableNow()
                : Trigger.ProcessingTime(interval))
        .start();
  }

  /**
   * Runs a Kafka query until it ends. Spark 4.1.1's Kafka source throws a NullPointerException
   * while reporting progress after the first batch of a restart that replays an uncommitted batch
   * (SPARK-55271): the batch itself is committed by then, so starting the query again is safe and
   * continues with the next batch.
   *
   * @param start starts the query
   * @param started told of each query started (so that it can be stopped)
   * @param await waits for the query to end
   * @param restarting told before a restart
   * @param failed the error of a query that failed otherwise, from its cause
   */
  public static void runRestarting(
      Supplier<StreamingQuery> start,
      Consumer<StreamingQuery> started,
      Await await,
      Runnable restarting,
      Function<Throwable, RuntimeException> failed) {
    for (int attempt = 1; ; attempt++) {
      StreamingQuery q = start.get();
      started.accept(q);
      try {
        await.until(q);
        return;
      } catch (StreamingQueryException e) {
        if (attempt < MAX_RESTARTS && kafkaMetricsBug(e)) {
          restarting.run();
          continue;
        }
        throw failed.apply(e.getCause() == null ? e : e.getCause());
      }
    }
  }

  /** Waits for a query to end. */
  @FunctionalInterface
  public interface Await {
    void until(StreamingQuery q) throws StreamingQueryException;
  }

  /** Query starts per run when working around SPARK-55271 (one per replayed batch is enough). */
  static final int MAX_RESTARTS = 3;

  /**
   * Whether a failure is Spark 4.1.1's NullPointerException in the Kafka source's progress metrics
   * (SPARK-55271), thrown after the batch committed: the query can simply be started again.
   */
  static boolean kafkaMetricsBug(Throwable t) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof NullPointerException) {
        for (StackTraceElement f : c.getStackTrace()) {
          if (f.getClassName().startsWith("org.apache.spark.sql.kafka010.KafkaMicroBatchStream")
              && f.getMethodName().equals("metrics")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static String localProperty(SparkSession s, String key, String fallback) {
    String v = s.sparkContext().getLocalProperty(key);
    return v == null || v.isBlank() ? fallback : v;
  }
}
