package dev.northwind.lakehouse.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Gold table computed from {@link SampleSilver}'s hand-made Silver and checked against
 * figures worked out by hand (comments show the arithmetic). Order nets: O1 225 (180 + 45), O2 285,
 * O3 93, O4 55 (36 + 19), O5 285 (stream), O6 510 (465 + 45), O7 190, O8 144, O9 266; total 2053.
 */
class GoldComputeTest {

  private static GoldTables gold;
  private static Map<String, List<Row>> rows;

  @BeforeAll
  static void compute() {
    SparkSession spark = TestSpark.spark();
    gold =
        GoldJob.compute(
            spark,
            new GoldJob.Inputs(
                SampleSilver.factOrderLine(spark, SampleSilver.ORDERS),
                SampleSilver.factOrder(spark, SampleSilver.ORDERS),
                SampleSilver.dimCustomer(spark),
                SampleSilver.dimProduct(spark),
                SampleSilver.dimEmployee(spark)),
            "run-1",
            "fact_order_line@0");
    rows = new LinkedHashMap<>();
    gold.byName().forEach((name, ds) -> rows.put(name, ds.collectAsList()));
  }

  @AfterAll
  static void release() {
    if (gold != null) {
      gold.close();
    }
  }

  private static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  private static Map<Object, Row> by(String table, String key) {
    Map<Object, Row> m = new LinkedHashMap<>();
    for (Row r : rows.get(table)) {
      m.put(r.getAs(key), r);
    }
    assertThat(m).as(table + " has one row per " + key).hasSize(rows.get(table).size());
    return m;
  }

  private static void assertMoney(Row r, String col, String expected) {
    assertThat((BigDecimal) r.getAs(col)).as(col).isEqualByComparingTo(expected);
  }

  private static double share(String part, String total) {
    return Double.parseDouble(part) / Double.parseDouble(total);
  }

  @Test
  void tablesReadTheCachedBasesInsteadOfRecomputingThem() {
    // The bases (orders and lines with their dimensions, the RFM metrics) are cached once for every
    // table that reads them. Dropping the SQL's temp views through Catalog.dropTempView uncached
    // them before any table ran, and each table silently re-joined Silver.
    for (String name :
        List.of("revenue_by_country", "top_products", "rfm_quartiles", "kpi_summary")) {
      String plan =
          ((org.apache.spark.sql.classic.Dataset<Row>) gold.table(name))
              .queryExecution()
              .withCachedData()
              .toString();
      assertThat(plan).as(name + " reads a cached base").contains("InMemoryRelation");
    }
  }

  @Test
  void theLineBaseBroadcastsTheProductsOfUnsizedPinnedReads() {
    // The jobs read Silver through SparkSessions.planned (an RDD Spark cannot size), so without a
    // hint the line base shuffled every order line to join a few dozen products.
    SparkSession spark = TestSpark.spark();
    try (GoldTables pinned =
        GoldJob.compute(
            spark,
            new GoldJob.Inputs(
                SparkSessions.planned(SampleSilver.factOrderLine(spark, SampleSilver.ORDERS)),
                SparkSessions.planned(SampleSilver.factOrder(spark, SampleSilver.ORDERS)),
                SparkSessions.planned(SampleSilver.dimCustomer(spark)),
                SparkSessions.planned(SampleSilver.dimProduct(spark)),
                SparkSessions.planned(SampleSilver.dimEmployee(spark))),
            "run-2",
            "fact_order_line@0")) {
      String plan =
          ((org.apache.spark.sql.classic.Dataset<Row>) pinned.table("top_products"))
              .queryExecution()
              .withCachedData()
              .toString();
      assertThat(plan).contains("BroadcastHashJoin").doesNotContain("SortMergeJoin");
      assertThat(pinned.table("top_products").collectAsList())
          .containsExactlyInAnyOrderElementsOf(rows.get("top_products"));
    }
  }

  @Test
  void fixtureAmountsAreTheHandComputedOnes() {
    // Guards the fixture itself: the expected figures below assume these order nets.
    Map<Integer, BigDecimal> nets = new LinkedHashMap<>();
    SampleSilver.ORDERS.forEach(o -> nets.put(o.orderId(), o.net()));
    assertThat(
            nets.values().stream()
                .map(BigDecimal::stripTrailingZeros)
                .map(BigDecimal::toPlainString)
                .toList())
        .containsExactly("225", "285", "93", "55", "285", "510", "190", "144", "266");
  }

