package dev.northwind.lakehouse.gold;

import dev.northwind.lakehouse.Resources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Gold figures computed independently in the source PostgreSQL (classic Northwind schema), for
 * end-to-end tests to compare with the lake. Each method runs one query of {@code
 * src/main/resources/sql/oracle/<name>.sql} (the bench's PostgreSQL baseline runs the same files);
 * they run on PostgreSQL, so the oracle stays independent of Spark. Money is PostgreSQL {@code
 * numeric}, so totals are exact and compare with Gold's DECIMALs by {@code compareTo}. Quartiles
 * use {@code percentile_cont}, which works in double precision: compare them with a small
 * tolerance.
 *
 * <p>Only batch data is in PostgreSQL: orders that reached the lake through the stream alone are
 * not in these figures.
 */
public final class PostgresOracle {

  private PostgresOracle() {}

  /** A customer's recency (days), frequency (orders) and monetary value (net revenue). */
  public record Rfm(String customerId, int recencyDays, long frequency, BigDecimal monetary) {}

  /** One month: 'yyyy-MM', orders, net revenue and the running total up to that month. */
  public record Month(
      String yearMonth, long orders, BigDecimal netRevenue, BigDecimal cumulativeNetRevenue) {}

  /** Q1, Q2, Q3 (percentile_cont, i.e. interpolated). */
  public record Quartiles(BigDecimal q1, BigDecimal q2, BigDecimal q3) {}

  /** SUM(unit_price::numeric * quantity * (1 - discount::numeric)) over all order lines. */
  public static BigDecimal netRevenue(Connection c) throws SQLException {
    return single(c, "net_revenue", rs -> rs.getBigDecimal(1));
  }

  /** The number of orders. */
  public static long orders(Connection c) throws SQLException {
    return single(c, "orders", rs -> rs.getLong(1));
  }

  /** Net revenue / orders, rounded half up to 8 decimals like Gold's avg_basket. */
  public static BigDecimal avgBasket(Connection c) throws SQLException {
    return netRevenue(c).divide(BigDecimal.valueOf(orders(c)), 8, RoundingMode.HALF_UP);
  }

  /** Net revenue per UPPER(customer country), best first. */
  public static Map<String, BigDecimal> revenueByCountry(Connection c) throws SQLException {
    return keyed(c, "revenue_by_country");
  }

  /** Net revenue per category name, best first. */
  public static Map<String, BigDecimal> revenueByCategory(Connection c) throws SQLException {
    return keyed(c, "revenue_by_category");
  }

  /** Orders, net revenue and cumulative net revenue per month, oldest first. */
  public static List<Month> revenueByMonth(Connection c) throws SQLException {
    List<Month> out = new ArrayList<>();
    query(
        c,
        "revenue_by_month",
        rs ->
            out.add(
                new Month(
                    rs.getString("year_month"),
                    rs.getLong("orders"),
                    rs.getBigDecimal("net_revenue"),
                    rs.getBigDecimal("cumulative_net_revenue"))));
    return out;
  }

  /** Recency, frequency and monetary value of every customer with an order, by customer_id. */
  public static Map<String, Rfm> rfm(Connection c) throws SQLException {
    Map<String, Rfm> out = new LinkedHashMap<>();
    query(
        c,
        "rfm_customer",
        rs ->
            out.put(
                rs.getString("customer_id"),
                new Rfm(
                    rs.getString("customer_id"),
                    rs.getInt("recency_days"),
                    rs.getLong("frequency"),
                    rs.getBigDecimal("monetary"))));
    return out;
  }

  /** The quartiles of customer monetary value (percentile_cont, cast to numeric). */
  public static Quartiles monetaryQuartiles(Connection c) throws SQLException {
    return single(
        c,
        "monetary_quartiles",
        rs ->
            new Quartiles(rs.getBigDecimal("q1"), rs.getBigDecimal("q2"), rs.getBigDecimal("q3")));
  }

  /**
   * The segment (VIP | LOYAL | REGULAR | AT_RISK) of every customer with an order, by customer_id.
   */
  public static Map<String, String> segments(Connection c) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    query(c, "segments", rs -> out.put(rs.getString("customer_id"), rs.getString("segment")));
    return out;
  }

  /** The number of order lines. */
  public static long orderLines(Connection c) throws SQLException {
    return single(c, "order_lines", rs -> rs.getLong(1));
  }

  /** The exact net amount of every order (0 for an order without lines), by order_id. */
  public static Map<Integer, BigDecimal> orderNetAmounts(Connection c) throws SQLException {
    Map<Integer, BigDecimal> out = new LinkedHashMap<>();
    query(
        c,
        "order_net_amounts",
        rs -> out.put(rs.getInt("order_id"), rs.getBigDecimal("net_amount")));
    return out;
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  private interface RowConsumer {
    void accept(ResultSet rs) throws SQLException;
  }

  private static Map<String, BigDecimal> keyed(Connection c, String name) throws SQLException {
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    query(c, name, rs -> out.put(rs.getString(1), rs.getBigDecimal(2)));
    return out;
  }

  private static <T> T single(Connection c, String name, RowReader<T> reader) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql(name));
        ResultSet rs = st.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("oracle query " + name + " returned no row");
      }
      return reader.read(rs);
    }
  }

  private static void query(Connection c, String name, RowConsumer consumer) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql(name));
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        consumer.accept(rs);
      }
    }
  }

  /** The text of {@code sql/oracle/<name>.sql}. */
  static String sql(String name) {
    return Resources.sql("oracle", name);
  }
}
