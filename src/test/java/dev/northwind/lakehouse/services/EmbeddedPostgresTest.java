package dev.northwind.lakehouse.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.northwind.lakehouse.LakehouseException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real PostgreSQL servers: data survives a restart with REUSE and is gone with FRESH. (A restart
 * after the owning JVM was killed is {@link EmbeddedPostgresKillIT}.)
 */
class EmbeddedPostgresTest {

  @TempDir Path tmp;

  @Test
  void reuseKeepsRowsAndFreshWipesThem() throws Exception {
    Path dir = tmp.resolve("pg");
    long t0 = System.nanoTime();
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, 0, Mode.FRESH)) {
      System.err.printf(
          "postgres first start (initdb) %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/northwind");
      sql(pg, "CREATE TABLE customers (id text PRIMARY KEY, name text)");
      sql(pg, "INSERT INTO customers VALUES ('ALFKI', 'Alfreds Futterkiste')");
    }
    t0 = System.nanoTime();
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, 0, Mode.REUSE)) {
      System.err.printf("postgres restart (reuse) %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(names(pg)).containsExactly("Alfreds Futterkiste");
    }
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, 0, Mode.FRESH)) {
      assertThatThrownBy(() -> names(pg))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("customers");
    }
  }

  @Test
  void portInUseIsAJobError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> EmbeddedPostgres.start(tmp.resolve("pg"), port, Mode.FRESH))
          .isInstanceOfSatisfying(
              LakehouseException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
          .hasMessageContaining("port " + port)
          .hasMessageContaining("PostgreSQL");
    }
  }

  @Test
  void sameFolderTwiceIsRefused() {
    Path dir = tmp.resolve("pg");
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, 0, Mode.FRESH)) {
      assertThatThrownBy(() -> EmbeddedPostgres.start(dir, 0, Mode.FRESH))
          .isInstanceOf(LakehouseException.class)
          .hasMessageContaining("in use");
    }
  }

  /** Debian's binaries as the postgres user: what runs when zonky cannot. */
  @Test
  void debianFallbackKeepsRows() throws Exception {
    assumeTrue(
        Files.isDirectory(Path.of("/usr/lib/postgresql")),
        "Debian's postgresql package is not installed");
    Path dir = tmp.resolve("debian");
    List<EmbeddedPostgres.Engine> debian = List.of(EmbeddedPostgres.Engine.DEBIAN);
    long t0 = System.nanoTime();
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, 0, Mode.FRESH, debian)) {
      System.err.printf(
          "postgres (debian) first start %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      sql(pg, "CREATE TABLE customers (id text PRIMARY KEY, name text)");
      sql(pg, "INSERT INTO customers VALUES ('ALFKI', 'Alfreds Futterkiste')");
    }
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, 0, Mode.REUSE, debian)) {
      assertThat(names(pg)).containsExactly("Alfreds Futterkiste");
    }
  }

  static void sql(EmbeddedPostgres pg, String sql) throws SQLException {
    try (Connection c = pg.source().connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static List<String> names(EmbeddedPostgres pg) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = pg.source().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name FROM customers ORDER BY id")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