  @Test
  void kpiSummary() {
    assertThat(rows.get("kpi_summary")).hasSize(1);
    Row k = rows.get("kpi_summary").get(0);
    assertThat(k.<String>getAs("run_id")).isEqualTo("run-1");
    assertThat(k.<String>getAs("silver_version")).isEqualTo("fact_order_line@0");
    assertThat((Object) k.getAs("computed_at")).isNotNull();
    assertMoney(k, "net_revenue", "2053");
    // gross: 180+50+380+93+36+19+300+465+50+190+144+280; discount: 5+95+15+5+14
    assertMoney(k, "gross_revenue", "2187");
    assertMoney(k, "total_discount", "134");
    assertThat(k.<Long>getAs("orders")).isEqualTo(9L);
    assertThat(k.<Long>getAs("order_lines")).isEqualTo(12L);
    assertThat(k.<Long>getAs("customers_with_orders")).isEqualTo(6L);
    assertThat(k.<Long>getAs("customers_without_orders")).isEqualTo(1L); // FOLKO
    assertThat(k.<Long>getAs("active_products")).isEqualTo(4L);
    // 2053 / 9 = 228.111111111... -> 8 decimals, half up
    assertMoney(
        k, "avg_basket", bd("2053").divide(bd("9"), 8, RoundingMode.HALF_UP).toPlainString());
    assertMoney(k, "avg_basket", "228.11111111");
    // sorted baskets 55, 93, 144, 190, [225], 266, 285, 285, 510: odd count, the middle one
    assertMoney(k, "median_basket", "225");
    assertThat(k.<Date>getAs("first_order_date")).isEqualTo(Date.valueOf("2024-01-05"));
    assertThat(k.<Date>getAs("last_order_date")).isEqualTo(Date.valueOf("2024-03-15"));
    assertThat(k.<Long>getAs("stream_orders")).isEqualTo(1L);
    assertMoney(k, "stream_net_revenue", "285");
    assertThat(k.<Double>getAs("stream_share")).isCloseTo(285.0 / 2053.0, within(1e-12));
  }

  @Test
  void moneyStaysDecimal() {
    Dataset<Row> k = gold.kpiSummary();
    for (String col :
        List.of(
            "net_revenue",
            "gross_revenue",
            "total_discount",
            "avg_basket",
            "median_basket",
            "stream_net_revenue")) {
      assertThat(k.schema().apply(col).dataType())
          .as(col)
          .isInstanceOf(org.apache.spark.sql.types.DecimalType.class);
    }
    assertThat(gold.table("rfm_quartiles").schema().apply("q1").dataType())
        .isEqualTo(DataTypes.createDecimalType(38, 10));
    assertThat(gold.table("rfm_customer").schema().apply("monetary").dataType())
        .isInstanceOf(org.apache.spark.sql.types.DecimalType.class);
    assertThat(gold.table("revenue_by_country").schema().apply("rank").dataType())
        .isEqualTo(DataTypes.IntegerType);
  }

  @Test
  void revenueByCountryUsesCurrentCountryWithRanksAndShares() {
    Map<Object, Row> c = by("revenue_by_country", "country");
    // ALFKI's expired SPAIN row must not appear.
    assertThat(c.keySet()).containsExactlyInAnyOrder("USA", "GERMANY", "UK", "FRANCE");
    // USA: DUMON 285 + GREAL 190+144+266; GERMANY: ALFKI 225+285 + CHOPS 55; UK: EASTC 510; FRANCE:
    // BONAP 93
    Object[][] expected = {
      {"USA", "885", 4L, 2L, "221.25", 1},
      {"GERMANY", "565", 3L, 2L, "188.33333333", 2},
      {"UK", "510", 1L, 1L, "510", 3},
      {"FRANCE", "93", 1L, 1L, "93", 4}
    };
    for (Object[] e : expected) {
      Row r = c.get(e[0]);
      assertMoney(r, "net_revenue", (String) e[1]);
      assertThat(r.<Long>getAs("orders")).isEqualTo(e[2]);
      assertThat(r.<Long>getAs("customers")).isEqualTo(e[3]);
      assertMoney(r, "avg_basket", (String) e[4]);
      assertThat(r.<Integer>getAs("rank")).isEqualTo(e[5]);
      assertThat(r.<Double>getAs("revenue_share"))
          .isCloseTo(share((String) e[1], "2053"), within(1e-12));
    }
  }

