package dev.northwind.lakehouse.stream;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.lake.Verbosity;
import dev.northwind.lakehouse.testing.TestSpark;
import java.net.URI;
import java.nio.file.Files;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the stream continuously in a child JVM until it is killed (see {@link StreamCrashIT}). Args:
 * lake root URI, bootstrap servers, topic, max offsets per trigger.
 */
final class StreamChild {

  private StreamChild() {}

  public static void main(String[] args) throws Exception {
    LakehouseConfig config =
        TestSpark.config(Files.createTempDirectory("stream-child-").resolve("lake"));
    SparkSession spark = SparkSessions.session(config, Verbosity.QUIET);
    new StreamJob(
            spark,
            new Lake(URI.create(args[0])),
            args[1],
            args[2],
            new LakehouseConfig.Stream(
                "200 milliseconds", Integer.parseInt(args[3]), LakehouseConfig.StreamSilver.MERGE),
            Progress.to(System.out))
        .runUntilStopped();
  }
}
