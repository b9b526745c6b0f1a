package dev.northwind.lakehouse.stream;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.lake.TableId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Streams order events from Kafka into {@code bronze.order_events} (valid events), {@code
 * bronze.order_events_dead_letter} (rejected messages with their reason) and {@code
 * bronze._stream_batches} (one row per micro-batch), then hands each batch's orders to a {@link
 * SilverSink}.
 *
 * <p>Exactly once: offsets are checkpointed at {@code lake.checkpoint("order_events")}; every Delta
 * append carries {@code txnAppId} (the query id, stable across restarts of the same checkpoint) and
 * {@code txnVersion} (the batch id), so a batch replayed after a crash is skipped by Delta table by
 * table; and events whose event_id is already in Bronze (sent twice) are not appended again.
 */
public final class StreamJob {

  public static final TableId ORDER_EVENTS = TableId.bronze("order_events");
  public static final TableId DEAD_LETTER = TableId.bronze("order_events_dead_letter");
  public static final TableId BATCHES = TableId.bronze("_stream_batches");

  /** Name of the checkpoint under {@link Lake#checkpoint}. */
  public static final String CHECKPOINT = "order_events";

  static final StructType BATCH_SCHEMA = MicroBatch.batchSchema("lag_p50_ms", "lag_max_ms");

  private final SparkSession spark;
  private final Lake lake;
  private final KafkaTopics kafka;
  private final LakehouseConfig.Stream settings;
  private final Progress progress;
  private final SilverSink silver;
  private final List<StreamBatchReport> reports = new CopyOnWriteArrayList<>();

  public StreamJob(
      SparkSession spark,
      Lake lake,
      String bootstrapServers,
      String topic,
      LakehouseConfig.Stream settings,
      Progress progress) {
    this(
        spark,
        lake,
        KafkaTopics.topic(bootstrapServers, topic),
        settings,
        progress,
        SilverSink.NONE);
  }

  private StreamJob(
      SparkSession spark,
      Lake lake,
      KafkaTopics kafka,
      LakehouseConfig.Stream settings,
      Progress progress,
      SilverSink silver) {
    this.spark = spark;
    this.lake = lake;
    this.kafka = kafka;
    this.settings = settings;
    this.progress = progress;
    this.silver = silver;
  }

  /** The same job, handing each batch's orders to {@code sink} after the Bronze writes. */
  public StreamJob withSilver(SilverSink sink) {
    return new StreamJob(spark, lake, kafka, settings, progress, sink);
  }

  /** Lineage {@code _source_system} of the streamed tables: {@code kafka:<bootstrap>/<topic>}. */
  public String sourceSystem() {
    return kafka.sourceSystem();
  }

  /** Reports of the batches this job instance has run, oldest first. */
  public List<StreamBatchReport> reports() {
    return List.copyOf(reports);
  }

  /** Starts the query; the caller waits for or stops it. */
  public StreamingQuery start(StreamTrigger trigger) {
    checkBrokerReachable(kafka.bootstrapServers());
    Dataset<Row> events =
        MicroBatch.kafka(spark, kafka)
            .option("maxOffsetsPerTrigger", Integer.toString(settings.maxOffsetsPerTrigger()))
            // A one-partition topic would otherwise be read and parsed by one task: split its
            // offset ranges so every core parses (on a cluster, every executor core).
            .option(
                "minPartitions",
                Integer.toString(Math.max(1, spark.sparkContext().defaultParallelism())))
            .load();
    try {
      return MicroBatch.start(
          events, lake.checkpoint(CHECKPOINT), this::process, trigger, settings.triggerInterval());
    } catch (TimeoutException e) {
      throw LakehouseErrors.streamFailed(kafka.topics(), e);
    }
  }

  /**
   * Seconds to wait for the broker before failing: Spark's Kafka source would otherwise retry
   * forever.
   */
  public static final int BROKER_TIMEOUT_SECONDS = 20;

  /**
   * Fails with a clear error when no broker answers within {@link #BROKER_TIMEOUT_SECONDS}: Spark's
   * Kafka source keeps retrying an unreachable bootstrap address without end, so `stream
   * --until-idle` would hang.
   */
  public static void checkBrokerReachable(String bootstrapServers) {
    Throwable failure =
        probeBroker(bootstrapServers, BROKER_TIMEOUT_SECONDS, "northwind-stream-probe");
    if (failure != null) {
      throw LakehouseErrors.kafkaUnreachable(bootstrapServers, BROKER_TIMEOUT_SECONDS, failure);
    }
  }

