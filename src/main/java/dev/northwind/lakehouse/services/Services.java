package dev.northwind.lakehouse.services;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.source.JdbcSource;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Resolves the PostgreSQL source and the Kafka brokers a command uses: the configured external
 * ones; else those of a running {@code lakehouse services} (found through its state file); else
 * embedded ones started in this process, on first use, and stopped by {@link #close()}.
 */
public final class Services implements AutoCloseable {

  static final String STATE_FILE = "running.properties";

  private final LakehouseConfig config;
  private final Mode mode;
  private EmbeddedPostgres postgres;
  private EmbeddedKafka kafka;

  private Services(LakehouseConfig config, Mode mode) {
    this.config = config;
    this.mode = mode;
  }

  /** Services for one command; nothing starts until it is needed. */
  public static Services open(LakehouseConfig config, Mode mode) {
    return new Services(config, mode);
  }

  /** The source database. */
  public synchronized JdbcSource source() {
    LakehouseConfig.Source s = config.source();
    if (s.jdbcUrl().isPresent()) {
      return new JdbcSource(s.jdbcUrl().get(), s.user(), s.password());
    }
    Optional<Properties> running = running(config.servicesDir());
    if (running.isPresent()) {
      refuseFreshWhileRunning();
      Properties p = running.get();
      return new JdbcSource(
          p.getProperty("jdbc.url"), p.getProperty("user"), p.getProperty("password"));
    }
    if (postgres == null) {
      postgres =
          EmbeddedPostgres.start(
              config.servicesDir().resolve("postgres"), config.ports().postgres(), mode);
    }
    return postgres.source();
  }

  /** The Kafka bootstrap servers; the configured topic exists when this returns. */
  public synchronized String kafkaBootstrap() {
    if (config.kafka().bootstrapServers().isPresent()) {
      return config.kafka().bootstrapServers().get();
    }
    Optional<Properties> running = running(config.servicesDir());
    if (running.isPresent()) {
      refuseFreshWhileRunning();
      return running.get().getProperty("kafka.bootstrap");
    }
    if (kafka == null) {
      kafka =
          EmbeddedKafka.start(config.servicesDir().resolve("kafka"), config.ports().kafka(), mode);
      kafka.createTopic(config.kafka().topic(), 1);
    }
    return kafka.bootstrapServers();
  }

  /**
   * Whether this process started embedded services (rather than using external or running ones).
   */
  public boolean embeddedHere() {
    return postgres != null || kafka != null;
  }

  private void refuseFreshWhileRunning() {
    if (mode == Mode.FRESH) {
      throw LakehouseErrors.freshWhileServicesRun(config.servicesDir());
    }
  }

  /**
   * Records this process's embedded services so other commands use them while it runs (written by
   * {@code lakehouse services}).
   */
  public void advertise() {
    Properties p = new Properties();
    JdbcSource src = source();
    p.setProperty("jdbc.url", src.url());
    p.setProperty("user", src.user());
    // Embedded PostgreSQL trusts local connections; this is not a secret of the user's.
    p.setProperty("password", src.password());
    p.setProperty("kafka.bootstrap", kafkaBootstrap());
    p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
    Path file = config.servicesDir().resolve(STATE_FILE);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(STATE_FILE + ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(w, "lakehouse services: addresses of the running embedded services");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The state of a live {@code lakehouse services} process, if one runs for this folder. */
  static Optional<Properties> running(Path servicesDir) {
    Path file = servicesDir.resolve(STATE_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(p.getProperty("pid", "-1"));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (pid == ProcessHandle.current().pid()
        || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return Optional.of(p);
    }
    return Optional.empty();
  }

  @Override
  public synchronized void close() {
    Path file = config.servicesDir().resolve(STATE_FILE);
    running(config.servicesDir())
        .filter(p -> p.getProperty("pid").equals(Long.toString(ProcessHandle.current().pid())))
        .ifPresent(
            p -> {
              try {
                Files.deleteIfExists(file);
              } catch (IOException e) {
                // A stale file is ignored by readers once this process is gone.
              }
            });
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
  }
}
