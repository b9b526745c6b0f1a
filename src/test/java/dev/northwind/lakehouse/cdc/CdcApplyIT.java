package dev.northwind.lakehouse.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.gold.PostgresOracle;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.silver.ChangeApply;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real PostgreSQL (the classic dump), Debezium, Kafka, Spark and Delta: a lake built by batch
 * ingestion switches to change data capture, then a scripted sequence of inserts, updates and
 * deletes is captured ({@code lakehouse cdc --until-idle}) and applied by the next {@code lakehouse
 * run}. After each step every Silver fact and dimension and every Gold figure equals SQL over the
 * source ({@code sql/oracle}), to the cent, and dim_customer has the expected versions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CdcApplyIT {

  private CdcFixture f;
  private Connection db;

  @BeforeAll
  void source() throws SQLException {
    f = CdcFixture.northwind("apply");
    db = DriverManager.getConnection(f.db.url(), f.db.user(), f.db.password());
  }

  @AfterAll
  void close() throws SQLException {
    f.dropSlot();
    db.close();
  }

  @Test
  @Order(1)
  void switchingABatchLakeToCaptureChangesNothingThatIsStillTrue() throws Exception {
    ok(f.lakehouse("run"));
    Map<TableId, Long> batch = versions();
    ok(f.cli("--until-idle"));
    CliRun run = ok(f.lakehouse("run"));
    assertThat(run.out()).contains("from captured changes");
    assertThat(f.lake.exists(TestSpark.spark(), ChangeApply.STATE)).isTrue();
    // Silver from the snapshot equals Silver from the batch: no fact or dimension rewritten.
    assertThat(versions()).isEqualTo(batch);
    assertLakeEqualsSource();
    assertThat(read(SilverJob.DIM_CUSTOMER).count()).isEqualTo(91);
  }

  @Test
  @Order(2)
  void scriptedChangesReachSilverAndGoldExactly() throws Exception {
    Row alfki = current("ALFKI");
    f.sql(
        "BEGIN; INSERT INTO orders (order_id, customer_id, employee_id, order_date, required_date,"
            + " ship_via, freight, ship_country) VALUES (11078, 'ALFKI', 1, '1998-05-07', '1998-06-04',"
            + " 1, 12.5, 'Germany'); INSERT INTO order_details VALUES (11078, 1, 18, 5, 0),"
            + " (11078, 2, 19, 3, 0.05); COMMIT",
        "UPDATE orders SET shipped_date = '1998-05-08', freight = 9.99 WHERE order_id = 11077",
        "UPDATE order_details SET quantity = 20, discount = 0.1 WHERE order_id = 10248 AND product_id = 11",
        "UPDATE products SET unit_price = 19.5 WHERE product_id = 1",
        "UPDATE customers SET address = 'Neue Str. 1' WHERE customer_id = 'ALFKI'",
        "UPDATE customers SET address = 'Neue Str. 2', city = 'Hamburg' WHERE customer_id = 'ALFKI'",
        "UPDATE customers SET fax = '030-0076545' WHERE customer_id = 'ALFKI'",
        "DELETE FROM order_details WHERE order_id = 10248 AND product_id = 42",
        "BEGIN; DELETE FROM order_details WHERE order_id = 10249;"
            + " DELETE FROM orders WHERE order_id = 10249; COMMIT",
        "DELETE FROM customers WHERE customer_id = 'FISSA'",
        "UPDATE orders SET freight = 40 WHERE order_id = 11078");
    ok(f.cli("--until-idle"));
    ok(f.lakehouse("run"));
    assertLakeEqualsSource();

    // dim_customer: the batch version, then one version per address change (the fax is not
    // tracked), valid_from = the change's commit time; FISSA closed by its delete.
    List<Timestamp> alfkiChanges = commitTimes("u", "{\"customer_id\":\"ALFKI\"}");
    assertThat(alfkiChanges).hasSize(3);
    List<Row> versions =
        read(SilverJob.DIM_CUSTOMER)
            .where("customer_id = 'ALFKI'")
            .orderBy("valid_from")
            .collectAsList();
    assertThat(versions)
        .extracting(r -> r.getAs("address") + " " + r.getAs("city") + " " + r.getAs("is_current"))
        .containsExactly(
            "Obere Str. 57 Berlin false", "Neue Str. 1 Berlin false", "Neue Str. 2 Hamburg true");
    assertThat(versions.get(0).<Long>getAs("customer_sk"))
        .as("the batch version keeps its key")
        .isEqualTo(alfki.<Long>getAs("customer_sk"));
    assertThat(versions.get(0).<Timestamp>getAs("valid_from"))
        .isEqualTo(alfki.<Timestamp>getAs("valid_from"));
    assertThat(versions.get(0).<Timestamp>getAs("valid_to")).isEqualTo(alfkiChanges.get(0));
    assertThat(versions.get(1).<Timestamp>getAs("valid_from")).isEqualTo(alfkiChanges.get(0));
    assertThat(versions.get(1).<Timestamp>getAs("valid_to")).isEqualTo(alfkiChanges.get(1));
    assertThat(versions.get(2).<Timestamp>getAs("valid_from")).isEqualTo(alfkiChanges.get(1));
    assertThat((Object) versions.get(2).getAs("valid_to")).isNull();
    List<Row> fissa = read(SilverJob.DIM_CUSTOMER).where("customer_id = 'FISSA'").collectAsList();
    assertThat(fissa).hasSize(1);
    assertThat(fissa.get(0).<Boolean>getAs("is_current")).isFalse();
    assertThat(fissa.get(0).<Timestamp>getAs("valid_to"))
        .isEqualTo(commitTimes("d", "{\"customer_id\":\"FISSA\"}").get(0));
    assertThat(read(SilverJob.DIM_CUSTOMER).count()).isEqualTo(91 + 2);
  }

  @Test
  @Order(3)
  void aRunWithNothingCapturedRewritesNothing() throws Exception {
    Map<TableId, Long> before = versions();
    ok(f.cli("--until-idle"));
    ok(f.lakehouse("run"));
    assertThat(versions()).isEqualTo(before);
    assertLakeEqualsSource();
  }

  // ------------------------------------------------------------------ the oracle

  /** Every Silver fact and dimension and every Gold figure against SQL over the source. */
  private void assertLakeEqualsSource() throws Exception {
    Dataset<Row> lines = read(SilverJob.FACT_ORDER_LINE);
    Dataset<Row> orders = read(SilverJob.FACT_ORDER);
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
                "SELECT order_id, shipped_date::text, freight::text::numeric(12,4)::text FROM orders"));
    assertThat(rows(lines, "order_id", "product_id", "quantity", "discount", "unit_price"))
        .isEqualTo(
            query(
                "SELECT order_id::text || ':' || product_id, quantity::text,"
                    + " discount::text::numeric(5,4)::text, unit_price::text::numeric(12,4)::text"
                    + " FROM order_details"));
    assertThat(rows(read(SilverJob.DIM_PRODUCT), "product_id", "unit_price"))
        .isEqualTo(query("SELECT product_id, unit_price::text::numeric(12,4)::text FROM products"));
    assertThat(
            rows(
                read(SilverJob.DIM_CUSTOMER).where("is_current"),
                "customer_id",
                "address",
                "company_name"))
        .isEqualTo(
            query(
                "SELECT customer_id, NULLIF(regexp_replace(trim(address), '\\s+', ' ', 'g'), ''),"
                    + " NULLIF(regexp_replace(trim(company_name), '\\s+', ' ', 'g'), '')"
                    + " FROM customers"));
    assertThat(read(SilverJob.DIM_EMPLOYEE).count()).isEqualTo(9);

    Row kpi =
        gold("kpi_summary")
            .orderBy(functions.col("computed_at").desc())
            .limit(1)
            .collectAsList()
            .get(0);
    assertThat(kpi.<BigDecimal>getAs("net_revenue")).isEqualByComparingTo(net);
    assertThat(kpi.<Long>getAs("orders")).isEqualTo(PostgresOracle.orders(db));
    assertThat(kpi.<BigDecimal>getAs("avg_basket"))
        .isEqualByComparingTo(PostgresOracle.avgBasket(db));
    assertCents(
        byKey(gold("revenue_by_country"), "country", "net_revenue"),
        PostgresOracle.revenueByCountry(db));
    assertCents(
        byKey(gold("revenue_by_category"), "category_name", "net_revenue"),
        PostgresOracle.revenueByCategory(db));
    Map<String, BigDecimal> months = byKey(gold("revenue_by_month"), "year_month", "net_revenue");
    Map<String, BigDecimal> oracleMonths = new LinkedHashMap<>();
    PostgresOracle.revenueByMonth(db).forEach(m -> oracleMonths.put(m.yearMonth(), m.netRevenue()));
    assertCents(months, oracleMonths);
    Map<String, PostgresOracle.Rfm> rfm = PostgresOracle.rfm(db);
    List<Row> goldRfm = gold("rfm_customer").collectAsList();
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

  // ------------------------------------------------------------------ helpers

  private static CliRun ok(CliRun run) {
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    return run;
  }

  private Dataset<Row> read(TableId t) {
    return f.lake.read(TestSpark.spark(), t);
  }

  private Dataset<Row> gold(String table) {
    return read(TableId.gold(table));
  }

  private Row current(String customerId) {
    return read(SilverJob.DIM_CUSTOMER)
        .where("is_current AND customer_id = '" + customerId + "'")
        .first();
  }

  /** Commit times of the captured changes of one row, oldest first. */
  private List<Timestamp> commitTimes(String op, String key) {
    return f.changes().stream()
        .filter(r -> op.equals(r.getAs("op")) && key.equals(r.getAs("key")))
        .map(r -> r.<Timestamp>getAs("commit_time"))
        .toList();
  }

  private Map<TableId, Long> versions() {
    Map<TableId, Long> out = new LinkedHashMap<>();
    for (TableId t :
        List.of(
            SilverJob.DIM_CUSTOMER,
            SilverJob.DIM_PRODUCT,
            SilverJob.DIM_EMPLOYEE,
            SilverJob.DIM_DATE,
            SilverJob.FACT_ORDER_LINE,
            SilverJob.FACT_ORDER,
            TableId.gold("revenue_by_country"))) {
      out.put(t, f.lake.version(TestSpark.spark(), t));
    }
    return out;
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

  private Map<String, String> query(String sql) throws SQLException {
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
