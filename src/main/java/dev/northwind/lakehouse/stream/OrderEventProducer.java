package dev.northwind.lakehouse.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northwind.lakehouse.Json;
import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.source.JdbcSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Sends order events to the topic, keyed by order id, as {@link OrderEventSerializer} writes them,
 * with {@code acks=all} and an idempotent producer (a retried send is not written twice by the
 * broker).
 */
public final class OrderEventProducer implements AutoCloseable {

  /** How many trailing records per partition are read to find the highest order id already sent. */
  static final int TAIL_RECORDS = 200;

  private final String bootstrapServers;
  private final String topic;
  private final KafkaProducer<String, OrderEvent> producer;

  /** For {@link #sendRaw} only (tests of bad input): created on first use. */
  private KafkaProducer<String, String> rawProducer;

  public OrderEventProducer(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.producer =
        new KafkaProducer<>(
            settings("northwind-order-producer"),
            new StringSerializer(),
            new OrderEventSerializer());
  }

  private Properties settings(String clientId) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return p;
  }

  /**
   * Generates {@code count} new orders from the source's reference data and sends them.
   *
   * @param bronzeMaxOrderId highest order id already in bronze.order_events, if known (see {@link
   *     #bronzeMaxOrderId})
   * @param ratePerSecond events per second; 0 = as fast as possible
   * @return the events as sent (each stamped with its send time)
   */
  public List<OrderEvent> produce(
      JdbcSource source,
      OptionalInt bronzeMaxOrderId,
      int count,
      double ratePerSecond,
      long seed,
      Progress progress) {
    ReferenceData reference = ReferenceData.read(source);
    int first =
        Math.max(reference.maxOrderId(), Math.max(bronzeMaxOrderId.orElse(0), topicMaxOrderId()))
            + 1;
    progress.report(
        String.format(
            "Producing %d order events to %s (order ids %d..%d, order dates %s + 0..1 day, seed %d)",
            count, topic, first, first + count - 1, reference.maxOrderDate(), seed));
    return send(OrderEvents.generate(reference, first, count, seed, Instant.now()), ratePerSecond);
  }

  /**
   * Sends the events in order, each stamped with the time it is handed to the producer, paced to
   * {@code ratePerSecond} (0 = no pacing); returns once the broker acknowledged all of them.
   */
  public List<OrderEvent> send(List<OrderEvent> events, double ratePerSecond) {
    List<OrderEvent> sent = new ArrayList<>(events.size());
    AtomicReference<Exception> failure = new AtomicReference<>();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < events.size(); i++) {
        if (ratePerSecond > 0) {
          long due = start + (long) (i * 1_000_000_000L / ratePerSecond);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        OrderEvent e = events.get(i).at(Instant.now());
        producer.send(new ProducerRecord<>(topic, e.key(), e), recordFailure(failure));
        sent.add(e);
        if (failure.get() != null) {
          break;
        }
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      producer.flush();
      throw LakehouseErrors.produceFailed(bootstrapServers, topic, e);
    } catch (RuntimeException e) {
      throw LakehouseErrors.produceFailed(bootstrapServers, topic, e);
    }
    if (failure.get() != null) {
      throw LakehouseErrors.produceFailed(bootstrapServers, topic, failure.get());
    }
    return sent;
  }

  /**
   * Sends one raw message (any text, for tests of bad input) and waits for its acknowledgement, so
   * it is on the topic before anything sent after it.
   */
  public synchronized void sendRaw(String key, String value) {
    if (rawProducer == null) {
      rawProducer =
          new KafkaProducer<>(
              settings("northwind-order-producer-raw"),
              new StringSerializer(),
              new StringSerializer());
    }
    AtomicReference<Exception> failure = new AtomicReference<>();
    rawProducer.send(new ProducerRecord<>(topic, key, value), recordFailure(failure));
    rawProducer.flush();
    if (failure.get() != null) {
      throw LakehouseErrors.produceFailed(bootstrapServers, topic, failure.get());
    }
  }

  /** Keeps the first failure of asynchronous sends. */
  private static Callback recordFailure(AtomicReference<Exception> failure) {
    return (metadata, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
      }
    };
  }

  /**
   * The highest {@code order_id} among the last {@value #TAIL_RECORDS} records of each partition (0
   * if none): orders sent but not yet streamed must not get their ids reused. Ids only grow, so the
   * tail holds the maximum; records that are not order events are skipped.
   */
  public int topicMaxOrderId() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "northwind-order-producer-tail");
    int max = 0;
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .collect(Collectors.toList());
      if (parts.isEmpty()) {
        return 0;
      }
      consumer.assign(parts);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long remaining = 0;
      for (TopicPartition tp : parts) {
        long from = Math.max(begin.get(tp), end.get(tp) - TAIL_RECORDS);
        consumer.seek(tp, from);
        remaining += end.get(tp) - from;
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (remaining > 0 && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            remaining--;
            max = Math.max(max, orderId(r.value()));
          }
        }
      }
    } catch (org.apache.kafka.common.KafkaException e) {
      throw LakehouseErrors.produceFailed(bootstrapServers, topic, e);
    }
    return max;
  }

  private static int orderId(String value) {
    try {
      JsonNode n = value == null ? null : Json.tree(value);
      JsonNode id = n == null ? null : n.get("order_id");
      return id != null && id.canConvertToInt() && id.isIntegralNumber() ? id.intValue() : 0;
    } catch (Exception e) {
      return 0;
    }
  }

  /** The highest order id in bronze.order_events, if the table exists and has rows. */
  public static OptionalInt bronzeMaxOrderId(SparkSession spark, Lake lake) {
    TableId events = StreamJob.ORDER_EVENTS;
    if (!lake.exists(spark, events)) {
      return OptionalInt.empty();
    }
    Row r = lake.read(spark, events).agg(functions.max("order_id")).first();
    return r.isNullAt(0) ? OptionalInt.empty() : OptionalInt.of(r.getInt(0));
  }

  @Override
  public synchronized void close() {
    producer.close(Duration.ofSeconds(30));
    if (rawProducer != null) {
      rawProducer.close(Duration.ofSeconds(30));
    }
  }
}
