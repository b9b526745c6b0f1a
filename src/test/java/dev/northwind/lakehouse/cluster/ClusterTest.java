package dev.northwind.lakehouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.testing.SparkStandaloneCluster;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake's code runs on a real Spark standalone cluster (a Master and two Workers, each its own
 * JVM, executors started by the Workers): a driver in a child JVM writes and MERGEs a Delta table
 * through {@link Lake}; this JVM's local session then reads the result from the shared folder.
 */
class ClusterTest {

  @TempDir Path dir;

  @Test
  void deltaWriteAndMergeRunOnTwoExecutorsOfAStandaloneCluster() throws Exception {
    Path lakeDir = dir.resolve("lake");
    List<ProcessHandle> ran;
    Map<String, String> out;
    try (SparkStandaloneCluster cluster = SparkStandaloneCluster.start(2)) {
      System.out.printf("standalone cluster (master + 2 workers) up in %d ms at %s%n",
          cluster.startMillis(), cluster.masterUrl());
      long t0 = System.currentTimeMillis();
      out = probe(cluster, lakeDir);
      System.out.printf("cluster probe: %d ms in all (%s)%n", System.currentTimeMillis() - t0, out);
      // The application has ended, so the workers have stopped its executors already.
      ran = cluster.processes();
      assertThat(ran).hasSizeGreaterThanOrEqualTo(3);
      cluster.close();
      assertThat(cluster.leftovers()).as("daemons and executors left running").isEmpty();
    }
    assertThat(ran).noneMatch(ProcessHandle::isAlive);

    assertThat(out).containsEntry("EXECUTORS", "2").containsEntry("ROWS", "1100").containsEntry("DRIVER_HOST", "127.0.0.1");
    Lake lake = new Lake(lakeDir.toUri());
    var table = lake.read(TestSpark.spark(), ClusterProbe.TABLE);
    Row totals = table.selectExpr("count(*)", "sum(amount)", "count(DISTINCT written_by)",
        "sum(CASE WHEN written_by = 'driver' THEN 1 ELSE 0 END)").first();
    assertThat(totals.getLong(0)).isEqualTo(1100);
    // sum(id / 4) over 0..1099, plus 1 for each of the 100 updated and 100 inserted ids.
    assertThat(totals.getDecimal(1)).isEqualByComparingTo(new BigDecimal("151312.5"));
    assertThat(totals.getLong(2)).as("distinct executors that wrote rows").isEqualTo(2);
    assertThat(totals.getLong(3)).as("rows computed on the driver").isZero();
    assertThat(table.where("id = 7").first().<BigDecimal>getAs("amount")).isEqualByComparingTo("2.75");
    assertThat(table.where("id = 1050").first().<BigDecimal>getAs("amount")).isEqualByComparingTo("263.5");
    assertThat(lake.delta(TestSpark.spark(), ClusterProbe.TABLE).history().count()).isEqualTo(2);
  }

  /** Runs {@link ClusterProbe} in a child JVM and returns its KEY=value lines. */
  private Map<String, String> probe(SparkStandaloneCluster cluster, Path lakeDir) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(SparkStandaloneCluster.java());
    cmd.add("-Xmx768m");
    cmd.addAll(SparkStandaloneCluster.jvmFlags());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ClusterProbe.class.getName());
    cmd.add(cluster.masterUrl());
    cmd.add(lakeDir.toString());
    cmd.add(dir.resolve("services").toString());
    cmd.add(SparkStandaloneCluster.applicationClassPath());
    Path log = dir.resolve("probe.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
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
