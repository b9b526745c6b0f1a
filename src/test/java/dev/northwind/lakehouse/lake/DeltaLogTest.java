package dev.northwind.lakehouse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.config.ConfigLoader;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.testing.S3Server;
import dev.northwind.lakehouse.testing.TestSpark;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Delta log read through Hadoop's file system agrees with Delta's own history, on a local lake
 * and on an {@code s3a://} lake: versions, the last commit's operation and metrics, commit counts,
 * and a table that is deleted is gone.
 */
class DeltaLogTest {

  private static S3Server s3;

  @BeforeAll
  static void startS3() {
    s3 = S3Server.start();
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void aLocalLakesLogAgreesWithDeltasHistory() {
    SparkSession spark = TestSpark.spark();
    Lake lake = TestSpark.newLake();
    agreesWithDelta(spark, lake, spark.sparkContext().hadoopConfiguration());
  }

  @Test
  void anS3aLakesLogAgreesWithDeltasHistoryAndIsReadableWithoutASession() {
    SparkSession spark = TestSpark.spark();
    Lake lake = new Lake(s3.uri("lake"));
    // What `lakehouse produce` does before it starts Spark: the lake's s3a settings come from the
    // config's spark.conf (spark.hadoop.*), not from a session.
    String sparkConf =
        s3.sparkSettings().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
    LakehouseConfig config =
        ConfigLoader.load(
            Map.of("lake.root", lake.root().toString(), "spark.conf", sparkConf),
            Map.of(),
            Optional.empty());
    Configuration withoutSession = SparkSessions.hadoop(config);
    assertThat(withoutSession.get("fs.s3a.endpoint")).isEqualTo(s3.endpoint().toString());
    TableId probe = TableId.bronze("delta_log_probe");
    assertThat(lake.exists(withoutSession, probe)).isFalse();

    s3.configure(spark.sparkContext().hadoopConfiguration());
    agreesWithDelta(spark, lake, withoutSession);
  }

  @Test
  void aSummaryLeavesOutRowsADeletionVectorRemoved() {
    SparkSession spark = TestSpark.spark();
    Lake lake = TestSpark.newLake();
    TableId t = TableId.silver("dv_probe");
    spark
        .range(0, 40)
        .coalesce(1)
        .write()
        .format("delta")
        .option("delta.enableDeletionVectors", "true")
        .save(lake.location(t));
    lake.delta(spark, t).delete("id % 4 = 0");
    // The delete marked 10 rows in a deletion vector and rewrote nothing: the file still holds 40.
    assertThat(lake.lastCommitMetrics(spark, t)).containsEntry("numDeletionVectorsAdded", 1L);
    DeltaLog.Summary summary =
        DeltaLog.of(spark.sparkContext().hadoopConfiguration(), lake.location(t))
            .summary()
            .orElseThrow();
    assertThat(summary.rows()).isEqualTo(lake.read(spark, t).count()).isEqualTo(30);
  }

  private static void agreesWithDelta(SparkSession spark, Lake lake, Configuration hadoop) {
    TableId probe = TableId.bronze("delta_log_probe");
    assertThat(lake.version(spark, probe)).isEqualTo(DeltaLog.NO_TABLE);
    assertThat(lake.exists(spark, probe)).isFalse();
    assertThat(lake.lastCommit(spark, probe)).isEmpty();
    assertThat(lake.lastCommitMetrics(spark, probe)).isEmpty();

    spark.range(0, 25).write().format("delta").save(lake.location(probe));
    spark.range(0, 7).write().format("delta").mode("append").save(lake.location(probe));
    spark.range(0, 3).write().format("delta").save(lake.location(TableId.silver("other_probe")));

    Row history = lake.delta(spark, probe).history(1).first();
    DeltaLog.Commit last = lake.lastCommit(spark, probe).orElseThrow();
    assertThat(last.version()).isEqualTo(history.<Long>getAs("version")).isEqualTo(1L);
    assertThat(lake.version(spark, probe)).isEqualTo(1L);
    assertThat(last.operation()).isEqualTo(history.<String>getAs("operation")).isEqualTo("WRITE");
    Map<String, String> deltaMetrics = history.getJavaMap(history.fieldIndex("operationMetrics"));
    assertThat(last.outputRows()).hasValue(7);
    assertThat(last.metrics())
        .containsEntry("numOutputRows", Long.parseLong(deltaMetrics.get("numOutputRows")))
        .containsEntry("numFiles", Long.parseLong(deltaMetrics.get("numFiles")));
    assertThat(lake.lastCommitMetrics(spark, probe)).isEqualTo(last.metrics());
    assertThat(lake.exists(hadoop, probe)).isTrue();
    // Two commits of bronze.delta_log_probe, one of silver.other_probe.
    assertThat(DeltaLog.commitsUnder(hadoop, lake.root().toString())).isEqualTo(3);

    lake.delete(spark, probe);
    assertThat(lake.exists(spark, probe)).isFalse();
    assertThat(lake.version(spark, probe)).isEqualTo(DeltaLog.NO_TABLE);
    assertThat(DeltaLog.commitsUnder(hadoop, lake.root().toString())).isEqualTo(1);
  }
}
