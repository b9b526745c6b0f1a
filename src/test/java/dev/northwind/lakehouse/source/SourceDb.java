package dev.northwind.lakehouse.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small SQL helpers for the source tests. */
final class SourceDb {

  private SourceDb() {}

  static Object scalar(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      if (!rs.next()) {
        throw new AssertionError("No row from: " + sql);
      }
      return rs.getObject(1);
    }
  }

  static long number(Connection c, String sql) throws SQLException {
    return ((Number) scalar(c, sql)).longValue();
  }

  /** {@code SELECT count(*)} of each Northwind table, in table order. */
  static Map<String, Long> counts(Connection c) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : NorthwindSchema.TABLES) {
      counts.put(table, number(c, "SELECT count(*) FROM " + table));
    }
    return counts;
  }

  /** A digest of every row of orders and order_details, in key order. */
  static String fingerprint(Connection c) throws SQLException {
    return scalar(
            c,
            "SELECT md5((SELECT string_agg(o::text, '|' ORDER BY order_id) FROM orders o)"
                + " || (SELECT string_agg(d::text, '|' ORDER BY order_id, product_id) FROM order_details d)"
                + " || (SELECT string_agg(cu::text, '|' ORDER BY customer_id) FROM customers cu)"
                + " || (SELECT string_agg(p::text, '|' ORDER BY product_id) FROM products p))")
        .toString();
  }
}