  private static Throwable probeBroker(String bootstrapServers, int seconds, String clientId) {
    org.apache.kafka.clients.admin.Admin admin = admin(bootstrapServers, seconds, clientId);
    try {
      return probe(admin, seconds);
    } finally {
      admin.close(java.time.Duration.ofSeconds(1));
    }
  }

  private static org.apache.kafka.clients.admin.Admin admin(
      String bootstrapServers, int seconds, String clientId) {
    int ms = seconds * 1000;
    return org.apache.kafka.clients.admin.Admin.create(
        java.util.Map.of(
            org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
            org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms,
            org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms,
            org.apache.kafka.clients.admin.AdminClientConfig.CLIENT_ID_CONFIG, clientId));
  }

  /** Asks the cluster for its id; null when a broker answered within the time, else why not. */
  private static Throwable probe(org.apache.kafka.clients.admin.Admin admin, int seconds) {
    try {
      admin.describeCluster().clusterId().get(seconds, TimeUnit.SECONDS);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause() != null ? e.getCause() : e;
    } catch (java.util.concurrent.TimeoutException | org.apache.kafka.common.KafkaException e) {
      return e;
    }
  }

  /** Processes everything on the topic now (AvailableNow) and returns this run's batch reports. */
  public List<StreamBatchReport> runUntilIdle() {
    int before = reports.size();
    run(StreamTrigger.AVAILABLE_NOW, new AtomicReference<>());
    List<StreamBatchReport> run = new ArrayList<>(reports.subList(before, reports.size()));
    progress.report(
        String.format(
            "Stream idle after %d batch%s: %d messages, %d new events, %d dead-lettered",
            run.size(),
            run.size() == 1 ? "" : "es",
            run.stream().mapToLong(StreamBatchReport::rowsIn).sum(),
            run.stream().mapToLong(StreamBatchReport::rowsWritten).sum(),
            run.stream().mapToLong(StreamBatchReport::deadLettered).sum()));
    return run;
  }

  /**
   * Runs micro-batches every stream.trigger.interval until the process is asked to stop (Ctrl-C): a
   * shutdown hook stops the query before Spark itself shuts down. A batch interrupted that way is
   * replayed, and skipped where it already committed, on the next start.
   */
  public void runUntilStopped() {
    AtomicReference<StreamingQuery> current = new AtomicReference<>();
    Runnable stop =
        () -> {
          StreamingQuery q = current.get();
          try {
            if (q != null) {
              q.stop();
            }
          } catch (TimeoutException e) {
            // Stopping is best effort at shutdown; the checkpoint makes the next start safe.
          }
        };
    // Hadoop's hook manager runs hooks by priority: above Spark's own (40), so the query stops
    // while the SparkContext is still alive.
    org.apache.hadoop.util.ShutdownHookManager.get()
        .addShutdownHook(stop, 100, 60, TimeUnit.SECONDS);
    progress.report(
        "Streaming from "
            + sourceSystem()
            + " every "
            + settings.triggerInterval()
            + "; Ctrl-C stops.");
    try {
      run(StreamTrigger.PROCESSING_TIME, current);
    } finally {
      if (!org.apache.hadoop.util.ShutdownHookManager.get().isShutdownInProgress()) {
        org.apache.hadoop.util.ShutdownHookManager.get().removeShutdownHook(stop);
      }
    }
  }

  /** Runs the query until it ends, restarting after SPARK-55271 ({@link MicroBatch}). */
  private void run(StreamTrigger trigger, AtomicReference<StreamingQuery> current) {
    MicroBatch.runRestarting(
        () -> start(trigger),
        current::set,
        this::awaitWatchingBroker,
        () ->
            progress.report(
                "Restarting the stream after Spark's Kafka progress-metrics bug (SPARK-55271); the batch was committed."),
        cause -> LakehouseErrors.streamFailed(kafka.topics(), cause));
  }

  /**
   * Waits for the query to end, probing the broker every {@link #BROKER_PROBE_SECONDS}: when the
   * broker goes away mid-stream, Spark's Kafka source retries without end and the stream would hang
   * silently. After {@link #BROKER_TIMEOUT_SECONDS} without an answer the query is stopped (a batch
   * in flight is not committed; it is replayed on the next start) and the job fails.
   */
  private void awaitWatchingBroker(StreamingQuery q) throws StreamingQueryException {
    // One client for the whole watch: it reconnects by itself once the broker is back.
    org.apache.kafka.clients.admin.Admin admin =
        admin(kafka.bootstrapServers(), BROKER_PROBE_SECONDS, "northwind-stream-watch");
    try {
      watch(q, admin);
    } finally {
      admin.close(java.time.Duration.ofSeconds(1));
    }
  }

