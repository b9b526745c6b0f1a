package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.lake.Verbosity;
import dev.northwind.lakehouse.services.Mode;
import dev.northwind.lakehouse.services.Services;
import dev.northwind.lakehouse.source.JdbcSource;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.spark.sql.SparkSession;

/**
 * What a command runs with: the parsed config, and the session and services it starts lazily,
 * closed in reverse order when the command ends.
 */
final class Context implements AutoCloseable {

  private final LakehouseConfig config;
  private final Verbosity verbosity;
  private final Progress progress;
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final Mode servicesMode;
  private SparkSession spark;
  private Services services;

  Context(LakehouseConfig config, Verbosity verbosity, Progress progress, Mode servicesMode) {
    this.config = config;
    this.verbosity = verbosity;
    this.progress = progress;
    this.servicesMode = servicesMode;
  }

  /** External, running or embedded services, started on first use and stopped at the end. */
  Services services() {
    if (services == null) {
      services = closeLater(Services.open(config, servicesMode));
    }
    return services;
  }

  /** The source database (external, or embedded). */
  JdbcSource source() {
    return services().source();
  }

  /** The Kafka bootstrap servers (external, or embedded). */
  String kafkaBootstrap() {
    return services().kafkaBootstrap();
  }

  LakehouseConfig config() {
    return config;
  }

  Verbosity verbosity() {
    return verbosity;
  }

  Progress progress() {
    return progress;
  }

  Lake lake() {
    return new Lake(config.lakeRoot());
  }

  // Synchronized: `serve` starts Spark from two reader threads (Gold and the Pipeline page).
  synchronized SparkSession spark() {
    if (spark == null) {
      // A session that already ran in this JVM (a test's, or an embedding application's) is not
      // ours to stop.
      boolean existed = SparkSession.getDefaultSession().isDefined();
      long started = System.nanoTime();
      spark = SparkSessions.session(config, verbosity);
      // Starting Spark is the first few seconds of every job; say when it is done so the wait
      // before
      // the job's own progress is explained.
      progress.report(
          String.format(
              "spark: %s ready in %.1f s",
              spark.sparkContext().master(), (System.nanoTime() - started) / 1e9));
      if (!existed) {
        SparkSession s = spark;
        closeables.push(s::stop);
      }
    }
    return spark;
  }

  /** Registers something to close when the command ends (last registered, first closed). */
  <T extends AutoCloseable> T closeLater(T c) {
    closeables.push(c);
    return c;
  }

  @Override
  public void close() {
    // Closing is best effort; Spark's shutdown races print RejectedExecutionException stack traces
    // (see ShutdownNoise), which go only to --verbose runs. Everything else on System.err stays.
    PrintStream err = System.err;
    PrintStream filtered = verbosity == Verbosity.VERBOSE ? err : ShutdownNoise.filtering(err);
    System.setErr(filtered);
    try {
      while (!closeables.isEmpty()) {
        try {
          closeables.pop().close();
        } catch (Exception e) {
          // Best effort, as above.
        }
      }
    } finally {
      System.setErr(err);
      if (filtered != err) {
        filtered.close();
      }
    }
  }
}
