package dev.northwind.lakehouse.cdc;

import dev.northwind.lakehouse.services.EmbeddedPostgres;
import dev.northwind.lakehouse.services.Mode;
import dev.northwind.lakehouse.source.JdbcSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL per test JVM for the CDC tests: the product's own embedded server, which
 * runs with {@code wal_level=logical} (the tests' shared {@code TestPostgres} does not). Each
 * caller gets a database of its own.
 */
public final class CdcPostgres {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres pg;

  private CdcPostgres() {}

  public static synchronized EmbeddedPostgres pg() {
    if (pg == null) {
      try {
        pg = EmbeddedPostgres.start(Files.createTempDirectory("lakehouse-test-pg-"), 0, Mode.FRESH);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgres p = pg;
      Runtime.getRuntime().addShutdownHook(new Thread(p::close));
    }
    return pg;
  }

  /** A new empty database, named after {@code prefix}. */
  public static JdbcSource newDatabase(String prefix) {
    return newDatabase(pg(), prefix);
  }

  /** A new empty database on the given server, named after {@code prefix}. */
  public static JdbcSource newDatabase(EmbeddedPostgres p, String prefix) {
    String name =
        prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
    try (Connection c = p.source().connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    String url = p.jdbcUrl().substring(0, p.jdbcUrl().lastIndexOf('/') + 1) + name;
    return new JdbcSource(url, p.source().user(), p.source().password());
  }

  /** Runs statements against the database. */
  public static void execute(JdbcSource db, String... sql) {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
