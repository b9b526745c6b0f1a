package dev.northwind.lakehouse.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.services.EmbeddedPostgres;
import dev.northwind.lakehouse.services.Mode;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.NorthwindGenerator;
import dev.northwind.lakehouse.stream.OrderEvent;
import dev.northwind.lakehouse.stream.OrderEventProducer;
import dev.northwind.lakehouse.stream.OrderEvents;
import dev.northwind.lakehouse.stream.ReferenceData;
import dev.northwind.lakehouse.stream.StreamJob;
import dev.northwind.lakehouse.testing.ChildLakehouse;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service that is down, or a lake that cannot be written: a bounded, clear failure with exit 1.
 */
class ServiceFailureIT {

  @TempDir Path tmp;

  @Test
  void postgresUnreachableFailsFastNamingTheAddressAndNeverThePassword() {
    Path lake = tmp.resolve("lake");
    try (ChildLakehouse child =
        ChildLakehouse.start(
            tmp.resolve("logs"),
            Map.of("LAKEHOUSE_SOURCE_PASSWORD", "hunter2", "SPARK_LOCAL_IP", "127.0.0.1"),
            "bronze",
            "--lake",
            lake.toUri().toString(),
            "--jdbc-url",
            "jdbc:postgresql://127.0.0.1:1/x")) {
      int code = child.waitFor(90);
      long seconds = child.secondsSinceStart();
      System.err.printf(
          "ServiceFailureIT postgres down: exit %d after %d s; stderr: %s%n",
          code, seconds, child.err().strip());
      assertThat(code).isEqualTo(1);
      assertThat(seconds).isLessThan(60);
      assertThat(child.err())
          .contains("PostgreSQL")
          .contains("127.0.0.1:1")
          .doesNotContain("\tat ");
      assertThat(child.out() + child.err()).doesNotContain("hunter2");
    }
    assertThat(lake.resolve("bronze")).doesNotExist();
  }

  @Test
  void postgresStoppedMidReadFailsTheRunClearlyKeepsNoPartialTableAndARerunCompletes()
      throws Exception {
    // Its own PostgreSQL, since this test stops it; scale 10 so the read takes long enough to stop
    // it midway.
    Path pgDir = tmp.resolve("pg");
    EmbeddedPostgres pg = EmbeddedPostgres.start(pgDir, 0, Mode.FRESH);
    int port = pg.port();
    Map<String, Long> sourceCounts;
    try (Connection c = pg.source().connect()) {
      NorthwindGenerator.generate(c, 10, NorthwindGenerator.DEFAULT_SEED, ExistingData.REFUSE);
      sourceCounts = counts(c);
    }
    Path lakeDir = tmp.resolve("lake");
    Lake lake = new Lake(lakeDir.toUri());
    String[] args = {
      "bronze",
      "--lake",
      lake.root().toString(),
      "--jdbc-url",
      pg.jdbcUrl(),
      "--jdbc-user",
      pg.source().user()
    };
    Map<String, String> env =
        Map.of("LAKEHOUSE_SOURCE_PASSWORD", pg.source().password(), "SPARK_LOCAL_IP", "127.0.0.1");
    long stoppedAt;
    int code;
    try (ChildLakehouse child = ChildLakehouse.start(tmp.resolve("logs"), env, args)) {
      assertThat(child.awaitOutput("[1/14]", 180))
          .as("first table ingested; %s", child.err())
          .isTrue();
      pg.close();
      stoppedAt = System.nanoTime();
      code = child.waitFor(180);
      long seconds = (System.nanoTime() - stoppedAt) / 1_000_000_000;
      System.err.printf(
          "ServiceFailureIT postgres stopped mid-read: exit %d %d s after the stop; stdout: %s; stderr: %s%n",
          code, seconds, child.out().strip(), child.err().strip());
      assertThat(code).isEqualTo(1);
      assertThat(seconds).as("seconds from the stop to the exit").isLessThan(120);
      assertThat(child.err())
          .contains("Bronze ingestion from postgresql:127.0.0.1:" + port + "/")
          .contains("failed for")
          .doesNotContain("\tat ");
    }
    SparkSession spark = TestSpark.spark();
    // No partial table: what exists holds exactly the source's rows; the rest was never committed.
    for (Map.Entry<String, Long> e : sourceCounts.entrySet()) {
      TableId id = TableId.bronze(e.getKey());
      if (lake.exists(spark, id)) {
        assertThat(lake.read(spark, id).count()).as(id.qualified()).isEqualTo(e.getValue());
      }
    }
    assertThat(lake.read(spark, TableId.bronze("_runs")).where("status <> 'SUCCEEDED'").count())
        .as("failed tables in bronze._runs")
        .isPositive();

    EmbeddedPostgres again = EmbeddedPostgres.start(pgDir, port, Mode.REUSE);
    try {
      assertThat(
              CliRun.of(plus(args, "--set", "source.password=" + again.source().password())).code())
          .as("re-run once PostgreSQL is back")
          .isZero();
      for (Map.Entry<String, Long> e : sourceCounts.entrySet()) {
        assertThat(lake.read(spark, TableId.bronze(e.getKey())).count())
            .as(e.getKey())
            .isEqualTo(e.getValue());
      }
    } finally {
      again.close();
    }
  }

