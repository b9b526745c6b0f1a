package dev.northwind.lakehouse.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Layer;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.NorthwindGenerator;
import dev.northwind.lakehouse.stream.OrderEvent;
import dev.northwind.lakehouse.stream.OrderEventProducer;
import dev.northwind.lakehouse.stream.OrderEvents;
import dev.northwind.lakehouse.stream.ReferenceData;
import dev.northwind.lakehouse.stream.StreamJob;
import dev.northwind.lakehouse.testing.ChildLakehouse;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of {@code lakehouse bronze|silver|gold|stream} at seeded-random moments, then a normal
 * re-run: every table ends identical to an uninterrupted reference run, and a reader in this JVM
 * only ever sees committed versions while the kills happen.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KillRecoveryIT {

  static final int KILLS_PER_BATCH_COMMAND = 5;
  static final int STREAM_KILLS = 20;

  /** Printed by every command once its SparkSession is up; kills are timed from there. */
  static final String SPARK_READY = "spark: ";

  static final long SEED = 20261125L;

  @TempDir static Path tmp;
  static String url;
  static Lake reference;
  static Lake killed;
  static final Map<String, Long> referenceMillis = new java.util.HashMap<>();
  static final Random random = new Random(SEED);

  @BeforeAll
  static void referenceRun() throws Exception {
    url = TestPostgres.freshDatabase(KillRecoveryIT.class);
    try (Connection c = TestPostgres.connect(url)) {
      NorthwindGenerator.generate(c, 1, NorthwindGenerator.DEFAULT_SEED, ExistingData.REFUSE);
    }
    reference = new Lake(tmp.resolve("reference").toUri());
    killed = new Lake(tmp.resolve("killed").toUri());
    for (String cmd : List.of("bronze", "silver", "gold")) {
      long t0 = System.nanoTime();
      assertThat(inProcess(cmd, reference)).as("reference %s", cmd).isZero();
      referenceMillis.put(cmd, (System.nanoTime() - t0) / 1_000_000);
    }
    System.err.println("KillRecoveryIT reference run millis: " + referenceMillis);
  }

  static int inProcess(String cmd, Lake lake) {
    return CliRun.of(
            cmd,
            "--lake",
            lake.root().toString(),
            "--jdbc-url",
            url,
            "--jdbc-user",
            TestPostgres.user(),
            "--set",
            "source.password=postgres")
        .code();
  }

  @Test
  @Order(1)
  void bronzeKilledThenRerunEqualsReference() throws Exception {
    killAndRerun("bronze", Layer.BRONZE, TableId.bronze("order_details"));
  }

  @Test
  @Order(2)
  void silverKilledThenRerunEqualsReference() throws Exception {
    killAndRerun("silver", Layer.SILVER, TableId.silver("fact_order_line"));
  }

  @Test
  @Order(3)
  void goldKilledThenRerunEqualsReference() throws Exception {
    killAndRerun("gold", Layer.GOLD, TableId.gold("revenue_by_country"));
  }

  private void killAndRerun(String cmd, Layer layer, TableId watched) throws Exception {
    SparkSession spark = TestSpark.spark();
    Reader reader = new Reader(spark, killed, watched);
    reader.start();
    List<String> points = new ArrayList<>();
    try {
      for (int i = 0; i < KILLS_PER_BATCH_COMMAND; i++) {
        // A child JVM is slower than the warm reference run; spread the kills over its whole job.
        long delay = (long) (random.nextDouble() * referenceMillis.get(cmd));
        try (ChildLakehouse child =
            ChildLakehouse.start(
                tmp.resolve("logs"),
                Map.of("LAKEHOUSE_SOURCE_PASSWORD", "postgres", "SPARK_LOCAL_IP", "127.0.0.1"),
                // The layer's selection of the graph, forced: a run that an earlier kill let finish
                // would otherwise leave the layer up to date, and this one would do no work to
                // kill.
                "run",
                "--select",
                cmd + ".*",
                "--full-refresh",
                "--lake",
                killed.root().toString(),
                "--jdbc-url",
                url,
                "--jdbc-user",
                TestPostgres.user())) {
          assertThat(child.awaitOutput(SPARK_READY, 120))
              .as("%s child started Spark; stderr: %s", cmd, child.err())
              .isTrue();
          Thread.sleep(delay);
          boolean alive = child.alive();
          child.kill9();
          points.add(delay + " ms" + (alive ? "" : " (already finished)"));
        }
      }
      System.err.printf("KillRecoveryIT %s kill points: %s%n", cmd, points);
      assertThat(inProcess(cmd, killed)).as("re-run of %s after kills", cmd).isZero();
    } finally {
      reader.stop();
    }
    assertThat(LakeFingerprint.of(spark, killed, layer))
        .isEqualTo(LakeFingerprint.of(spark, reference, layer));
    reader.assertOnlyCommittedVersionsSeen();
  }

  @Test
  @Order(4)
  void streamKilledThenUntilIdleHasEveryEventOnce() throws Exception {
    String topic = TestKafka.newTopic("kill-recovery", 2);
    Lake lake = new Lake(tmp.resolve("stream").toUri());
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
            List.of(
                new ReferenceData.Product(1, new BigDecimal("18")),
                new ReferenceData.Product(2, new BigDecimal("19"))),
            11077,
            LocalDate.of(1998, 5, 6));
    List<OrderEvent> events =
        OrderEvents.generate(catalog, 60001, 400, SEED, Instant.parse("2025-01-01T00:00:00Z"));
    Map<String, String> env = Map.of("SPARK_LOCAL_IP", "127.0.0.1");
    String[] args = {
      "stream",
      "--lake",
      lake.root().toString(),
      "--kafka-bootstrap",
      TestKafka.bootstrap(),
      "--topic",
      topic,
      "--set",
      "stream.max.offsets.per.trigger=40",
      "--set",
      "stream.trigger.interval=1 second"
    };
    List<String> points = new ArrayList<>();
    int sent = 0;
    Reader reader = new Reader(TestSpark.spark(), lake, StreamJob.ORDER_EVENTS);
    reader.start();
    try (OrderEventProducer p = new OrderEventProducer(TestKafka.bootstrap(), topic)) {
      for (int i = 0; i < STREAM_KILLS; i++) {
        // Events keep arriving between and during the runs, like production.
        int upTo = (i + 1) * events.size() / (STREAM_KILLS + 1);
        p.send(events.subList(sent, upTo), 0);
        sent = upTo;
        // Batches run every second once the query is up: a kill within a few seconds lands before,
        // inside or between batch commits.
        long delay = (long) (random.nextDouble() * 4_000);
        try (ChildLakehouse child = ChildLakehouse.start(tmp.resolve("logs"), env, args)) {
          assertThat(child.awaitOutput("Streaming from", 120))
              .as("stream child started; stderr: %s", child.err())
              .isTrue();
          Thread.sleep(delay);
          boolean alive = child.alive();
          child.kill9();
          points.add(
              delay
                  + " ms"
                  + (alive
                      ? ""
                      : " (already ended: " + child.err().lines().findFirst().orElse("") + ")"));
        }
      }
      p.send(events.subList(sent, events.size()), 0);
    }
    System.err.printf("KillRecoveryIT stream kill points: %s%n", points);
    String[] idle = new String[args.length + 1];
    System.arraycopy(args, 0, idle, 0, args.length);
    idle[args.length] = "--until-idle";
    try {
      assertThat(CliRun.of(idle).code()).isZero();
    } finally {
      reader.stop();
    }
    if (lake.exists(TestSpark.spark(), StreamJob.DEAD_LETTER)) {
      assertThat(lake.read(TestSpark.spark(), StreamJob.DEAD_LETTER).count())
          .as("dead letters")
          .isZero();
    }
    List<String> ids =
        lake
            .read(TestSpark.spark(), StreamJob.ORDER_EVENTS)
            .select("event_id")
            .orderBy("event_id")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .toList();
    assertThat(ids).isEqualTo(events.stream().map(OrderEvent::eventId).sorted().toList());
    reader.assertOnlyCommittedVersionsSeen();
  }

  /**
   * Keeps counting a table's rows while the kills happen; each count must be that of a committed
   * version.
   */
  static final class Reader {
    private final SparkSession spark;
    private final Lake lake;
    private final TableId table;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    static final long ABSENT = -1;

    Reader(SparkSession spark, Lake lake, TableId table) {
      this.spark = spark;
      this.lake = lake;
      this.table = table;
      this.thread = new Thread(this::loop, "kill-recovery-reader");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    private void loop() {
      while (running.get()) {
        try {
          seen.add(count());
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        } catch (Throwable t) {
          errors.add(t);
        }
      }
    }

    /**
     * Rows of the latest committed version, or {@link #ABSENT} while no version is committed yet.
     */
    private long count() {
      try {
        return spark.read().format("delta").load(lake.location(table)).count();
      } catch (Exception e) { // Scala's AnalysisException is a checked exception to Java
        // A first commit that has not happened (or was killed) leaves at most an empty _delta_log:
        // to a reader the table does not exist yet, which is a committed state too.
        if (String.valueOf(e.getMessage()).contains("DELTA_TABLE_NOT_FOUND")
            || String.valueOf(e.getMessage()).contains("PATH_NOT_FOUND")) {
          return ABSENT;
        }
        throw new IllegalStateException(e);
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(120_000);
    }

    void assertOnlyCommittedVersionsSeen() {
      assertThat(errors).as("reads of %s during the kills", table.qualified()).isEmpty();
      Set<Long> committed = new HashSet<>();
      long latest =
          lake.delta(spark, table).history().selectExpr("max(version)").first().getLong(0);
      for (long v = 0; v <= latest; v++) {
        committed.add(
            spark
                .read()
                .format("delta")
                .option("versionAsOf", v)
                .load(lake.location(table))
                .count());
      }
      System.err.printf(
          "KillRecoveryIT reader of %s: %d reads, counts %s, committed counts %s%n",
          table.qualified(), seen.size(), new HashSet<>(seen), committed);
      List<Long> reads = new ArrayList<>(seen);
      int firstPresent = 0;
      while (firstPresent < reads.size() && reads.get(firstPresent) == ABSENT) {
        firstPresent++;
      }
      assertThat(reads.subList(firstPresent, reads.size()))
          .as("once committed, %s never disappears", table.qualified())
          .doesNotContain(ABSENT);
      assertThat(reads)
          .as("row counts read during the kills")
          .allMatch(n -> n == ABSENT || committed.contains(n));
    }
  }
}
