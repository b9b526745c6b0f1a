package dev.northwind.lakehouse.pipeline;

import static dev.northwind.lakehouse.pipeline.Figures.cents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.northwind.lakehouse.gold.GoldReport;
import dev.northwind.lakehouse.gold.PostgresOracle;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.silver.SilverReport;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.NorthwindLoader;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.Jobs;
import dev.northwind.lakehouse.testing.NorthwindDump;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
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
 * The classic Northwind dump through Bronze, Silver and Gold once; every figure is compared with
 * the independent SQL oracle on the source ({@link PostgresOracle}), money exact or to the cent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NorthwindDumpPipelineIT {

  /**
   * The classic figures of the dump (net revenue to the cent, orders, lines, customers with
   * orders).
   */
  static final BigDecimal CLASSIC_NET_REVENUE = new BigDecimal("1265793.04");

  static final long CLASSIC_ORDERS = 830;
  static final long CLASSIC_LINES = 2155;
  static final int CLASSIC_CUSTOMERS_WITH_ORDERS = 89;

  private static final BigDecimal P25 = new BigDecimal("0.25");
  private static final BigDecimal P50 = new BigDecimal("0.5");
  private static final BigDecimal P75 = new BigDecimal("0.75");

  private Connection db;
  private Lake lake;
  private GoldReport goldReport;
  private SilverReport silverReport;

  @BeforeAll
  void buildLake() throws Exception {
    String url = TestPostgres.freshDatabase(NorthwindDumpPipelineIT.class);
    db = TestPostgres.connect(url);
    NorthwindLoader.loadDump(db, NorthwindDump.path(), ExistingData.REFUSE);
    lake = TestSpark.newLake();
    Jobs.bronze(lake, url);
    silverReport = Jobs.silver(lake, "e2e-silver-1");
    goldReport = Jobs.gold(lake, "e2e-gold-1");
  }

  @AfterAll
  void close() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  // ------------------------------------------------------------------ Silver

  @Test
  @Order(1)
  void silverFactsHoldEverySourceLineAndTheOracleNetRevenue() throws Exception {
    assertThat(silverReport.rowsDropped()).as("rows quarantined from the clean dump").isZero();
    Dataset<Row> lines = Figures.read(lake, SilverJob.FACT_ORDER_LINE);
    assertThat(lines.count()).isEqualTo(PostgresOracle.orderLines(db)).isEqualTo(CLASSIC_LINES);
    assertThat(Figures.read(lake, SilverJob.FACT_ORDER).count())
        .isEqualTo(PostgresOracle.orders(db))
        .isEqualTo(CLASSIC_ORDERS);
    BigDecimal oracle = PostgresOracle.netRevenue(db);
    // Both sides exact (DECIMAL sums of unrounded line amounts vs numeric): equal, not just close.
    assertThat(Figures.sum(lines, "net_amount")).isEqualByComparingTo(oracle);
    assertThat(Figures.sum(Figures.read(lake, SilverJob.FACT_ORDER), "net_amount"))
        .isEqualByComparingTo(oracle);
    assertThat(cents(oracle)).isEqualByComparingTo(CLASSIC_NET_REVENUE);
    assertThat(lines.where("source <> 'batch' OR event_id IS NOT NULL").count()).isZero();
    // Lines agree with their orders.
    Dataset<Row> perOrder =
        lines
            .groupBy("order_id")
            .agg(functions.sum("net_amount").as("lines_net"), functions.count("*").as("n"));
    Dataset<Row> orders = Figures.read(lake, SilverJob.FACT_ORDER);
    assertThat(
            orders
                .join(perOrder, "order_id")
                .where("lines_net <> net_amount OR n <> lines")
                .count())
        .isZero();
  }

  @Test
  @Order(2)
  void everyFactKeyJoinsItsDimensions() {
    Dataset<Row> customers =
        Figures.read(lake, SilverJob.DIM_CUSTOMER).where("is_current").select("customer_id");
    Dataset<Row> products = Figures.read(lake, SilverJob.DIM_PRODUCT).select("product_id");
    Dataset<Row> employees = Figures.read(lake, SilverJob.DIM_EMPLOYEE).select("employee_id");
    Dataset<Row> dates =
        Figures.read(lake, SilverJob.DIM_DATE).select(functions.col("date").as("order_date"));
    assertThat(customers.count()).isEqualTo(NorthwindDump.ROWS.get("customers"));
    assertThat(customers.distinct().count())
        .as("one current row per customer")
        .isEqualTo(customers.count());
    for (TableId fact : List.of(SilverJob.FACT_ORDER_LINE, SilverJob.FACT_ORDER)) {
      Dataset<Row> f = Figures.read(lake, fact);
      assertThat(
              f.join(
                      customers,
                      f.col("customer_id").equalTo(customers.col("customer_id")),
                      "left_anti")
                  .count())
          .as(fact.qualified() + " orphan customers")
          .isZero();
      assertThat(
              f.join(
                      employees,
                      f.col("employee_id").equalTo(employees.col("employee_id")),
                      "left_anti")
                  .count())
          .as(fact.qualified() + " orphan employees")
          .isZero();
      assertThat(
              f.join(dates, f.col("order_date").equalTo(dates.col("order_date")), "left_anti")
                  .count())
          .as(fact.qualified() + " orphan order dates")
          .isZero();
      assertThat(
              f.where("customer_id IS NULL OR employee_id IS NULL OR order_date IS NULL").count())
          .isZero();
    }
    Dataset<Row> lines = Figures.read(lake, SilverJob.FACT_ORDER_LINE);
    assertThat(
            lines
                .join(
                    products,
                    lines.col("product_id").equalTo(products.col("product_id")),
                    "left_anti")
                .count())
        .as("orphan products")
        .isZero();
  }

  // ------------------------------------------------------------------ Gold

  @Test
  @Order(3)
  void kpiSummaryMatchesTheOracle() throws Exception {
    assertThat(goldReport.outcome()).isEqualTo(GoldReport.Outcome.WRITTEN);
    Row kpi = Figures.lastKpi(lake);
    BigDecimal net = kpi.getAs("net_revenue");
    assertThat(net).isEqualByComparingTo(PostgresOracle.netRevenue(db));
    assertThat(cents(net)).isEqualByComparingTo(CLASSIC_NET_REVENUE);
    assertThat(kpi.<Long>getAs("orders"))
        .isEqualTo(PostgresOracle.orders(db))
        .isEqualTo(CLASSIC_ORDERS);
    assertThat(kpi.<Long>getAs("order_lines")).isEqualTo(CLASSIC_LINES);
    // Both rounded once, HALF_UP to 8 decimals, from the same exact total.
    assertThat(kpi.<BigDecimal>getAs("avg_basket"))
        .isEqualByComparingTo(PostgresOracle.avgBasket(db));
    assertThat(cents(kpi.getAs("avg_basket"))).isEqualByComparingTo("1525.05");
    assertThat(kpi.<Long>getAs("customers_with_orders")).isEqualTo(CLASSIC_CUSTOMERS_WITH_ORDERS);
    assertThat(kpi.<Long>getAs("customers_without_orders"))
        .isEqualTo(91 - CLASSIC_CUSTOMERS_WITH_ORDERS);
    assertThat(kpi.<Long>getAs("stream_orders")).isZero();
    assertThat(kpi.<BigDecimal>getAs("stream_net_revenue")).isEqualByComparingTo("0");
    // The median basket recomputed exactly in Java from the oracle's per-order amounts.
    List<BigDecimal> baskets =
        PostgresOracle.orderNetAmounts(db).values().stream().sorted().toList();
    assertThat(kpi.<BigDecimal>getAs("median_basket"))
        .isEqualByComparingTo(Figures.quantile(baskets, P50));
    assertThat(kpi.getAs("first_order_date").toString()).isEqualTo("1996-07-04");
    assertThat(kpi.getAs("last_order_date").toString()).isEqualTo("1998-05-06");
  }

  @Test
  @Order(4)
  void revenuePerCountryForAllCountries() throws Exception {
    Map<String, BigDecimal> oracle = PostgresOracle.revenueByCountry(db);
    Map<String, Row> gold = Figures.byKey(Figures.goldTable(lake, "revenue_by_country"), "country");
    assertThat(gold.keySet()).containsExactlyInAnyOrderElementsOf(oracle.keySet());
    assertThat(gold).hasSize(21);
    oracle.forEach(
        (country, revenue) ->
            assertThat(cents(gold.get(country).getAs("net_revenue")))
                .as(country)
                .isEqualByComparingTo(cents(revenue)));
    // Best first in both: rank 1 is the oracle's first country.
    String best = oracle.keySet().iterator().next();
    assertThat(gold.get(best).<Integer>getAs("rank")).isEqualTo(1);
    assertThat(best).isEqualTo("USA");
    assertThat(Figures.sum(Figures.goldTable(lake, "revenue_by_country"), "net_revenue"))
        .isEqualByComparingTo(PostgresOracle.netRevenue(db));
  }

  @Test
  @Order(5)
  void monthlyRevenueAndCumulativeSumForAllMonths() throws Exception {
    List<PostgresOracle.Month> oracle = PostgresOracle.revenueByMonth(db);
    List<Row> gold = Figures.goldTable(lake, "revenue_by_month").orderBy("month").collectAsList();
    assertThat(gold)
        .extracting(r -> r.<String>getAs("year_month"))
        .containsExactlyElementsOf(oracle.stream().map(PostgresOracle.Month::yearMonth).toList());
    assertThat(gold).hasSize(23);
    for (int i = 0; i < oracle.size(); i++) {
      PostgresOracle.Month m = oracle.get(i);
      Row g = gold.get(i);
      assertThat(g.<Long>getAs("orders")).as(m.yearMonth()).isEqualTo(m.orders());
      assertThat(cents(g.getAs("net_revenue")))
          .as(m.yearMonth())
          .isEqualByComparingTo(cents(m.netRevenue()));
      assertThat(cents(g.getAs("cumulative_net_revenue")))
          .as(m.yearMonth())
          .isEqualByComparingTo(cents(m.cumulativeNetRevenue()));
    }
    assertThat(gold.get(gold.size() - 1).<BigDecimal>getAs("cumulative_net_revenue"))
        .isEqualByComparingTo(PostgresOracle.netRevenue(db));
  }

  @Test
  @Order(6)
  void revenueByCategory() throws Exception {
    Map<String, BigDecimal> oracle = PostgresOracle.revenueByCategory(db);
    Map<String, Row> gold =
        Figures.byKey(Figures.goldTable(lake, "revenue_by_category"), "category_name");
    assertThat(gold.keySet()).containsExactlyInAnyOrderElementsOf(oracle.keySet()).hasSize(8);
    oracle.forEach(
        (category, revenue) ->
            assertThat(cents(gold.get(category).getAs("net_revenue")))
                .as(category)
                .isEqualByComparingTo(cents(revenue)));
    assertThat(gold.get("Beverages").<Integer>getAs("rank")).isEqualTo(1);
  }

  @Test
  @Order(7)
  void recencyFrequencyMonetaryOfEveryCustomer() throws Exception {
    Map<String, PostgresOracle.Rfm> oracle = PostgresOracle.rfm(db);
    Map<String, Row> gold = Figures.byKey(Figures.goldTable(lake, "rfm_customer"), "customer_id");
    assertThat(gold.keySet()).containsExactlyInAnyOrderElementsOf(oracle.keySet());
    assertThat(gold).hasSize(CLASSIC_CUSTOMERS_WITH_ORDERS);
    oracle.forEach(
        (id, o) -> {
          Row g = gold.get(id);
          assertThat(g.<Integer>getAs("recency_days"))
              .as(id + " recency")
              .isEqualTo(o.recencyDays());
          assertThat(g.<Long>getAs("frequency")).as(id + " frequency").isEqualTo(o.frequency());
          assertThat(g.<BigDecimal>getAs("monetary"))
              .as(id + " monetary")
              .isEqualByComparingTo(o.monetary());
        });
  }

  @Test
  @Order(8)
  void monetaryQuartilesMatchPercentileContAndExactInterpolation() throws Exception {
    Row q = Figures.goldTable(lake, "rfm_quartiles").where("metric = 'monetary'").first();
    BigDecimal[] gold = {q.getAs("q1"), q.getAs("q2"), q.getAs("q3")};
    // percentile_cont works in double: a relative tolerance.
    PostgresOracle.Quartiles oracle = PostgresOracle.monetaryQuartiles(db);
    BigDecimal[] pg = {oracle.q1(), oracle.q2(), oracle.q3()};
    for (int i = 0; i < 3; i++) {
      double expected = pg[i].doubleValue();
      assertThat(gold[i].doubleValue())
          .as("Q" + (i + 1))
          .isCloseTo(expected, within(Math.abs(expected) * 1e-6));
    }
    // Exact: the same interpolation in BigDecimal over the oracle's exact per-customer amounts.
    List<BigDecimal> monetary =
        PostgresOracle.rfm(db).values().stream()
            .map(PostgresOracle.Rfm::monetary)
            .sorted()
            .toList();
    assertThat(gold[0]).isEqualByComparingTo(Figures.quantile(monetary, P25));
    assertThat(gold[1]).isEqualByComparingTo(Figures.quantile(monetary, P50));
    assertThat(gold[2]).isEqualByComparingTo(Figures.quantile(monetary, P75));
    // Anchors of the dump (89 customers: positions 22, 44 and 66, no interpolation needed).
    assertThat(cents(gold[0])).isEqualByComparingTo("3239.80");
    assertThat(cents(gold[1])).isEqualByComparingTo("7048.24");
    assertThat(cents(gold[2])).isEqualByComparingTo("16817.10");
  }

  @Test
  @Order(9)
  void everyCustomerIsInTheOraclesSegmentAndTheFourSegmentsAddUp() throws Exception {
    Map<String, String> oracle = PostgresOracle.segments(db);
    Map<String, String> gold =
        Figures.goldTable(lake, "rfm_customer")
            .select("customer_id", "segment")
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1)));
    assertThat(gold).containsExactlyInAnyOrderEntriesOf(oracle);

    Map<String, Long> oracleSizes =
        new TreeMap<>(
            oracle.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting())));
    List<Row> segments =
        Figures.goldTable(lake, "rfm_segment").orderBy("sort_order").collectAsList();
    assertThat(segments)
        .extracting(r -> r.<String>getAs("segment"))
        .containsExactly("VIP", "LOYAL", "REGULAR", "AT_RISK");
    Map<String, Long> goldSizes = new TreeMap<>();
    segments.forEach(r -> goldSizes.put(r.getAs("segment"), r.getAs("customers")));
    assertThat(goldSizes)
        .isEqualTo(oracleSizes)
        .isEqualTo(Map.of("VIP", 23L, "LOYAL", 22L, "REGULAR", 22L, "AT_RISK", 22L));
    assertThat(Figures.sum(Figures.goldTable(lake, "rfm_segment"), "revenue"))
        .isEqualByComparingTo(PostgresOracle.netRevenue(db));
    // Segment revenue equals the oracle's monetary summed per oracle segment.
    Map<String, BigDecimal> oracleRevenue = new LinkedHashMap<>();
    PostgresOracle.rfm(db)
        .forEach((id, r) -> oracleRevenue.merge(oracle.get(id), r.monetary(), BigDecimal::add));
    segments.forEach(
        r ->
            assertThat(r.<BigDecimal>getAs("revenue"))
                .as(r.<String>getAs("segment"))
                .isEqualByComparingTo(oracleRevenue.get(r.<String>getAs("segment"))));
  }

  @Test
  @Order(10)
  void sqlCommandShowsTheFourSegmentsFromAFreshCatalog() {
    CliRun run =
        CliRun.of(
            "sql",
            "--lake",
            lake.root().toString(),
            "--format",
            "csv",
            "SELECT segment, customers FROM gold.rfm_segment ORDER BY sort_order");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out().lines().toList())
        .containsExactly("segment,customers", "VIP,23", "LOYAL,22", "REGULAR,22", "AT_RISK,22");
    CliRun all =
        CliRun.of(
            "sql",
            "--lake",
            lake.root().toString(),
            "--format",
            "csv",
            "SELECT * FROM gold.rfm_segment");
    assertThat(all.code()).as(all.err()).isZero();
    List<String> lines = all.out().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).startsWith("segment,customers,revenue,");
    assertThat(lines.subList(1, 5))
        .extracting(l -> l.substring(0, l.indexOf(',')))
        .containsExactlyInAnyOrder("VIP", "LOYAL", "REGULAR", "AT_RISK");
  }

  // ------------------------------------------------------------------ re-runs

  @Test
  @Order(11)
  void reRunningGoldAndSilverWithoutNewDataChangesNothing() {
    Map<String, Long> gold = Figures.goldVersions(lake);
    Map<String, Long> silver = Figures.versions(lake, Figures.SILVER_MODEL);
    BigDecimal net = Figures.sum(Figures.read(lake, SilverJob.FACT_ORDER_LINE), "net_amount");
    long dimCustomerRows = Figures.read(lake, SilverJob.DIM_CUSTOMER).count();

    GoldReport again = Jobs.gold(lake, "e2e-gold-2");
    assertThat(again.outcome()).isEqualTo(GoldReport.Outcome.UP_TO_DATE);
    assertThat(Figures.goldVersions(lake)).isEqualTo(gold);

    SilverReport silverAgain = Jobs.silver(lake, "e2e-silver-2");
    List<String> changed = new ArrayList<>();
    silverAgain
        .changedRows()
        .forEach(
            (t, n) -> {
              if (n != 0 && !t.equals(SilverJob.QUALITY_RESULTS.name())) {
                changed.add(t + "=" + n);
              }
            });
    assertThat(changed).as("Silver tables changed by a re-run").isEmpty();
    assertThat(Figures.versions(lake, Figures.SILVER_MODEL)).isEqualTo(silver);
    assertThat(Figures.sum(Figures.read(lake, SilverJob.FACT_ORDER_LINE), "net_amount"))
        .isEqualByComparingTo(net);
    assertThat(Figures.read(lake, SilverJob.DIM_CUSTOMER).count()).isEqualTo(dimCustomerRows);

    // Silver unchanged, so Gold is still up to date.
    assertThat(Jobs.gold(lake, "e2e-gold-3").outcome()).isEqualTo(GoldReport.Outcome.UP_TO_DATE);
    assertThat(Figures.goldVersions(lake)).isEqualTo(gold);
    assertThat(Figures.goldTable(lake, "kpi_summary").count()).isEqualTo(1);
  }
}