  @Test
  void kafkaGoneMidStreamStopsTheStreamClearlyAndAResumeLosesNothing() throws Exception {
    // The broker runs in a `lakehouse services` child, so it can be killed and started again on the
    // same data.
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String bootstrap = "127.0.0.1:" + port;
    String[] services = {
      "services",
      "--set",
      "services.dir=" + tmp.resolve("services"),
      "--set",
      "services.kafka.port=" + port
    };
    String topic = "orders-broker-loss";
    Lake lake = new Lake(tmp.resolve("stream-lake").toUri());
    String[] stream = {
      "stream",
      "--lake",
      lake.root().toString(),
      "--kafka-bootstrap",
      bootstrap,
      "--topic",
      topic,
      "--set",
      "stream.max.offsets.per.trigger=20",
      "--set",
      "stream.trigger.interval=1 second"
    };
    ReferenceData catalog =
        new ReferenceData(
            List.of(
                new ReferenceData.Customer(
                    "ALFKI",
                    "Alfreds Futterkiste",
                    "Obere Str. 57",
                    "Berlin",
                    null,
                    "12209",
                    "Germany")),
            List.of(1, 2),
            List.of(1, 2),
            List.of(new ReferenceData.Product(1, new BigDecimal("18"))),
            11077,
            LocalDate.of(1998, 5, 6));
    List<OrderEvent> events =
        OrderEvents.generate(catalog, 70001, 120, 11L, Instant.parse("2025-01-01T00:00:00Z"));
    SparkSession spark = TestSpark.spark();

    try (ChildLakehouse broker = ChildLakehouse.start(tmp.resolve("logs"), Map.of(), services)) {
      assertThat(broker.awaitOutput("Kafka       " + bootstrap, 120))
          .as("broker up; %s", broker.err())
          .isTrue();
      try (OrderEventProducer p = new OrderEventProducer(bootstrap, topic)) {
        p.send(events.subList(0, 60), 0);
      }
      try (ChildLakehouse streamer =
          ChildLakehouse.start(
              tmp.resolve("logs"), Map.of("SPARK_LOCAL_IP", "127.0.0.1"), stream)) {
        assertThat(streamer.awaitOutput("Streaming from", 120))
            .as("stream up; %s", streamer.err())
            .isTrue();
        try {
          org.awaitility.Awaitility.await()
              .atMost(java.time.Duration.ofSeconds(120))
              .pollInterval(java.time.Duration.ofSeconds(1))
              .until(
                  () ->
                      lake.exists(spark, StreamJob.ORDER_EVENTS)
                          && lake.read(spark, StreamJob.ORDER_EVENTS).count() >= 20);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError(
              "no batch committed; stream stdout: "
                  + streamer.out()
                  + "\nstderr: "
                  + streamer.err(),
              e);
        }
        broker.kill9();
        long t0 = System.nanoTime();
        int code = streamer.waitFor(180);
        long seconds = (System.nanoTime() - t0) / 1_000_000_000;
        System.err.printf(
            "ServiceFailureIT Kafka killed mid-stream: exit %d %d s later; stderr: %s%n",
            code, seconds, streamer.err().lines().filter(l -> !l.contains(" WARN ")).toList());
        assertThat(code).isEqualTo(1);
        assertThat(seconds)
            .as("seconds from the broker's death to the stream's exit")
            .isLessThan(90);
        assertThat(streamer.err()).contains("Kafka").contains(bootstrap).doesNotContain("\tat ");
      }
    }
    long before = lake.read(spark, StreamJob.ORDER_EVENTS).count();
    assertThat(before).isBetween(20L, 60L);

    try (ChildLakehouse broker = ChildLakehouse.start(tmp.resolve("logs"), Map.of(), services)) {
      assertThat(broker.awaitOutput("Kafka       " + bootstrap, 120))
          .as("broker back; %s", broker.err())
          .isTrue();
      try (OrderEventProducer p = new OrderEventProducer(bootstrap, topic)) {
        p.send(events.subList(60, events.size()), 0);
      }
      assertThat(CliRun.of(plus(stream, "--until-idle")).code()).as("the resumed stream").isZero();
      broker.stop();
    }
    List<String> ids =
        lake
            .read(spark, StreamJob.ORDER_EVENTS)
            .select("event_id")
            .orderBy("event_id")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .toList();
    assertThat(ids)
        .as("every event once, none lost")
        .isEqualTo(events.stream().map(OrderEvent::eventId).sorted().toList());
  }

