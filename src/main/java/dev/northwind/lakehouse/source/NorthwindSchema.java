package dev.northwind.lakehouse.source;

import dev.northwind.lakehouse.Resources;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The Northwind source schema: the 14 table names and the DDL the generator creates.
 *
 * <p>The DDL ({@value #RESOURCE}) has the tables, columns, primary and foreign keys of the classic
 * {@code northwind.sql} dump, except that every smallint key column is {@code integer} so that
 * large scales fit. Money columns stay {@code real} as in the dump.
 */
public final class NorthwindSchema {

  /** The 14 Northwind tables, in the dump's order; reports list tables in this order. */
  public static final List<String> TABLES =
      List.of(
          "categories",
          "customer_customer_demo",
          "customer_demographics",
          "customers",
          "employees",
          "employee_territories",
          "order_details",
          "orders",
          "products",
          "region",
          "shippers",
          "suppliers",
          "territories",
          "us_states");

  /** Classpath resource holding the DDL. */
  public static final String RESOURCE = "sql/source/northwind-schema.sql";

  // Splits the DDL so that keys are added after the bulk copy, as the dump does.
  private static final String CONSTRAINTS_MARKER = "-- @constraints";

  private NorthwindSchema() {}

  /** The full DDL: CREATE TABLE for the 14 tables, then their primary and foreign keys. */
  public static String ddl() {
    return Resources.text(RESOURCE);
  }

  /** Creates the 14 tables without keys. */
  static void createTables(Connection c) throws SQLException {
    String ddl = ddl();
    execute(c, ddl.substring(0, markerAt(ddl)));
  }

  /** Adds the primary and foreign keys; fails if the rows break them. */
  static void addConstraints(Connection c) throws SQLException {
    String ddl = ddl();
    execute(c, ddl.substring(markerAt(ddl)));
  }

  /** Drops whichever of the 14 tables exist in the current schema. */
  static void dropTables(Connection c) throws SQLException {
    // One statement for all tables: their foreign keys point only at each other, so no CASCADE is
    // needed, and a view someone built on them makes the drop fail instead of vanishing silently.
    execute(c, "DROP TABLE IF EXISTS " + String.join(", ", TABLES));
  }

  /** The Northwind tables that exist in the current schema, in {@link #TABLES} order. */
  static List<String> existing(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT t FROM unnest(?::text[]) WITH ORDINALITY AS x(t, i) WHERE to_regclass(quote_ident(t)) IS NOT NULL ORDER BY i")) {
      ps.setArray(1, c.createArrayOf("text", TABLES.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        List<String> found = new ArrayList<>();
        while (rs.next()) {
          found.add(rs.getString(1));
        }
        return found;
      }
    }
  }

  static long count(Connection c, String table) throws SQLException {
    if (!TABLES.contains(table)) {
      throw new IllegalArgumentException("Not a Northwind table: " + table);
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int markerAt(String ddl) {
    int at = ddl.indexOf(CONSTRAINTS_MARKER);
    if (at < 0) {
      throw new IllegalStateException(RESOURCE + " lacks the line " + CONSTRAINTS_MARKER);
    }
    return at;
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
