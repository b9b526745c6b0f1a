package dev.northwind.lakehouse.bronze;

import dev.northwind.lakehouse.source.JdbcSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A REPEATABLE READ transaction on the driver whose snapshot is exported, so that Spark's JDBC
 * partitions, each on its own connection, read exactly the rows this transaction counted. One
 * snapshot serves the whole run, so all tables are read as of the same instant (every order_details
 * row's order is in orders). It must stay open until Spark has finished reading: an exported
 * snapshot dies with its transaction. (Like pg_dump, it holds ACCESS SHARE locks on the counted
 * tables until then, so DDL on them waits for the run.)
 */
final class SourceSnapshot implements AutoCloseable {

  private static final Pattern SNAPSHOT_ID = Pattern.compile("[0-9A-Fa-f]+-[0-9A-Fa-f]+(-[0-9]+)?");

  /** What the snapshot holds for one read: row count and the partition key's range. */
  record Counted(long rows, Long min, Long max) {}

  private final Connection connection;
  private final String id;

  private SourceSnapshot(Connection connection, String id) {
    this.connection = connection;
    this.id = id;
  }

  /** Opens the transaction and exports its snapshot. */
  static SourceSnapshot open(JdbcSource source) throws SQLException {
    Connection c = source.connect();
    try {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
        rs.next();
        String id = rs.getString(1);
        if (!SNAPSHOT_ID.matcher(id).matches()) {
          throw new SQLException("unexpected snapshot id from pg_export_snapshot(): " + id);
        }
        return new SourceSnapshot(c, id);
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * The statement each Spark JDBC connection runs before its query. Spark 4.1's JDBCRDD first calls
   * the PostgreSQL dialect's beforeFetch (autocommit off when fetchsize &gt; 0, so the driver opens
   * a transaction with an implicit BEGIN) and then this statement: hence SET TRANSACTION, not
   * BEGIN, which would only warn "already in progress" and leave READ COMMITTED.
   */
  String sessionInitStatement() {
    return "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SET TRANSACTION SNAPSHOT '" + id + "'";
  }

  String id() {
    return id;
  }

  /**
   * Counts the rows to read in this snapshot, with the range of {@code key} (may be null).
   *
   * @param watermarkColumn null for a full read
   * @param watermarkFrom the exclusive lower bound of the watermark, null for a full read
   */
  synchronized Counted count(
      SourceCatalog.SourceTable table, String key, String watermarkColumn, BigDecimal watermarkFrom)
      throws SQLException {
    String range =
        key == null
            ? "NULL, NULL"
            : "min(" + SourceCatalog.quote(key) + "), max(" + SourceCatalog.quote(key) + ")";
    String sql =
        "SELECT count(*), "
            + range
            + " FROM "
            + table.qualified()
            + (watermarkFrom == null
                ? ""
                : " WHERE " + SourceCatalog.quote(watermarkColumn) + " > ?");
    return inSavepoint(
        sql,
        ps -> {
          if (watermarkFrom != null) {
            ps.setBigDecimal(1, watermarkFrom);
          }
        },
        rs -> {
          long rows = rs.getLong(1);
          Long min = rs.getObject(2) == null ? null : rs.getLong(2);
          Long max = rs.getObject(3) == null ? null : rs.getLong(3);
          return new Counted(rows, min, max);
        });
  }

  /**
   * The md5 of the table's content in this snapshot: an md5 over the md5 of every row's text, in a
   * fixed order, so rows that did not change (whatever their physical order) give the same value
   * and Bronze can skip the write; null for an empty table.
   */
  synchronized String fingerprint(SourceCatalog.SourceTable table) throws SQLException {
    // The table is quoted from the catalog; the row alias is a constant.
    String sql =
        "SELECT md5(string_agg(md5(bronze_row::text), '' ORDER BY md5(bronze_row::text))) FROM "
            + table.qualified()
            + " bronze_row";
    return inSavepoint(sql, ps -> {}, rs -> rs.getString(1));
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** One query of one row; a failure is confined to it, not to the whole snapshot. */
  private <T> T inSavepoint(String sql, Binder binder, Reader<T> reader) throws SQLException {
    // A failed statement would abort the whole transaction, and with it every other table's
    // snapshot: a savepoint confines the failure to this table.
    Savepoint sp = connection.setSavepoint();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      binder.bind(ps);
      T out;
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        out = reader.read(rs);
      }
      connection.releaseSavepoint(sp);
      return out;
    } catch (SQLException e) {
      connection.rollback(sp);
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // The transaction only read; closing the connection ends it anyway.
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Nothing to keep: the snapshot was only needed while Spark read.
    }
  }
}
