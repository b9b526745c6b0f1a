package dev.northwind.lakehouse.cdc;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.LakehouseException;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Debezium's batch consumer: sends each batch of change events to Kafka (topic = Debezium's
 * destination, one per table; key = the row's primary key as JSON) with an idempotent producer, and
 * marks the events processed only once Kafka acknowledged every one of them. Debezium stores
 * offsets (and confirms the WAL position to PostgreSQL) only for processed events, so a crash at
 * any moment loses nothing: unacknowledged events are read again from the slot on the next start.
 * They may then reach Kafka twice; Bronze drops the second copy.
 */
final class KafkaChangeSink
    implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>>, AutoCloseable {

  /** Debezium's heartbeat topics: they only move the slot forward and are not sent. */
  static final String HEARTBEAT_PREFIX = "__debezium-heartbeat";

  /**
   * Debezium's transaction topic ({@code <prefix>.transaction}): BEGIN/END markers, sent but not
   * counted as changes.
   */
  static final String TRANSACTION_SUFFIX = ".transaction";

  /**
   * Debezium's topic of logical decoding messages ({@code <prefix>.message}), where the drain
   * marker arrives.
   */
  static final String MESSAGE_SUFFIX = ".message";

  private final KafkaProducer<String, String> producer;
  private final Admin admin;
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong lastChangeNanos = new AtomicLong();
  private final AtomicLong firstSentNanos = new AtomicLong();
  private final AtomicLong lastSentNanos = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean busy =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final AtomicReference<String> marker = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicBoolean markerSeen =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final AtomicReference<LakehouseException> failure = new AtomicReference<>();

  KafkaChangeSink(String bootstrapServers) {
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                // Idempotence: a retried send is written once, in order, per partition.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                60_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                60_000,
                ProducerConfig.CLIENT_ID_CONFIG,
                "northwind-cdc"),
            new StringSerializer(),
            new StringSerializer());
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                60_000,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "northwind-cdc-admin"));
  }

  @Override
  public void handleBatch(
      List<ChangeEvent<String, String>> records,
      DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
      throws InterruptedException {
    busy.set(true);
    try {
      send(records, committer);
    } finally {
      lastChangeNanos.set(System.nanoTime());
      busy.set(false);
    }
  }

  private void send(
      List<ChangeEvent<String, String>> records,
      DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
      throws InterruptedException {
    List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    long changes = 0;
    String topic = "";
    try {
      for (ChangeEvent<String, String> r : records) {
        topic = r.destination();
        if (topic.startsWith(HEARTBEAT_PREFIX)) {
          continue;
        }
        String awaited = marker.get();
        if (awaited != null
            && topic.endsWith(MESSAGE_SUFFIX)
            && r.value() != null
            && r.value().contains(awaited)) {
          markerSeen.set(true);
          continue;
        }
        ensureTopic(topic);
        acks.add(producer.send(new ProducerRecord<>(topic, r.key(), r.value())));
        if (tableTopic(topic)) {
          changes++;
        }
      }
      producer.flush();
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      // The engine is stopping (idle, Ctrl-C): nothing of this batch is marked processed, the next
      // run reads it again.
      throw new InterruptedException("stopped while sending");
    } catch (ExecutionException | RuntimeException e) {
      LakehouseException le =
          LakehouseErrors.cdcSendFailed(topic, e instanceof ExecutionException ? e.getCause() : e);
      failure.compareAndSet(null, le);
      // Nothing of this batch is marked processed: Debezium stops and the next run reads it again.
      throw le;
    }
    for (ChangeEvent<String, String> r : records) {
      committer.markProcessed(r);
    }
    committer.markBatchFinished();
    sent.addAndGet(changes);
    if (changes > 0) {
      long now = System.nanoTime();
      firstSentNanos.compareAndSet(0, now);
      lastSentNanos.set(now);
    }
  }

  @Override
  public boolean supportsTombstoneEvents() {
    return true;
  }

  private void ensureTopic(String topic) {
    if (topics.contains(topic)) {
      return;
    }
    // One partition: a table's changes stay in commit order for readers that do not sort by LSN.
    // The replication factor is the broker's default.
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw LakehouseErrors.cdcSendFailed(topic, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LakehouseErrors.cdcSendFailed(topic, e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw LakehouseErrors.cdcSendFailed(topic, e);
    }
    topics.add(topic);
  }

  /**
   * Whether a topic holds a table's changes: not the transaction markers, and not the logical
   * decoding messages (drain markers of other captures on the same database arrive there).
   */
  static boolean tableTopic(String topic) {
    return !topic.endsWith(TRANSACTION_SUFFIX) && !topic.endsWith(MESSAGE_SUFFIX);
  }

  /** Change events (not transaction markers or messages) acknowledged by Kafka so far. */
  long sent() {
    return sent.get();
  }

  /**
   * Seconds from the first to the last batch of changes Kafka acknowledged: how fast changes went
   * through once they flowed (0 with fewer than two batches).
   */
  double sendingSeconds() {
    long first = firstSentNanos.get();
    return first == 0 ? 0 : (lastSentNanos.get() - first) / 1e9;
  }

  /** Table topics written to so far. */
  Set<String> topics() {
    return topics.stream()
        .filter(KafkaChangeSink::tableTopic)
        .collect(java.util.stream.Collectors.toSet());
  }

  /** {@link System#nanoTime()} when the last batch ended, 0 before the first. */
  long lastChangeNanos() {
    return lastChangeNanos.get();
  }

  /** Watches for a logical decoding message containing {@code token} (it is not sent to Kafka). */
  void awaitMarker(String token) {
    marker.set(token);
  }

  /** Whether the awaited marker message arrived: everything committed before it was handled. */
  boolean markerSeen() {
    return markerSeen.get();
  }

  /** Whether a batch is being sent now. */
  boolean busy() {
    return busy.get();
  }

  /** Why sending failed, if it did. */
  Optional<LakehouseException> failure() {
    return Optional.ofNullable(failure.get());
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
    admin.close(Duration.ofSeconds(2));
  }
}
