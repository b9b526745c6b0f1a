package dev.northwind.lakehouse.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.northwind.lakehouse.LakehouseException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real KRaft broker: records survive a restart with REUSE; big records fit. */
class EmbeddedKafkaIT {

  @TempDir static Path tmp;

  static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    long t0 = System.nanoTime();
    kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0, Mode.FRESH);
    System.err.printf("kafka first start (format) %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void recordsSurviveARestartWithReuse() throws Exception {
    kafka.createTopic("orders", 2);
    kafka.createTopic("orders", 2);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerProps(), new StringSerializer(), new StringSerializer())) {
      for (int i = 1; i <= 3; i++) {
        producer.send(new ProducerRecord<>("orders", "k" + i, "order-" + i)).get();
      }
    }
    assertThat(values("orders", 3)).containsExactlyInAnyOrder("order-1", "order-2", "order-3");

    kafka.close();
    long t0 = System.nanoTime();
    kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0, Mode.REUSE);
    System.err.printf("kafka restart (reuse) %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(values("orders", 3)).containsExactlyInAnyOrder("order-1", "order-2", "order-3");
    kafka.createTopic("orders", 2);
  }

  @Test
  void acceptsAFiveMegabyteRecord() throws Exception {
    kafka.createTopic("pictures", 1);
    byte[] picture = new byte[5 * 1024 * 1024];
    Properties props = producerProps();
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 * 1024 * 1024));
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("pictures", picture)).get();
    }
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition("pictures", 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 30_000;
      while (got.isEmpty() && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(got::add);
      }
      assertThat(got).hasSize(1);
      assertThat(got.get(0).value()).hasSize(picture.length);
    }
  }

  @Test
  void portInUseIsAJobError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> EmbeddedKafka.start(tmp.resolve("other"), port, Mode.FRESH))
          .isInstanceOfSatisfying(
              LakehouseException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
          .hasMessageContaining("Kafka")
          .hasMessageContaining("port " + port);
    }
  }

  @Test
  void listensOnLoopbackOnly() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      assertThat(admin.describeCluster().nodes().get())
          .singleElement()
          .satisfies(n -> assertThat(n.host()).isEqualTo("127.0.0.1"));
    }
    assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
  }

  private static List<String> values(String topic, int expected) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new StringDeserializer())) {
      Set<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toSet());
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      List<String> values = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 30_000;
      while (values.size() < expected && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
      }
      return values;
    }
  }

  private static Properties producerProps() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return p;
  }

  private static Properties consumerProps() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return p;
  }
}