  @Test
  void revenueByMonthWithCumulative() {
    Map<Object, Row> m = by("revenue_by_month", "year_month");
    assertThat(m.keySet()).containsExactlyInAnyOrder("2024-01", "2024-02", "2024-03");
    // Jan: O1 225 + O7 190 + O3 93; Feb: O2 285 + O5 285 + O8 144; Mar: O4 55 + O6 510 + O9 266
    String[][] expected = {
      {"2024-01", "508", "508"}, {"2024-02", "714", "1222"}, {"2024-03", "831", "2053"}
    };
    for (String[] e : expected) {
      Row r = m.get(e[0]);
      assertThat(r.<Date>getAs("month")).isEqualTo(Date.valueOf(e[0] + "-01"));
      assertThat(r.<Long>getAs("orders")).isEqualTo(3L);
      assertMoney(r, "net_revenue", e[1]);
      assertMoney(r, "cumulative_net_revenue", e[2]);
    }
  }

  @Test
  void cumulativeRevenueByCountry() {
    Map<String, Row> m = new LinkedHashMap<>();
    for (Row r : rows.get("revenue_cumulative_by_country")) {
      m.put(r.getAs("country") + "/" + r.getAs("year_month"), r);
    }
    String[][] expected = {
      {"GERMANY/2024-01", "225", "225"},
      {"GERMANY/2024-02", "285", "510"},
      {"GERMANY/2024-03", "55", "565"},
      {"FRANCE/2024-01", "93", "93"},
      {"USA/2024-01", "190", "190"},
      {"USA/2024-02", "429", "619"},
      {"USA/2024-03", "266", "885"},
      {"UK/2024-03", "510", "510"}
    };
    assertThat(m).hasSize(expected.length);
    for (String[] e : expected) {
      Row r = m.get(e[0]);
      assertThat(r).as(e[0]).isNotNull();
      assertThat(r.<Date>getAs("month")).isEqualTo(Date.valueOf(e[0].split("/")[1] + "-01"));
      assertMoney(r, "net_revenue", e[1]);
      assertMoney(r, "cumulative_net_revenue", e[2]);
    }
  }

  @Test
  void revenueByCategory() {
    Map<Object, Row> c = by("revenue_by_category", "category_name");
    // Beverages: Chai 180+36+144 + Chang 285+19+190, quantity 10+2+10+20+1+10, orders O1 O2 O4 O7
    // O8
    // Condiments: Syrup 45+285+45+266, quantity 5+30+5+28, orders O1 O5 O6 O9; Produce: Tofu 93+465
    Object[][] expected = {
      {"Beverages", 1, "854", 53L, 5L, 1},
      {"Condiments", 2, "641", 68L, 4L, 2},
      {"Produce", 3, "558", 24L, 2L, 3}
    };
    assertThat(c).hasSize(3);
    for (Object[] e : expected) {
      Row r = c.get(e[0]);
      assertThat(r.<Integer>getAs("category_id")).isEqualTo(e[1]);
      assertMoney(r, "net_revenue", (String) e[2]);
      assertThat(r.<Long>getAs("quantity")).isEqualTo(e[3]);
      assertThat(r.<Long>getAs("orders")).isEqualTo(e[4]);
      assertThat(r.<Integer>getAs("rank")).isEqualTo(e[5]);
      assertThat(r.<Double>getAs("revenue_share"))
          .isCloseTo(share((String) e[2], "2053"), within(1e-12));
    }
  }

  @Test
  void topProducts() {
    Map<Object, Row> p = by("top_products", "product_id");
    Object[][] expected = {
      {3, "Aniseed Syrup", "Condiments", "641", 68L, 4L, 1},
      {4, "Tofu", "Produce", "558", 24L, 2L, 2},
      {2, "Chang", "Beverages", "494", 31L, 3L, 3},
      {1, "Chai", "Beverages", "360", 22L, 3L, 4}
    };
    assertThat(p).hasSize(4);
    for (Object[] e : expected) {
      Row r = p.get(e[0]);
      assertThat(r.<String>getAs("product_name")).isEqualTo(e[1]);
      assertThat(r.<String>getAs("category_name")).isEqualTo(e[2]);
      assertMoney(r, "net_revenue", (String) e[3]);
      assertThat(r.<Long>getAs("quantity")).isEqualTo(e[4]);
      assertThat(r.<Long>getAs("orders")).isEqualTo(e[5]);
      assertThat(r.<Integer>getAs("rank")).isEqualTo(e[6]);
    }
  }

