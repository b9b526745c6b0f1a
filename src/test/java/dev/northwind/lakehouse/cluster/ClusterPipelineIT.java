package dev.northwind.lakehouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.stream.OrderEvent;
import dev.northwind.lakehouse.stream.OrderEventProducer;
import dev.northwind.lakehouse.testing.ChildLakehouse;
import dev.northwind.lakehouse.testing.SparkStandaloneCluster;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake's code runs on a real Spark standalone cluster (a Master and two Workers, each its own
 * JVM, executors started by the Workers), started once for this class: a probe driver writes and
 * MERGEs a Delta table through {@link Lake}, and {@code lakehouse run --spark-master spark://...}
 * takes the real Northwind dump from PostgreSQL through Bronze, Silver and Gold with the JDBC reads
 * split over the executors. Its Gold equals a {@code local[2]} run's, row for row; then {@code
 * lakehouse stream --until-idle} on the same cluster takes new orders from Kafka into Bronze and
 * Silver.
 */
class ClusterPipelineIT {

  @TempDir static Path dir;
  private static SparkStandaloneCluster cluster;
  private static final List<ProcessHandle> RAN = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    // The source database first: a dump that is missing skips the class before the cluster starts.
    ReferenceLake.jdbcUrl();
    cluster = SparkStandaloneCluster.start(2);
    System.out.printf(
        "standalone cluster (master + 2 workers) up in %d ms at %s%n",
        cluster.startMillis(), cluster.masterUrl());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster == null) {
      return;
    }
    RAN.addAll(cluster.processes());
    cluster.close();
    assertThat(cluster.leftovers()).as("daemons and executors left running").isEmpty();
    assertThat(RAN).hasSizeGreaterThanOrEqualTo(3).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void deltaWriteAndMergeRunOnTwoExecutorsOfAStandaloneCluster() throws Exception {
    Path lakeDir = dir.resolve("probe-lake");
    long t0 = System.currentTimeMillis();
    Map<String, String> out = probe(lakeDir);
    System.out.printf("cluster probe: %d ms in all (%s)%n", System.currentTimeMillis() - t0, out);

    assertThat(out)
        .containsEntry("EXECUTORS", "2")
        .containsEntry("ROWS", "1100")
        .containsEntry("DRIVER_HOST", "127.0.0.1");
    Lake lake = new Lake(lakeDir.toUri());
    var table = lake.read(TestSpark.spark(), ClusterProbe.TABLE);
    Row totals =
        table
            .selectExpr(
                "count(*)",
                "sum(amount)",
                "count(DISTINCT written_by)",
                "sum(CASE WHEN written_by = 'driver' THEN 1 ELSE 0 END)")
            .first();
    assertThat(totals.getLong(0)).isEqualTo(1100);
    // sum(id / 4) over 0..1099, plus 1 for each of the 100 updated and 100 inserted ids.
    assertThat(totals.getDecimal(1)).isEqualByComparingTo(new BigDecimal("151312.5"));
    assertThat(totals.getLong(2)).as("distinct executors that wrote rows").isEqualTo(2);
    assertThat(totals.getLong(3)).as("rows computed on the driver").isZero();
    assertThat(table.where("id = 7").first().<BigDecimal>getAs("amount"))
        .isEqualByComparingTo("2.75");
    assertThat(table.where("id = 1050").first().<BigDecimal>getAs("amount"))
        .isEqualByComparingTo("263.5");
    assertThat(lake.delta(TestSpark.spark(), ClusterProbe.TABLE).history().count()).isEqualTo(2);
  }

  @Test
  void lakehouseRunOnTheClusterGivesTheSameGoldAsALocalRun() throws Exception {
    String url = ReferenceLake.jdbcUrl();
    Path lakeDir = dir.resolve("cluster-lake");
    Path events = Files.createDirectories(dir.resolve("events"));
    long t0 = System.currentTimeMillis();
    int exit;
    String stdout;
    String stderr;
    try (ChildLakehouse child =
        ChildLakehouse.start(
            dir.resolve("run-logs"),
            Map.of("LAKEHOUSE_SOURCE_PASSWORD", "postgres"),
            "run",
            "--spark-master",
            cluster.masterUrl(),
            "--lake",
            lakeDir.toString(),
            "--jdbc-url",
            url,
            "--jdbc-user",
            TestPostgres.user(),
            "--set",
            "services.dir=" + dir.resolve("run-services"),
            "--set",
            "source.partition.min.rows=" + ReferenceLake.PARTITION_MIN_ROWS,
            "--set",
            "source.read.partitions=4",
            // Executors find the application's classes here; spark-submit ships the jar instead.
            "--spark-conf",
            "spark.executor.extraClassPath=" + SparkStandaloneCluster.applicationClassPath(),
            "--spark-conf",
            "spark.executor.memory=512m",
            "--spark-conf",
            "spark.executor.cores=1",
            "--spark-conf",
            "spark.cores.max=2",
            // The event log says which executor ran which task.
            "--spark-conf",
            "spark.eventLog.enabled=true",
            "--spark-conf",
            "spark.eventLog.compress=false",
            "--spark-conf",
            "spark.eventLog.dir=" + events.toUri())) {
      exit = child.waitFor(600);
      stdout = child.out();
      stderr = child.err();
    }
    long clusterMillis = System.currentTimeMillis() - t0;
    System.out.printf("lakehouse run on the cluster (child driver JVM): %d ms%n", clusterMillis);
    assertThat(exit)
        .as("exit code; stdout:%n%s%nstderr:%n%s%n%s", stdout, stderr, cluster.logs())
        .isZero();
    assertThat(stdout).contains("bronze", "silver", "gold");
    assertThat(stdout + stderr).doesNotContain("password=postgres");

    // The JDBC reads were split into key ranges and both executors read some of them.
    Map<String, Integer> jdbcTasks = jdbcTasksByExecutor(events);
    System.out.printf("JDBC read tasks by executor: %s%n", jdbcTasks);
    assertThat(jdbcTasks).doesNotContainKey("driver").hasSize(2);
    assertThat(jdbcTasks.values().stream().mapToInt(Integer::intValue).sum())
        .as(
            "JDBC read tasks: 12 single-partition tables (2 empty ones give none) + 4 ranges each for orders and order_details")
        .isGreaterThanOrEqualTo(14);

    SparkSession spark = TestSpark.spark();
    Lake clusterLake = new Lake(lakeDir.toUri());
    Lake reference = ReferenceLake.lake();
    assertThat(clusterLake.read(spark, TableId.bronze("order_details")).count()).isEqualTo(2155);
    ReferenceLake.assertSameGold(spark, reference, clusterLake, "cluster");

    // The streaming job on the same cluster: new orders from Kafka into Bronze and Silver.
    String topic = TestKafka.newTopic("cluster-orders", 2);
    List<OrderEvent> sent;
    try (OrderEventProducer producer = new OrderEventProducer(TestKafka.bootstrap(), topic)) {
      sent =
          producer.produce(
              new JdbcSource(url, TestPostgres.user(), "postgres"),
              OrderEventProducer.bronzeMaxOrderId(spark, clusterLake),
              40,
              0,
              7L,
              dev.northwind.lakehouse.Progress.NONE);
    }
    long t1 = System.currentTimeMillis();
    try (ChildLakehouse child =
        ChildLakehouse.start(
            dir.resolve("stream-logs"),
            Map.of(),
            "stream",
            "--until-idle",
            "--spark-master",
            cluster.masterUrl(),
            "--lake",
            lakeDir.toString(),
            "--kafka-bootstrap",
            TestKafka.bootstrap(),
            "--topic",
            topic,
            "--set",
            "services.dir=" + dir.resolve("stream-services"),
            "--spark-conf",
            "spark.executor.extraClassPath=" + SparkStandaloneCluster.applicationClassPath(),
            "--spark-conf",
            "spark.executor.memory=512m",
            "--spark-conf",
            "spark.executor.cores=1",
            "--spark-conf",
            "spark.cores.max=2")) {
      exit = child.waitFor(600);
      assertThat(exit)
          .as("stream exit code; stdout:%n%s%nstderr:%n%s", child.out(), child.err())
          .isZero();
    }
    System.out.printf(
        "lakehouse stream --until-idle on the cluster: %d ms%n", System.currentTimeMillis() - t1);
    List<Integer> sentIds = sent.stream().map(OrderEvent::orderId).sorted().toList();
    assertThat(
            clusterLake
                .read(spark, TableId.bronze("order_events"))
                .select("order_id")
                .orderBy("order_id")
                .collectAsList()
                .stream()
                .map(r -> ((Number) r.get(0)).intValue())
                .toList())
        .isEqualTo(sentIds);
    Row streamed =
        clusterLake
            .read(spark, TableId.silver("fact_order_line"))
            .where("source = 'stream'")
            .selectExpr("count(*)", "sum(net_amount)")
            .first();
    assertThat(streamed.getLong(0)).isEqualTo(sent.stream().mapToLong(e -> e.lines().size()).sum());
    assertThat(streamed.getDecimal(1))
        .isEqualByComparingTo(
            sent.stream().map(OrderEvent::netAmount).reduce(BigDecimal.ZERO, BigDecimal::add));
  }

  /**
   * Tasks of stages that read JDBC (an RDD named JDBCRDD), counted per executor id, from the event
   * log.
   */
  private static Map<String, Integer> jdbcTasksByExecutor(Path events) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Set<Long> jdbcStages = new HashSet<>();
    List<JsonNode> taskEnds = new ArrayList<>();
    // Spark 4 rolls event logs by default: one folder per application holding the event files.
    try (Stream<Path> files = Files.walk(events)) {
      for (Path f :
          files
              .filter(Files::isRegularFile)
              .filter(
                  f ->
                      !f.getFileName().toString().startsWith("appstatus")
                          && !f.getFileName().toString().startsWith("."))
              .toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          JsonNode e = json.readTree(line);
          String type = e.path("Event").asText();
          if (type.equals("SparkListenerStageSubmitted")
              || type.equals("SparkListenerStageCompleted")) {
            JsonNode stage = e.path("Stage Info");
            for (JsonNode rdd : stage.path("RDD Info")) {
              if (rdd.path("Name").asText().contains("JDBCRDD")) {
                jdbcStages.add(stage.path("Stage ID").asLong());
              }
            }
          } else if (type.equals("SparkListenerTaskEnd")) {
            taskEnds.add(e);
          }
        }
      }
    }
    Map<String, Integer> byExecutor = new TreeMap<>();
    for (JsonNode e : taskEnds) {
      if (jdbcStages.contains(e.path("Stage ID").asLong())) {
        byExecutor.merge(e.path("Task Info").path("Executor ID").asText(), 1, Integer::sum);
      }
    }
    return byExecutor;
  }

  /** Runs {@link ClusterProbe} in a child JVM and returns its KEY=value lines. */
  private static Map<String, String> probe(Path lakeDir) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(SparkStandaloneCluster.java());
    cmd.add("-Xmx768m");
    cmd.addAll(SparkStandaloneCluster.jvmFlags());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ClusterProbe.class.getName());
    cmd.add(cluster.masterUrl());
    cmd.add(lakeDir.toString());
    cmd.add(dir.resolve("probe-services").toString());
    cmd.add(SparkStandaloneCluster.applicationClassPath());
    Path log = dir.resolve("probe.log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    // The driver's loopback address must come from SparkSessions, not from the environment.
    pb.environment().remove("SPARK_LOCAL_IP");
    Process p = pb.start();
    try {
      boolean done = p.waitFor(5, TimeUnit.MINUTES);
      String text = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(done).as("probe finished within 5 minutes%n%s%n%s", text, cluster.logs()).isTrue();
      assertThat(p.exitValue()).as("probe exit code%n%s%n%s", text, cluster.logs()).isZero();
      assertThat(text).contains("PROBE_OK");
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : text.split("\\R")) {
        if (line.matches("[A-Z_]+=.*")) {
          values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
      }
      return values;
    } finally {
      p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
