package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.lake.Verbosity;
import dev.northwind.lakehouse.source.JdbcSource;
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
  private SparkSession spark;

  Context(LakehouseConfig config, Verbosity verbosity, Progress progress) {
    this.config = config;
    this.verbosity = verbosity;
    this.progress = progress;
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

  /** Kafka bootstrap servers (minimal version: an external broker must be configured). */
  String kafkaBootstrap() {
    return config.kafka().bootstrapServers().orElseThrow(LakehouseErrors::kafkaNotConfigured);
  }

  /** The source database (minimal version: an external database must be configured). */
  JdbcSource source() {
    String url = config.source().jdbcUrl().orElseThrow(LakehouseErrors::sourceNotConfigured);
    return new JdbcSource(url, config.source().user(), config.source().password());
  }

  SparkSession spark() {
    if (spark == null) {
      spark = SparkSessions.session(config, verbosity);
      SparkSession s = spark;
      closeables.push(s::stop);
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
    while (!closeables.isEmpty()) {
      try {
        closeables.pop().close();
      } catch (Exception e) {
        // Closing is best effort: the command's own outcome is what the user needs to see.
      }
    }
  }
}
