package dev.northwind.lakehouse.source;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.LakehouseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads Northwind into a PostgreSQL source database: the classic {@code northwind.sql} dump here,
 * generated data through {@link NorthwindGenerator}. Both share one contract: the load runs in a
 * single transaction (all or nothing), and a database that already holds Northwind rows is left
 * alone unless the caller asks for {@link ExistingData#REPLACE}. The connection's auto-commit mode
 * is restored afterwards; a connection in manual-commit mode gets its pending work committed with
 * the load.
 */
public final class NorthwindLoader {

  /** Description of a dump load in {@link LoadReport#description()}. */
  public static final String DUMP_DESCRIPTION = "northwind.sql dump";

  // The dump's SET statements would otherwise outlive the load and change the caller's session
  // (statement_timeout, client_min_messages, ...); SET LOCAL ends with the transaction.
  private static final Pattern SESSION_SET = Pattern.compile("(?m)^SET (?!LOCAL )");

  private NorthwindLoader() {}

  /** Loads the dump, refusing a database that already holds Northwind rows. */
  public static LoadReport loadDump(Connection c, Path sqlFile) {
    return loadDump(c, sqlFile, ExistingData.REFUSE);
  }

  /**
   * Executes the plain-SQL Northwind dump in one transaction.
   *
   * @throws LakehouseException if the file is missing, if the database already holds Northwind rows
   *     and {@code existing} is {@link ExistingData#REFUSE}, or if the dump fails (then nothing is
   *     kept)
   */
  public static LoadReport loadDump(Connection c, Path sqlFile, ExistingData existing) {
    if (!Files.isRegularFile(sqlFile)) {
      throw LakehouseErrors.fileNotFound("Northwind dump", sqlFile, "--northwind-sql");
    }
    return load(
        c,
        existing,
        DUMP_DESCRIPTION,
        tx -> {
          String sql =
              SESSION_SET
                  .matcher(Files.readString(sqlFile, StandardCharsets.UTF_8))
                  .replaceAll("SET LOCAL ");
          // PgJDBC splits a multi-statement string itself and sends it in one round trip.
          try (Statement st = tx.createStatement()) {
            st.execute(sql);
          }
          Map<String, Long> rows = new LinkedHashMap<>();
          for (String table : NorthwindSchema.TABLES) {
            rows.put(table, NorthwindSchema.count(tx, table));
          }
          return rows;
        });
  }

  /**
   * Row counts of the Northwind tables present in the connection's schema, in table order; empty
   * when none exists. Lets {@code lakehouse demo} reuse a source loaded by an earlier run.
   */
  public static Map<String, Long> counts(Connection c) {
    try {
      Map<String, Long> rows = new java.util.LinkedHashMap<>();
      java.util.Set<String> present = new java.util.HashSet<>(NorthwindSchema.existing(c));
      for (String table : NorthwindSchema.TABLES) {
        if (present.contains(table)) {
          rows.put(table, NorthwindSchema.count(c, table));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw LakehouseErrors.sourceUnreachable(url(c), e);
    }
  }

  /** Whether any of the 14 Northwind tables exists in the current schema and has a row. */
  static boolean holdsNorthwind(Connection c) throws SQLException {
    for (String table : NorthwindSchema.existing(c)) {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
        rs.next();
        if (rs.getBoolean(1)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The part of a load that writes rows; returns table to row count. */
  @FunctionalInterface
  interface Body {
    Map<String, Long> run(Connection c) throws SQLException, IOException;
  }

  /**
   * Runs {@code body} in one transaction after the existing-data check and after dropping any
   * Northwind tables (empty ones too, so that CREATE TABLE cannot collide), and restores the
   * connection's auto-commit mode afterwards.
   */
  static LoadReport load(Connection c, ExistingData existing, String description, Body body) {
    long start = System.nanoTime();
    String url = url(c);
    boolean autoCommit;
    try {
      autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
    } catch (SQLException e) {
      throw LakehouseErrors.sourceUnreachable(url, e);
    }
    try {
      if (existing == ExistingData.REFUSE && holdsNorthwind(c)) {
        throw LakehouseErrors.sourceAlreadyLoaded(url);
      }
      NorthwindSchema.dropTables(c);
      Map<String, Long> rows = body.run(c);
      c.commit();
      return new LoadReport(rows, (System.nanoTime() - start) / 1_000_000, description);
    } catch (LakehouseException e) {
      rollback(c, e);
      throw e;
    } catch (SQLException | IOException | RuntimeException e) {
      rollback(c, e);
      throw LakehouseErrors.sourceLoadFailed(description, url, e);
    } finally {
      try {
        c.setAutoCommit(autoCommit);
      } catch (SQLException ignored) {
        // The connection is broken; the caller sees the original failure.
      }
    }
  }

  private static void rollback(Connection c, Exception failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /** The connection's URL without query parameters, which may carry a password. */
  static String url(Connection c) {
    try {
      String url = c.getMetaData().getURL();
      int q = url.indexOf('?');
      return q >= 0 ? url.substring(0, q) : url;
    } catch (SQLException e) {
      return "the source database";
    }
  }
}
