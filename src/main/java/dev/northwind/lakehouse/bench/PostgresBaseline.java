package dev.northwind.lakehouse.bench;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Resources;
import dev.northwind.lakehouse.source.JdbcSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The Gold figures computed by plain SQL on the source database (total net revenue, revenue per
 * country, monthly revenue, RFM per customer), the baseline Spark's Gold is compared with. The
 * queries are the PostgreSQL oracle's ({@code sql/oracle/<name>.sql}), the same SQL the tests check
 * Gold against.
 */
final class PostgresBaseline {

  static final List<String> QUERIES =
      List.of("net_revenue", "revenue_by_country", "revenue_by_month", "rfm_customer");

  private PostgresBaseline() {}

  /** Runs every query once, reading every result row; returns the rows read. */
  static long run(JdbcSource source) {
    long rows = 0;
    try (Connection c = source.connect();
        Statement st = c.createStatement()) {
      for (String q : QUERIES) {
        try (ResultSet rs = st.executeQuery(Resources.sql("oracle", q))) {
          int cols = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= cols; i++) {
              rs.getObject(i);
            }
            rows++;
          }
        }
      }
    } catch (SQLException e) {
      throw LakehouseErrors.sourceUnreachable(source.url(), e);
    }
    return rows;
  }
}
