package dev.northwind.lakehouse.testing;

import dev.northwind.lakehouse.config.ConfigLoader;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.lake.Verbosity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of the test JVM (starting Spark costs seconds; tests share it), built by the
 * same factory as production, and a fresh lake folder per caller.
 */
public final class TestSpark {

  private static SparkSession spark;
  private static Path base;

  private TestSpark() {}

  /** The shared session (local[2], {@link #TEST_SETTINGS}). */
  public static synchronized SparkSession spark() {
    if (spark == null) {
      try {
        base = Files.createTempDirectory("lakehouse-test-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      spark = SparkSessions.session(config(base.resolve("lake")), Verbosity.QUIET);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> spark.stop()));
    }
    return spark;
  }

  /**
   * Settings for tests' tiny tables (a few to a few thousand rows), measured on the fast tier
   * (issue #17: about a third less CPU). Each query's plan is compiled into Java by Spark's code
   * generation (Janino) before it runs; on tiny data that compilation, not the data, was the
   * largest cost (a third of the test JVM's samples). Interpreted expressions give the same results
   * (Spark runs its own tests in both modes), and the product's code generation still runs in every
   * child JVM of the integration tier ({@link ChildLakehouse} starts the CLI with the product's
   * settings). One shuffle partition and one Delta log-replay partition: on these tables more tasks
   * only add their fixed cost; adaptive execution re-plans each small query between its stages for
   * no gain. The product's defaults stay as they are (SparkSessions).
   */
  static final List<String> TEST_SETTINGS =
      List.of(
          "spark.sql.shuffle.partitions=1",
          "spark.databricks.delta.snapshotPartitions=1",
          "spark.sql.adaptive.enabled=false",
          "spark.sql.codegen.wholeStage=false",
          "spark.sql.codegen.factoryMode=NO_CODEGEN");

  /** A config whose lake lives in a fresh folder of its own. */
  public static LakehouseConfig config(Path lakeDir) {
    return ConfigLoader.load(
        Map.of(
            "lake.root",
            lakeDir.toString(),
            "services.dir",
            lakeDir.resolveSibling(lakeDir.getFileName() + "-services").toString(),
            "spark.master",
            "local[2]",
            "spark.conf",
            String.join(",", TEST_SETTINGS)),
        Map.of(),
        Optional.empty());
  }

  /** A new, empty lake (its own folder) for one test class or test. */
  public static Lake newLake() {
    spark();
    try {
      return new Lake(Files.createTempDirectory(base, "lake-").toUri());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