  @Test
  void employeePerformance() {
    Map<Object, Row> e = by("employee_performance", "employee_id");
    // Janet (3) has no orders and is not listed.
    assertThat(e.keySet()).containsExactlyInAnyOrder(1, 2);
    // Andrew: O2 285 + O5 285 + O6 510 + O9 266; Nancy: O1 225 + O3 93 + O4 55 + O7 190 + O8 144
    Row andrew = e.get(2);
    assertThat(andrew.<String>getAs("full_name")).isEqualTo("Andrew Fuller");
    assertThat(andrew.<String>getAs("title")).isEqualTo("Vice President, Sales");
    assertThat(andrew.<Long>getAs("orders")).isEqualTo(4L);
    assertMoney(andrew, "net_revenue", "1346");
    assertMoney(andrew, "avg_basket", "336.5");
    assertThat(andrew.<Integer>getAs("rank")).isEqualTo(1);
    Row nancy = e.get(1);
    assertThat(nancy.<String>getAs("full_name")).isEqualTo("Nancy Davolio");
    assertThat(nancy.<Long>getAs("orders")).isEqualTo(5L);
    assertMoney(nancy, "net_revenue", "707");
    assertMoney(nancy, "avg_basket", "141.4");
    assertThat(nancy.<Integer>getAs("rank")).isEqualTo(2);
  }

  @Test
  void rfmQuartilesAreExactInterpolatedDecimals() {
    Map<Object, Row> q = by("rfm_quartiles", "metric");
    assertThat(q.keySet()).containsExactlyInAnyOrder("recency_days", "frequency", "monetary");
    // 6 customers: positions 0.25*5 = 1.25, 0.5*5 = 2.5, 0.75*5 = 3.75 (interpolation everywhere).
    // recency sorted 1, 6, 15, 30, 35, 56: 6 + .25*9, 15 + .5*15, 30 + .75*5
    assertQuartiles(q.get("recency_days"), "8.25", "22.5", "33.75");
    // frequency sorted 1, 1, 1, 1, 2, 3: 1, 1, 1 + .75*1
    assertQuartiles(q.get("frequency"), "1", "1", "1.75");
    // monetary sorted 55, 93, 285, 510, 510, 600: 93 + .25*192, 285 + .5*225, 510 + .75*0
    assertQuartiles(q.get("monetary"), "141", "397.5", "510");
    assertThat(interpolate(List.of("55", "93", "285", "510", "510", "600"), "0.25"))
        .isEqualByComparingTo("141");
    assertThat(interpolate(List.of("55", "93", "285", "510", "510", "600"), "0.5"))
        .isEqualByComparingTo("397.5");
  }

  private static void assertQuartiles(Row r, String q1, String q2, String q3) {
    assertMoney(r, "q1", q1);
    assertMoney(r, "q2", q2);
    assertMoney(r, "q3", q3);
  }

  /** percentile_cont in BigDecimal, independent of the SQL. */
  static BigDecimal interpolate(List<String> sortedValues, String p) {
    List<BigDecimal> v = sortedValues.stream().map(BigDecimal::new).toList();
    BigDecimal pos = new BigDecimal(p).multiply(BigDecimal.valueOf(v.size() - 1L));
    int lo = pos.setScale(0, RoundingMode.FLOOR).intValueExact();
    int hi = pos.setScale(0, RoundingMode.CEILING).intValueExact();
    return v.get(lo)
        .add(pos.subtract(BigDecimal.valueOf(lo)).multiply(v.get(hi).subtract(v.get(lo))));
  }

