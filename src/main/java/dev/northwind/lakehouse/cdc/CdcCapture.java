package dev.northwind.lakehouse.cdc;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.Resources;
import dev.northwind.lakehouse.lake.Verbosity;
import dev.northwind.lakehouse.source.JdbcSource;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Runs Debezium's embedded engine (the async engine) with the PostgreSQL connector: an initial
 * snapshot of the captured tables (operation {@code r}), then every committed change streamed from
 * the WAL through the {@code pgoutput} plugin and the replication slot, sent to Kafka by {@link
 * KafkaChangeSink}.
 *
 * <p>Debezium's offsets (the WAL position of the last change Kafka acknowledged, and whether the
 * snapshot finished) live in a file ({@code FileOffsetBackingStore}, written to a temporary file
 * and renamed, so a kill leaves the previous or the new version, never half of one); see {@link
 * #offsetsFile}. PostgreSQL keeps the WAL from the position Debezium confirmed, so a restart reads
 * everything after the last stored offset again.
 */
public final class CdcCapture {

  /** How often the engine writes its offsets; at most this much is read again after a kill. */
  static final Duration OFFSET_FLUSH = Duration.ofSeconds(1);

  private final JdbcSource source;
  private final String schema;
  private final String bootstrapServers;
  private final CdcSettings settings;
  private final Path offsets;
  private final Progress progress;
  private final CountDownLatch stopRequested = new CountDownLatch(1);

  public CdcCapture(
      JdbcSource source,
      String schema,
      String bootstrapServers,
      CdcSettings settings,
      Path offsets,
      Progress progress) {
    this.source = source;
    this.schema = schema;
    this.bootstrapServers = bootstrapServers;
    this.settings = settings;
    this.offsets = offsets;
    this.progress = progress;
  }

  /**
   * Sets Debezium's log level before a capture: its own lines only for {@code --verbose} (quiet
   * runs print the capture's progress lines; Debezium logs, e.g., an interrupted keep-alive as an
   * ERROR with a stack trace on every normal stop).
   */
  public static void logs(Verbosity verbosity) {
    Configurator.setLevel("io.debezium", verbosity == Verbosity.VERBOSE ? Level.INFO : Level.OFF);
  }

  /**
   * Where the offsets of a slot's capture live: under the lake's checkpoints ({@code
   * <lake>/_checkpoints/cdc_capture_<slot>/offsets.dat}) when the lake is a local folder
   * (Debezium's file store writes local files only); for a lake on an object store, under the
   * services folder.
   */
  public static Path offsetsFile(URI lakeCheckpoint, Path servicesDir, String slot) {
    Path dir =
        "file".equals(lakeCheckpoint.getScheme())
            ? Path.of(lakeCheckpoint)
            : servicesDir.resolve("cdc").resolve("cdc_capture_" + slot);
    return dir.resolve("offsets.dat");
  }

  /** How a capture run ends. */
  public enum Until {
    /** When streaming has seen no new change for {@code cdc.idle}. */
    IDLE,
    /** When the process is asked to stop (Ctrl-C) or {@link #stop()} is called. */
    STOPPED
  }

  /**
   * What a capture run did.
   *
   * @param sent change events sent to Kafka (acknowledged)
   * @param seconds the whole run: engine start, snapshot if any, streaming, idle period, stop
   * @param sendingSeconds from the first to the last batch of changes Kafka acknowledged
   */
  public record Captured(long sent, double seconds, double sendingSeconds) {}

  /**
   * Ends a running capture as Ctrl-C would (a capture in another thread, e.g. the bench's): what
   * Kafka acknowledged is stored in the offsets. A run started afterwards ends at once.
   */
  public void stop() {
    stopRequested.countDown();
  }

  /**
   * Captures until idle or stopped.
   *
   * @param tables captured tables, {@code schema.table}
   * @return what this run sent to Kafka
   */
  public Captured run(List<String> tables, Until until) {
    try {
      Files.createDirectories(offsets.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AtomicReference<Throwable> engineError = new AtomicReference<>();
    AtomicBoolean closing = new AtomicBoolean();
    CountDownLatch ended = new CountDownLatch(1);
    try (KafkaChangeSink sink = new KafkaChangeSink(bootstrapServers)) {
      DebeziumEngine<ChangeEvent<String, String>> engine =
          DebeziumEngine.create(Json.class)
              .using(properties(tables))
              .using(
                  (success, message, error) -> {
                    if (!success && !(closing.get() && rejectedOnClose(error))) {
                      engineError.set(error != null ? error : new IllegalStateException(message));
                    }
                    ended.countDown();
                  })
              .notifying(sink)
              .build();
      ExecutorService executor =
          Executors.newSingleThreadExecutor(r -> new Thread(r, "cdc-engine"));
      Thread hook = new Thread(() -> closeQuietly(engine, closing, ended), "cdc-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      long started = System.nanoTime();
      progress.report(
          "cdc: capturing "
              + Progress.count(tables.size(), "table")
              + " of "
              + source.system()
              + " through slot "
              + settings.slot()
              + " into topics "
              + settings.topic(schema, "<table>")
              + (until == Until.IDLE
                  ? " until idle for " + settings.idle().toMillis() + " ms"
                  : "; Ctrl-C stops"));
      executor.execute(engine);
      try {
        await(until, sink, ended);
      } finally {
        closeQuietly(engine, closing, ended);
        executor.shutdown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // Shutting down: the hook is the one stopping the engine.
        }
      }
      if (sink.failure().isPresent()) {
        throw sink.failure().get();
      }
      if (engineError.get() != null) {
        throw LakehouseErrors.cdcFailed(settings.slot(), engineError.get());
      }
      progress.report(
          String.format(
              "cdc: %s sent to %s in %.1f s; offsets in %s",
              Progress.count(sink.sent(), "change"),
              Progress.count(sink.topics().size(), "topic"),
              (System.nanoTime() - started) / 1e9,
              offsets));
      return new Captured(sink.sent(), (System.nanoTime() - started) / 1e9, sink.sendingSeconds());
    }
  }

  private void await(Until until, KafkaChangeSink sink, CountDownLatch ended) {
    long connectedAt = 0;
    long reported = 0;
    boolean drained = false;
    try {
      while (!ended.await(200, TimeUnit.MILLISECONDS) && stopRequested.getCount() > 0) {
        if (sink.sent() - reported >= 10_000) {
          reported = sink.sent();
          progress.report("cdc: " + reported + " changes sent");
        }
        if (until != Until.IDLE) {
          continue;
        }
        long now = System.nanoTime();
        if (connectedAt == 0 && streaming()) {
          connectedAt = now;
          drained = !emitMarker(sink);
        }
        drained = drained || sink.markerSeen();
        if (drained
            && !sink.busy()
            && now - Math.max(connectedAt, sink.lastChangeNanos()) >= settings.idle().toNanos()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Writes a marker into the WAL (a transactional logical decoding message, PostgreSQL 14+) once
   * streaming runs: when it comes back through the slot, every change committed before it has been
   * handled, so {@code --until-idle} cannot stop before the backlog is through however long
   * decoding it takes. Returns false when the server cannot (older PostgreSQL, no privilege): then
   * only the idle period counts.
   */
  private boolean emitMarker(KafkaChangeSink sink) {
    String token = "northwind-cdc-drain-" + java.util.UUID.randomUUID();
    sink.awaitMarker(token);
    try (java.sql.Connection c = source.connect();
        java.sql.PreparedStatement ps =
            c.prepareStatement("SELECT pg_logical_emit_message(true, ?, 'drain')")) {
      // The token is the message's prefix: Debezium's JSON has the prefix as text (the content as
      // base64).
      ps.setString(1, token);
      ps.execute();
      return true;
    } catch (java.sql.SQLException | RuntimeException e) {
      progress.report(
          "cdc: warning: cannot write a drain marker ("
              + LakehouseErrors.firstLine(e)
              + "); --until-idle relies on cdc.idle alone");
      return false;
    }
  }

  /**
   * Whether the connector streams from the slot (the snapshot, if any, is over): Debezium's
   * streaming metrics MBean says Connected.
   */
  private boolean streaming() {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      for (ObjectName name :
          server.queryNames(
              new ObjectName("debezium.postgres:type=connector-metrics,context=streaming,*"),
              null)) {
        if (settings.topicPrefix().equals(name.getKeyProperty("server"))
            && Boolean.TRUE.equals(server.getAttribute(name, "Connected"))) {
          return true;
        }
      }
      return false;
    } catch (javax.management.JMException e) {
      return false;
    }
  }

  /**
   * Whether an engine error is Debezium 3.2's shutdown race (DBZ-9398, fixed in 3.3, which is built
   * on Kafka 4): {@code close()} shuts the record-processing pool down while a poll is still
   * converting its batch, and the rejected conversion ends the engine as a failure. That batch
   * never reached {@link KafkaChangeSink}, so its offsets were not stored and the next run reads it
   * again; a stop we asked for is still a clean stop.
   */
  static boolean rejectedOnClose(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof RejectedExecutionException) {
        return true;
      }
    }
    return false;
  }

  private static void closeQuietly(
      DebeziumEngine<?> engine, AtomicBoolean closing, CountDownLatch ended) {
    closing.set(true);
    try {
      // Stops the connector and writes the offsets of what was processed.
      engine.close();
      ended.await(60, TimeUnit.SECONDS);
    } catch (IOException e) {
      // The next start resumes from the last offsets written.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The connector's settings: the fixed ones from {@code cdc/debezium.properties} (where each is
   * explained), and this source, slot, publication and tables.
   */
  Properties properties(List<String> tables) {
    URI u = URI.create(source.url().substring("jdbc:".length()));
    Properties p = Resources.properties("cdc/debezium.properties");
    p.setProperty("name", "northwind-cdc-" + settings.slot());
    p.setProperty("offset.storage.file.filename", offsets.toString());
    p.setProperty("offset.flush.interval.ms", Long.toString(OFFSET_FLUSH.toMillis()));
    p.setProperty("database.hostname", u.getHost());
    p.setProperty("database.port", Integer.toString(u.getPort() > 0 ? u.getPort() : 5432));
    p.setProperty("database.user", source.user());
    p.setProperty("database.password", source.password() == null ? "" : source.password());
    p.setProperty("database.dbname", u.getPath().replaceFirst("^/", ""));
    p.setProperty("topic.prefix", settings.topicPrefix());
    p.setProperty("slot.name", settings.slot());
    p.setProperty("publication.name", settings.publication());
    p.setProperty("schema.include.list", schema);
    p.setProperty(
        "table.include.list",
        String.join(",", tables.stream().map(t -> t.replace(".", "\\.")).toList()));
    return p;
  }
}
