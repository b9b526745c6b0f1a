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

  /** The shared session (local[2], small shuffle partitions). */
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
            "spark.sql.shuffle.partitions=2"),
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