  @Test
  void rfmCustomerScoresCodesAndSegments() {
    Map<Object, Row> c = by("rfm_customer", "customer_id");
    // FOLKO has no orders: not scored.
    assertThat(c.keySet())
        .containsExactlyInAnyOrder("ALFKI", "BONAP", "CHOPS", "DUMON", "EASTC", "GREAL");
    // reference date = 2024-03-15 + 1 day; recency = days from the last order to 2024-03-16 (2024
    // is a leap year)
    Object[][] expected = {
      // id, country, last order, recency, frequency, monetary, r, f, m, code, segment
      {
        "ALFKI", "GERMANY", "2024-02-10", 35, 2L, "510", 1, 4, 4, "144", "VIP"
      }, // monetary == Q3: VIP
      {"BONAP", "FRANCE", "2024-01-20", 56, 1L, "93", 1, 3, 1, "131", "AT_RISK"},
      {"CHOPS", "GERMANY", "2024-03-01", 15, 1L, "55", 3, 3, 1, "331", "AT_RISK"},
      {"DUMON", "USA", "2024-02-15", 30, 1L, "285", 2, 3, 2, "232", "REGULAR"},
      {"EASTC", "UK", "2024-03-10", 6, 1L, "510", 4, 3, 4, "434", "VIP"}, // monetary == Q3: VIP
      {"GREAL", "USA", "2024-03-15", 1, 3L, "600", 4, 4, 4, "444", "VIP"}
    };
    for (Object[] e : expected) {
      Row r = c.get(e[0]);
      assertThat(r.<String>getAs("country")).as("country of " + e[0]).isEqualTo(e[1]);
      assertThat(r.<Date>getAs("last_order_date")).isEqualTo(Date.valueOf((String) e[2]));
      assertThat(r.<Integer>getAs("recency_days")).as("recency of " + e[0]).isEqualTo(e[3]);
      assertThat(r.<Long>getAs("frequency")).as("frequency of " + e[0]).isEqualTo(e[4]);
      assertMoney(r, "monetary", (String) e[5]);
      assertThat(r.<Integer>getAs("r_score")).as("r of " + e[0]).isEqualTo(e[6]);
      assertThat(r.<Integer>getAs("f_score")).as("f of " + e[0]).isEqualTo(e[7]);
      assertThat(r.<Integer>getAs("m_score")).as("m of " + e[0]).isEqualTo(e[8]);
      assertThat(r.<String>getAs("rfm_code")).as("code of " + e[0]).isEqualTo(e[9]);
      assertThat(r.<String>getAs("segment")).as("segment of " + e[0]).isEqualTo(e[10]);
    }
    assertThat(c.get("ALFKI").<String>getAs("company_name")).isEqualTo("Alfreds Futterkiste");
  }

  @Test
  void rfmSegmentsAlwaysFourWithActions() {
    List<Row> seg = rows.get("rfm_segment");
    assertThat(seg.stream().map(r -> r.<String>getAs("segment")).toList())
        .containsExactlyInAnyOrder("VIP", "LOYAL", "REGULAR", "AT_RISK");
    Map<Object, Row> s = by("rfm_segment", "segment");
    Function<String, Row> r = s::get;
    // VIP: ALFKI 510 + EASTC 510 + GREAL 600; recency (35 + 6 + 1) / 3, frequency (2 + 1 + 3) / 3
    check(r.apply("VIP"), 3L, "1620", 14.0, 2.0, "540", "premium loyalty programme", 1);
    check(r.apply("LOYAL"), 0L, "0", null, null, null, "rewards and upsell", 2);
    check(r.apply("REGULAR"), 1L, "285", 30.0, 1.0, "285", "standard engagement", 3);
    // AT_RISK: BONAP 93 + CHOPS 55; recency (56 + 15) / 2
    check(r.apply("AT_RISK"), 2L, "148", 35.5, 1.0, "74", "win-back campaign", 4);
    assertThat(r.apply("LOYAL").<Double>getAs("revenue_share")).isEqualTo(0.0);
    assertThat(r.apply("VIP").<Double>getAs("revenue_share"))
        .isCloseTo(1620.0 / 2053.0, within(1e-12));
    assertThat(r.apply("AT_RISK").<Double>getAs("revenue_share"))
        .isCloseTo(148.0 / 2053.0, within(1e-12));
  }

  private static void check(
      Row r,
      long customers,
      String revenue,
      Double recency,
      Double frequency,
      String avgMonetary,
      String action,
      int sortOrder) {
    assertThat(r.<Long>getAs("customers")).isEqualTo(customers);
    assertMoney(r, "revenue", revenue);
    assertThat(r.<Double>getAs("avg_recency")).isEqualTo(recency);
    assertThat(r.<Double>getAs("avg_frequency")).isEqualTo(frequency);
    if (avgMonetary == null) {
      assertThat((Object) r.getAs("avg_monetary")).isNull();
    } else {
      assertMoney(r, "avg_monetary", avgMonetary);
    }
    assertThat(r.<String>getAs("action")).isEqualTo(action);
    assertThat(r.<Integer>getAs("sort_order")).isEqualTo(sortOrder);
  }
}