  private void watch(StreamingQuery q, org.apache.kafka.clients.admin.Admin admin)
      throws StreamingQueryException {
    long downSince = 0;
    while (!q.awaitTermination(BROKER_PROBE_SECONDS * 1000L)) {
      // An interrupt means the stream is being stopped, not that the broker is gone.
      if (probe(admin, BROKER_PROBE_SECONDS) == null || Thread.currentThread().isInterrupted()) {
        downSince = 0;
      } else if (downSince == 0) {
        downSince = System.nanoTime();
      } else if (System.nanoTime() - downSince > BROKER_TIMEOUT_SECONDS * 1_000_000_000L) {
        try {
          q.stop();
        } catch (TimeoutException e) {
          // The failure below is what matters; the checkpoint makes the next start safe.
        }
        throw LakehouseErrors.kafkaLostMidStream(kafka.bootstrapServers(), BROKER_TIMEOUT_SECONDS);
      }
    }
  }

  /** Seconds between broker probes while streaming, and the timeout of each probe. */
  static final int BROKER_PROBE_SECONDS = 5;

  /** One micro-batch; runs on the driver, Spark jobs inside it run on the executors. */
  void process(Dataset<Row> batch, long batchId) {
    MicroBatch b = MicroBatch.of(lake, batch, batchId, "northwind-stream-", "_ingestion_date");
    SparkSession s = b.spark();
    Dataset<Row> parsed = StreamTransforms.parse(batch).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      MicroBatch.Counts counts = MicroBatch.Counts.of(parsed);
      Dataset<Row> accepted = StreamTransforms.accepted(parsed);
      Dataset<Row> fresh = b.unseen(ORDER_EVENTS, accepted, StreamTransforms::unseen);
      long written;
      Row stats;
      // What the batch appends to order_events: lets the Silver sink record what it consumed.
      long eventsBefore = lake.version(s, ORDER_EVENTS);
      try {
        // Measured before the write: the write refreshes every plan that reads the table, so
        // afterwards `fresh` would be empty. median(C - t) = C - median(t), max(C - t) = C -
        // min(t).
        stats =
            SparkSessions.step(
                s,
                "bronze stream: parse and dedupe",
                () ->
                    fresh
                        .agg(
                            count(lit(1)),
                            expr("percentile(unix_millis(event_time), 0.5)"),
                            expr("min(unix_millis(event_time))"))
                        .first());
        written = stats.getLong(0);
        if (written > 0) {
          SparkSessions.step(
              s,
              "bronze stream: append order_events",
              () ->
                  b.append(
                      StreamTransforms.withLineage(
                          StreamTransforms.bronzeEvents(fresh),
                          sourceSystem(),
                          "order_events",
                          b.runId(),
                          b.ingestedAt()),
                      ORDER_EVENTS));
        }
      } finally {
        fresh.unpersist();
      }
      if (counts.dead() > 0) {
        b.append(
            StreamTransforms.withLineage(
                StreamTransforms.rejected(parsed),
                sourceSystem(),
                "order_events",
                b.runId(),
                b.ingestedAt()),
            DEAD_LETTER);
      }
      if (counts.valid() > 0) {
        long eventsAfter = written > 0 ? lake.version(s, ORDER_EVENTS) : eventsBefore;
        silver.merge(
            s,
            new SilverSink.Batch(
                StreamTransforms.toOrders(accepted),
                StreamTransforms.toLines(accepted),
                b.runId(),
                eventsBefore,
                eventsAfter));
      }
      // The lag ends when the batch is in Bronze and, with a Silver sink, in Silver too.
      Instant committedAt = Instant.now();
      long p50 = written > 0 ? Math.round(committedAt.toEpochMilli() - stats.getDouble(1)) : 0;
      long max = written > 0 ? committedAt.toEpochMilli() - stats.getLong(2) : 0;
      StreamBatchReport report =
          new StreamBatchReport(
              batchId,
              counts.rowsIn(),
              counts.dead(),
              written,
              counts.valid() - written,
              p50,
              max,
              committedAt,
              b.runId());
      b.record(
          BATCHES,
          BATCH_SCHEMA,
          committedAt,
          counts,
          written,
          report.lagP50Ms(),
          report.lagMaxMs());
      reports.add(report);
      progress.report(report.line());
    } finally {
      parsed.unpersist();
    }
  }
}
