package dev.northwind.lakehouse.cdc;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.stream.KafkaTopics;
import dev.northwind.lakehouse.stream.MicroBatch;
import dev.northwind.lakehouse.stream.StreamTrigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
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

  /**
   * The Bronze stream's trigger interval beside a capture that runs until idle ({@link
   * CaptureIntoBronze}): the command ends within about this long after the capture.
   */
  public static final String UNTIL_IDLE_INTERVAL = "1 second";

  static final StructType BATCH_SCHEMA = MicroBatch.batchSchema();

  private final SparkSession spark;
  private final Lake lake;
  private final KafkaTopics changes;
  private final String triggerInterval;
  private final Progress progress;
  private final AtomicLong written = new AtomicLong();
  private final Pattern topicPattern;

  public CdcBronzeJob(
      SparkSession spark,
      Lake lake,
      KafkaTopics changes,
      String triggerInterval,
      Progress progress) {
    this.spark = spark;
    this.lake = lake;
    this.changes = changes;
    this.topicPattern = Pattern.compile(changes.topics());
    this.triggerInterval = triggerInterval;
    this.progress = progress;
  }

  /** Lineage {@code _source_system}: {@code kafka:<bootstrap>/<topic pattern>}. */
  public String sourceSystem() {
    return changes.sourceSystem();
  }

  /** Starts the query; the caller waits for or stops it. */
  public StreamingQuery start(StreamTrigger trigger) {
    Dataset<Row> kafka =
        MicroBatch.kafka(spark, changes)
            // Topics of tables that get their first change later are found at the next metadata
            // refresh.
            .option("kafka.metadata.max.age.ms", "5000")
            .load();
    try {
      return MicroBatch.start(
          kafka, lake.checkpoint(CHECKPOINT), this::process, trigger, triggerInterval);
    } catch (TimeoutException e) {
      throw LakehouseErrors.cdcBronzeFailed(e);
    }
  }

  /**
   * Runs the query until it ends (AvailableNow) or is stopped; returns the changes it appended.
   * Restarts after Spark 4.1.1's Kafka progress-metrics NullPointerException (SPARK-55271), see
   * {@link MicroBatch#runRestarting}.
   */
  public long run(StreamTrigger trigger, Consumer<StreamingQuery> started) {
    long before = written.get();
    MicroBatch.runRestarting(
        () -> start(trigger),
        started,
        StreamingQuery::awaitTermination,
        () -> {},
        LakehouseErrors::cdcBronzeFailed);
    long appended = written.get() - before;
    progress.report(
        "cdc: " + Progress.count(appended, "change") + " appended to " + CHANGES.qualified());
    return appended;
  }

  /** Whether the stream reads {@code topic} (the change topics' pattern matches it). */
  public boolean reads(String topic) {
    return topicPattern.matcher(topic).matches();
  }

  /**
   * Per change topic (every topic the stream reads now) and partition, the offset after its last
   * message: what the stream must have committed to hold everything in Kafka now.
   */
  public Map<String, Map<Integer, Long>> endOffsets() {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                changes.bootstrapServers(),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                60_000,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "northwind-cdc-drain"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      c.listTopics()
          .forEach(
              (topic, infos) -> {
                if (reads(topic)) {
                  infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
                }
              });
      Map<String, Map<Integer, Long>> ends = new TreeMap<>();
      c.endOffsets(partitions)
          .forEach(
              (tp, end) ->
                  ends.computeIfAbsent(tp.topic(), t -> new TreeMap<>()).put(tp.partition(), end));
      return ends;
    } catch (org.apache.kafka.common.KafkaException e) {
      throw LakehouseErrors.cdcBronzeFailed(e);
    }
  }

  /** Changes this job has appended to {@link #CHANGES} so far, over all its runs. */
  public long written() {
    return written.get();
  }

  /** One micro-batch. */
  void process(Dataset<Row> batch, long batchId) {
    MicroBatch b = MicroBatch.of(lake, batch, batchId, "northwind-cdc-", "source_table");
    Dataset<Row> parsed = ChangeEvents.parse(batch).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      ChangeEvents.BatchRange range = ChangeEvents.BatchRange.of(parsed);
      MicroBatch.Counts counts = range.counts();
      Dataset<Row> fresh =
          b.unseen(
              CHANGES,
              ChangeEvents.accepted(parsed),
              (accepted, bronze) ->
                  ChangeEvents.unseen(accepted, ChangeEvents.possibleCopies(bronze, range)));
      long rows;
      try {
        rows = fresh.count();
        if (rows > 0) {
          b.append(
              ChangeEvents.withLineage(fresh, sourceSystem(), b.runId(), b.ingestedAt()), CHANGES);
        }
      } finally {
        fresh.unpersist();
      }
      if (counts.dead() > 0) {
        b.append(
            ChangeEvents.withLineage(
                ChangeEvents.rejected(parsed), sourceSystem(), b.runId(), b.ingestedAt()),
            DEAD_LETTER);
      }
      long duplicates = counts.valid() - rows;
      b.record(BATCHES, BATCH_SCHEMA, Instant.now(), counts, rows);
      written.addAndGet(rows);
      progress.report(
          String.format(
              "cdc bronze batch %d: %d events, %d new changes, %d duplicates, %d dead-lettered",
              batchId, counts.rowsIn(), rows, duplicates, counts.dead()));
    } finally {
      parsed.unpersist();
    }
  }

  /**
   * Whether Bronze holds changes streamed from the WAL (not only snapshot reads): a history that a
   * new snapshot through a new slot cannot be merged into. Snapshot reads alone (a first capture
   * killed before its offsets were stored) are taken again by the next snapshot.
   */
  public static boolean hasStreamedChanges(SparkSession spark, Lake lake) {
    return lake.exists(spark, CHANGES)
        && !lake.read(spark, CHANGES)
            .where(org.apache.spark.sql.functions.col("op").notEqual("r"))
            .limit(1)
            .isEmpty();
  }
}
