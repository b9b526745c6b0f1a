package dev.northwind.lakehouse.testing;

import dev.northwind.lakehouse.source.JdbcSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL per test JVM, started on first use and stopped by a shutdown hook (a
 * server start costs seconds; a database costs milliseconds). Each test class takes its own fresh
 * databases, so tests never see each other's tables.
 */
public final class TestPostgres {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        EmbeddedPostgres started = EmbeddedPostgres.builder().start();
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        started.close();
                      } catch (IOException ignored) {
                        // The JVM is exiting; a leftover temp directory is all that can go wrong.
                      }
                    },
                    "test-postgres-shutdown"));
        server = started;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
      }
    }
    return server;
  }

  /**
   * Creates an empty database named after {@code owner} (plus a counter) and returns its JDBC URL.
   */
  public static String freshDatabase(Class<?> owner) {
    return create(owner, "");
  }

  /**
   * Creates a database for {@code owner} as a copy of the one at {@code templateUrl} (PostgreSQL's
   * {@code CREATE DATABASE ... TEMPLATE}: a file copy, far faster than loading the data again) and
   * returns its JDBC URL. Nobody may be connected to the template meanwhile; PostgreSQL waits a few
   * seconds for sessions that are closing.
   */
  public static String copyDatabase(String templateUrl, Class<?> owner) {
    String template =
        templateUrl.substring(templateUrl.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
    return create(owner, " TEMPLATE " + template);
  }

  private static String create(Class<?> owner, String clause) {
    String name =
        owner.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_")
            + "_"
            + DATABASES.incrementAndGet();
    try (Connection admin = server().getPostgresDatabase().getConnection();
        Statement st = admin.createStatement()) {
      st.execute("CREATE DATABASE " + name + clause);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create database " + name + clause, e);
    }
    return server().getJdbcUrl("postgres", name);
  }

  /** A new connection to a database from {@link #freshDatabase}; the caller closes it. */
  public static Connection connect(String jdbcUrl) throws SQLException {
    return DriverManager.getConnection(jdbcUrl, user(), password());
  }

  /** User name for JDBC clients such as Spark. */
  public static String user() {
    return "postgres";
  }

  /** Password of {@link #user()}. */
  public static String password() {
    return "postgres";
  }

  /** A database from {@link #freshDatabase} as the jobs' source. */
  public static JdbcSource source(String jdbcUrl) {
    return new JdbcSource(jdbcUrl, user(), password());
  }

  /** Runs statements, in order, on a database from {@link #freshDatabase}. */
  public static void execute(String jdbcUrl, String... sql) {
    try (Connection c = connect(jdbcUrl);
        Statement st = c.createStatement()) {
      for (String q : sql) {
        st.execute(q);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
