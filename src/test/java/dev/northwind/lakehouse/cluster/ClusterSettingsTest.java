package dev.northwind.lakehouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.config.ConfigLoader;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.SparkSessions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which settings the session gets for local, same-machine and remote masters. */
class ClusterSettingsTest {

  private static Map<String, String> settings(String master) {
    LakehouseConfig c =
        ConfigLoader.load(
            Map.of(
                "spark.master",
                master,
                "spark.conf",
                "spark.hadoop.fs.s3a.endpoint=http://minio:9000"),
            Map.of(),
            Optional.empty());
    return SparkSessions.settings(c);
  }

  /** The settings of the default (local) master with one {@code spark.conf} pair set. */
  private static Map<String, String> withConf(String pair) {
    return SparkSessions.settings(
        ConfigLoader.load(Map.of("spark.conf", pair), Map.of(), Optional.empty()));
  }

  @Test
  void driverIsPinnedToLoopbackOnlyWhenTheMasterIsOnThisMachine() {
    assertThat(settings("local[2]"))
        .containsEntry("spark.driver.host", "127.0.0.1")
        .containsEntry("spark.driver.bindAddress", "127.0.0.1")
        .containsEntry("spark.sql.shuffle.partitions", "4");
    assertThat(settings("spark://127.0.0.1:7077")).containsEntry("spark.driver.host", "127.0.0.1");
    assertThat(settings("spark://localhost:7077"))
        .containsEntry("spark.driver.bindAddress", "127.0.0.1");
    for (String remote :
        new String[] {
          "spark://spark-master:7077",
          "spark://127.0.0.1:7077,other:7077",
          "k8s://https://kubernetes.default.svc",
          "yarn"
        }) {
      assertThat(settings(remote))
          .as(remote)
          .doesNotContainKeys("spark.driver.host", "spark.driver.bindAddress")
          .containsEntry("spark.master", remote)
          .containsEntry("spark.sql.shuffle.partitions", "64");
    }
  }

  @Test
  void sparkConfPairsReachTheSession() {
    assertThat(settings("yarn"))
        .containsEntry("spark.hadoop.fs.s3a.endpoint", "http://minio:9000")
        .containsEntry("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
  }

  @Test
  void generatedCodeIsKeptAcrossRunsUnlessConfiguredOtherwise() {
    // 100 (Spark's default) is fewer classes than one refresh generates: each run recompiled them.
    assertThat(settings("local[2]")).containsEntry("spark.sql.codegen.cache.maxEntries", "2000");
    assertThat(settings("yarn")).containsEntry("spark.sql.codegen.cache.maxEntries", "2000");
    assertThat(withConf("spark.sql.codegen.cache.maxEntries=300"))
        .containsEntry("spark.sql.codegen.cache.maxEntries", "300");
  }

  @Test
  void sessionsShareTheExecutorsClassLoaderOnEveryMaster() {
    // The compiled-code cache is per class loader: per-session isolation recompiled every session.
    assertThat(settings("local[2]")).containsEntry("spark.sql.artifact.isolation.enabled", "false");
    assertThat(settings("spark://spark-master:7077"))
        .containsEntry("spark.sql.artifact.isolation.enabled", "false");
  }

  @Test
  void cachesAreUncompressedOnlyOnALocalMaster() {
    assertThat(settings("local[2]")).containsEntry(SparkSessions.IN_MEMORY_COMPRESSED, "false");
    assertThat(settings("spark://spark-master:7077"))
        .doesNotContainKey(SparkSessions.IN_MEMORY_COMPRESSED);
    assertThat(withConf(SparkSessions.IN_MEMORY_COMPRESSED + "=true"))
        .containsEntry(SparkSessions.IN_MEMORY_COMPRESSED, "true");
  }
}
