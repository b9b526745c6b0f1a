package dev.northwind.lakehouse.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.gold.PostgresOracle;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Every Silver fact and dimension and every Gold figure of a CDC test's lake against SQL over its
 * source: the oracle queries of {@code sql/oracle} ({@link PostgresOracle}) for the figures, short
 * queries for row attributes. Money exact, or to the cent where Gold rounds.
 */
final class LakeVsSource {

  private LakeVsSource() {}

  /** Fails unless the lake's Silver and Gold equal what SQL over the source gives now. */

  /** Every Silver fact and dimension and every Gold figure against SQL over the source. */
  static void assertEqual(CdcFixture f, Connection db) throws Exception {
    Dataset<Row> lines = read(f, SilverJob.FACT_ORDER_LINE);
    Dataset<Row> orders = read(f, SilverJob.FACT_ORDER);
    assertThat(lines.count()).isEqualTo(PostgresOracle.orderLines(db));
    assertThat(orders.count()).isEqualTo(PostgresOracle.orders(db));
    BigDecimal net = PostgresOracle.netRevenue(db);
    assertThat(sum(lines, "net_amount")).isEqualByComparingTo(net);
    Map<Integer, BigDecimal> perOrder = new TreeMap<>();
    orders.collectAsList().forEach(r -> perOrder.put(r.getAs("order_id"), r.getAs("net_amount")));
    Map<Integer, BigDecimal> oracle = new TreeMap<>(PostgresOracle.orderNetAmounts(db));
    assertThat(perOrder.keySet()).containsExactlyElementsOf(oracle.keySet());
    oracle.forEach(
        (id, v) -> assertThat(perOrder.get(id)).as("order %s", id).isEqualByComparingTo(v));
    // Order attributes and line attributes as the source has them now.
    assertThat(rows(orders, "order_id", "shipped_date", "freight"))
        .isEqualTo(
            query(
                db,
                "SELECT order_id, shipped_date::text, freight::text::numeric(12,4)::text FROM orders"));
    assertThat(rows(lines, "order_id", "product_id", "quantity", "discount", "unit_price"))
        .isEqualTo(
            query(
                db,
                "SELECT order_id::text || ':' || product_id, quantity::text,"
                    + " discount::text::numeric(5,4)::text, unit_price::text::numeric(12,4)::text"
                    + " FROM order_details"));
    assertThat(rows(read(f, SilverJob.DIM_PRODUCT), "product_id", "unit_price"))
        .isEqualTo(
            query(db, "SELECT product_id, unit_price::text::numeric(12,4)::text FROM products"));
    assertThat(
            rows(
                read(f, SilverJob.DIM_CUSTOMER).where("is_current"),
                "customer_id",
                "address",
                "company_name"))
        .isEqualTo(
            query(
                db,
                "SELECT customer_id, NULLIF(regexp_replace(trim(address), '\\s+', ' ', 'g'), ''),"
                    + " NULLIF(regexp_replace(trim(company_name), '\\s+', ' ', 'g'), '')"
                    + " FROM customers"));
    assertThat(read(f, SilverJob.DIM_EMPLOYEE).count()).isEqualTo(9);

    Row kpi =
        gold(f, "kpi_summary")
            .orderBy(functions.col("computed_at").desc())
            .limit(1)
            .collectAsList()
            .get(0);
    assertThat(kpi.<BigDecimal>getAs("net_revenue")).isEqualByComparingTo(net);
    assertThat(kpi.<Long>getAs("orders")).isEqualTo(PostgresOracle.orders(db));
    assertThat(kpi.<BigDecimal>getAs("avg_basket"))
        .isEqualByComparingTo(PostgresOracle.avgBasket(db));
    assertCents(
        byKey(gold(f, "revenue_by_country"), "country", "net_revenue"),
        PostgresOracle.revenueByCountry(db));
    assertCents(
        byKey(gold(f, "revenue_by_category"), "category_name", "net_revenue"),
        PostgresOracle.revenueByCategory(db));
    Map<String, BigDecimal> months =
        byKey(gold(f, "revenue_by_month"), "year_month", "net_revenue");
    Map<String, BigDecimal> oracleMonths = new LinkedHashMap<>();
    PostgresOracle.revenueByMonth(db).forEach(m -> oracleMonths.put(m.yearMonth(), m.netRevenue()));
    assertCents(months, oracleMonths);
    Map<String, PostgresOracle.Rfm> rfm = PostgresOracle.rfm(db);
    List<Row> goldRfm = gold(f, "rfm_customer").collectAsList();
    assertThat(goldRfm).hasSize(rfm.size());
    for (Row r : goldRfm) {
      PostgresOracle.Rfm o = rfm.get(r.<String>getAs("customer_id"));
      assertThat(o).as(r.<String>getAs("customer_id")).isNotNull();
      assertThat(r.<Integer>getAs("recency_days")).isEqualTo(o.recencyDays());
      assertThat(r.<Long>getAs("frequency")).isEqualTo(o.frequency());
      assertThat(r.<BigDecimal>getAs("monetary")).isEqualByComparingTo(o.monetary());
    }
    Map<String, String> segments = new TreeMap<>();
    goldRfm.forEach(r -> segments.put(r.getAs("customer_id"), r.getAs("segment")));
    assertThat(segments).isEqualTo(new TreeMap<>(PostgresOracle.segments(db)));
  }