  @Test
  void aFullDiskFailsClearlyCommitsNothingPartialAndARunWithRoomCompletes() throws Exception {
    // A real full file system: a 256 KB tmpfs holds Bronze's first tables but not all of them.
    Path mount = Files.createDirectories(tmp.resolve("tiny"));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString()) == 0,
        "skipped: mounting a small tmpfs needs root (CAP_SYS_ADMIN); the disk-full test runs where it can");
    try {
      String url = TestPostgres.freshDatabase(ServiceFailureIT.class);
      Map<String, Long> sourceCounts;
      try (Connection c = TestPostgres.connect(url)) {
        NorthwindGenerator.generate(c, 1, NorthwindGenerator.DEFAULT_SEED, ExistingData.REPLACE);
        sourceCounts = counts(c);
      }
      Lake lake = new Lake(mount.resolve("lake").toUri());
      CliRun full =
          CliRun.of(
              "bronze",
              "--lake",
              lake.root().toString(),
              "--jdbc-url",
              url,
              "--jdbc-user",
              TestPostgres.user(),
              "--set",
              "source.password=postgres");
      System.err.printf(
          "ServiceFailureIT disk full: exit %d; stderr: %s%n", full.code(), full.err().strip());
      assertThat(full.code()).isEqualTo(1);
      assertThat(full.err()).contains("No space left on device").doesNotContain("\tat ");
      SparkSession spark = TestSpark.spark();
      int present = 0;
      for (Map.Entry<String, Long> e : sourceCounts.entrySet()) {
        TableId id = TableId.bronze(e.getKey());
        if (lake.exists(spark, id)) {
          present++;
          assertThat(lake.read(spark, id).count())
              .as("%s is whole or absent", id.qualified())
              .isEqualTo(e.getValue());
        }
      }
      System.err.printf(
          "ServiceFailureIT disk full: %d of %d tables committed whole%n",
          present, sourceCounts.size());

      // More room (the same folder, remounted larger): the re-run completes every table.
      assertThat(run("mount", "-o", "remount,size=256m", mount.toString())).isZero();
      CliRun again =
          CliRun.of(
              "bronze",
              "--lake",
              lake.root().toString(),
              "--jdbc-url",
              url,
              "--jdbc-user",
              TestPostgres.user(),
              "--set",
              "source.password=postgres");
      assertThat(again.code()).as(again.err()).isZero();
      for (Map.Entry<String, Long> e : sourceCounts.entrySet()) {
        assertThat(lake.read(spark, TableId.bronze(e.getKey())).count())
            .as(e.getKey())
            .isEqualTo(e.getValue());
      }
    } finally {
      run("umount", "-l", mount.toString());
    }
  }

  /** Row count of every Northwind table in the source: what a complete Bronze table holds. */
  private static Map<String, Long> counts(Connection c) throws java.sql.SQLException {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (String t : dev.northwind.lakehouse.testing.NorthwindDump.ROWS.keySet()) {
      try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM " + t)) {
        rs.next();
        out.put(t, rs.getLong(1));
      }
    }
    return out;
  }

  private static String[] plus(String[] args, String... more) {
    return java.util.stream.Stream.concat(
            java.util.Arrays.stream(args), java.util.Arrays.stream(more))
        .toArray(String[]::new);
  }

  private static int run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  @Test
  void configMasksThePassword() {
    try (ChildLakehouse child =
        ChildLakehouse.start(
            tmp.resolve("logs"), Map.of("LAKEHOUSE_SOURCE_PASSWORD", "hunter2"), "config")) {
      assertThat(child.waitFor(60)).isZero();
      System.err.printf(
          "ServiceFailureIT config: %s%n",
          child.out().lines().filter(l -> l.contains("password")).toList());
      assertThat(child.out()).contains("source.password").doesNotContain("hunter2");
      assertThat(child.err()).doesNotContain("hunter2");
    }
  }

  @Test
  void kafkaUnreachableFailsWithinABoundedTimeNamingKafkaAndTheAddress() {
    Path lake = tmp.resolve("lake");
    try (ChildLakehouse child =
        ChildLakehouse.start(
            tmp.resolve("logs"),
            Map.of("SPARK_LOCAL_IP", "127.0.0.1"),
            "stream",
            "--until-idle",
            "--lake",
            lake.toUri().toString(),
            "--kafka-bootstrap",
            "127.0.0.1:1")) {
      int code = child.waitFor(150);
      long seconds = child.secondsSinceStart();
      System.err.printf(
          "ServiceFailureIT kafka down: exit %d after %d s; stderr: %s%n",
          code, seconds, child.err().strip());
      assertThat(code).isEqualTo(1);
      assertThat(seconds).as("child JVM start + %d s broker probe", 20).isLessThan(100);
      assertThat(child.err()).contains("Kafka").contains("127.0.0.1:1").doesNotContain("\tat ");
    }
    assertThat(lake.resolve("bronze/order_events/_delta_log")).doesNotExist();
  }

  @Test
  void aLakeUnderARegularFileFailsClearlyAndLeavesTheFileAlone() throws Exception {
    // Tests run as root, where chmod a-w does not stop writes; a path through a regular file does.
    Path file = Files.writeString(tmp.resolve("file.txt"), "not a folder", StandardCharsets.UTF_8);
    Path lake = file.resolve("lake");
    String url = TestPostgres.freshDatabase(ServiceFailureIT.class);
    try (Connection c = TestPostgres.connect(url)) {
      NorthwindGenerator.generate(c, 1, NorthwindGenerator.DEFAULT_SEED, ExistingData.REFUSE);
    }
    CliRun r =
        CliRun.of(
            "bronze",
            "--lake",
            lake.toUri().toString(),
            "--jdbc-url",
            url,
            "--jdbc-user",
            TestPostgres.user(),
            "--set",
            "source.password=postgres",
            "--tables",
            "shippers");
    System.err.printf(
        "ServiceFailureIT unwritable lake (bronze): exit %d; stderr: %s%n",
        r.code(), r.err().strip());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isNotBlank().contains(lake.toString()).doesNotContain("\tat ");
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("not a folder");
  }
}