  private static void assertCents(Map<String, BigDecimal> gold, Map<String, BigDecimal> oracle) {
    assertThat(gold.keySet()).containsExactlyInAnyOrderElementsOf(oracle.keySet());
    oracle.forEach(
        (k, v) ->
            assertThat(gold.get(k).setScale(2, RoundingMode.HALF_UP))
                .as(k)
                .isEqualByComparingTo(v.setScale(2, RoundingMode.HALF_UP)));
  }

  private static Dataset<Row> read(CdcFixture f, TableId t) {
    return f.lake.read(TestSpark.spark(), t);
  }

  private static Dataset<Row> gold(CdcFixture f, String table) {
    return read(f, TableId.gold(table));
  }

  private static BigDecimal sum(Dataset<Row> ds, String column) {
    Row r = ds.agg(functions.sum(column)).first();
    return r.isNullAt(0) ? BigDecimal.ZERO : r.getDecimal(0);
  }

  private static Map<String, BigDecimal> byKey(Dataset<Row> ds, String key, String value) {
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    ds.collectAsList().forEach(r -> out.put(String.valueOf((Object) r.getAs(key)), r.getAs(value)));
    return out;
  }

  /**
   * Rows of a lake table as sorted text lines: the first column (or the first two joined by ':'
   * when the second is product_id) as the key, the others as their text, decimals without trailing
   * zeros beyond the scale.
   */
  private static Map<String, String> rows(Dataset<Row> ds, String... columns) {
    Map<String, String> out = new TreeMap<>();
    boolean lineKey = columns.length > 1 && columns[1].equals("product_id");
    for (Row r : ds.selectExpr(columns).collectAsList()) {
      StringBuilder v = new StringBuilder();
      for (int i = lineKey ? 2 : 1; i < columns.length; i++) {
        v.append(i > (lineKey ? 2 : 1) ? " " : "").append(text(r.get(i)));
      }
      String k = lineKey ? r.get(0) + ":" + r.get(1) : String.valueOf(r.get(0));
      out.put(k, v.toString());
    }
    return out;
  }

  private static Map<String, String> query(Connection db, String sql) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder v = new StringBuilder();
        for (int i = 2; i <= n; i++) {
          v.append(i > 2 ? " " : "").append(text(rs.getObject(i)));
        }
        out.put(String.valueOf(rs.getObject(1)), v.toString());
      }
    }
    return out;
  }

  private static String text(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof BigDecimal d) {
      return d.stripTrailingZeros().toPlainString();
    }
    if (o instanceof String s && s.matches("-?\\d+\\.\\d+")) {
      return new BigDecimal(s).stripTrailingZeros().toPlainString();
    }
    return o.toString();
  }
}
