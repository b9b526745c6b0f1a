package dev.northwind.lakehouse.dashboard;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Schemas;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Small hand-made Gold tables (not the golden lake) following the CONTRACTS.md schemas: 12
 * countries, 12 customers in 4 segments, 6 months, and two kpi_summary runs (the dashboard must
 * show the later one). Values are not meant to reconcile with each other; each test compares the
 * dashboard with these tables.
 */
final class SampleGold {

  record Country(
      String name,
      BigDecimal revenue,
      long orders,
      long customers,
      BigDecimal avgBasket,
      double share,
      int rank) {}

  record Customer(
      String id,
      String company,
      String country,
      int recencyDays,
      long frequency,
      BigDecimal monetary,
      String segment) {}

  record Segment(
      String name,
      long customers,
      BigDecimal revenue,
      double share,
      double avgRecency,
      double avgFrequency,
      BigDecimal avgMonetary,
      String action,
      int sortOrder) {}

  record Month(LocalDate month, long orders, BigDecimal revenue, BigDecimal cumulative) {}

  /** The latest kpi_summary run (the older one has different numbers). */
  static final BigDecimal NET_REVENUE = new BigDecimal("1265432.98765432");

  static final BigDecimal GROSS_REVENUE = new BigDecimal("1354321.12345678");
  static final BigDecimal TOTAL_DISCOUNT = new BigDecimal("88888.13580246");
  static final long ORDERS = 830;
  static final long ORDER_LINES = 2155;
  static final long CUSTOMERS_WITH_ORDERS = 89;
  static final long CUSTOMERS_WITHOUT_ORDERS = 2;
  static final BigDecimal AVG_BASKET = new BigDecimal("1524.61805741");
  static final BigDecimal MEDIAN_BASKET = new BigDecimal("1015.01500000");
  static final long STREAM_ORDERS = 25;
  static final BigDecimal STREAM_NET_REVENUE = new BigDecimal("40123.45500000");
  static final double STREAM_SHARE = 0.0317;
  static final String RUN_ID = "run-2";
  static final String COMPUTED_AT = "2024-07-01T09:30:00Z";

  // Listed out of rank order on purpose: the dashboard must sort by rank.
  static final List<Country> COUNTRIES =
      List.of(
          new Country(
              "GERMANY",
              new BigDecimal("230284.63000000"),
              122,
              11,
              new BigDecimal("1887.57893443"),
              0.182,
              2),
          new Country(
              "USA",
              new BigDecimal("245584.61000000"),
              122,
              13,
              new BigDecimal("2012.98860656"),
              0.194,
              1),
          new Country(
              "AUSTRIA",
              new BigDecimal("128003.83500000"),
              40,
              2,
              new BigDecimal("3200.09587500"),
              0.101,
              3),
          new Country(
              "BRAZIL",
              new BigDecimal("106925.77500000"),
              83,
              9,
              new BigDecimal("1288.26234940"),
              0.085,
              4),
          new Country(
              "FRANCE",
              new BigDecimal("81358.32000000"),
              77,
              10,
              new BigDecimal("1056.60155844"),
              0.064,
              5),
          new Country(
              "UK",
              new BigDecimal("58971.31000000"),
              56,
              7,
              new BigDecimal("1053.05910714"),
              0.047,
              6),
          new Country(
              "VENEZUELA",
              new BigDecimal("56810.62500000"),
              46,
              4,
              new BigDecimal("1235.01358696"),
              0.045,
              7),
          new Country(
              "SWEDEN",
              new BigDecimal("54495.14000000"),
              37,
              2,
              new BigDecimal("1472.84162162"),
              0.043,
              8),
          new Country(
              "CANADA",
              new BigDecimal("50196.29000000"),
              30,
              3,
              new BigDecimal("1673.20966667"),
              0.040,
              9),
          new Country(
              "IRELAND",
              new BigDecimal("49979.90500000"),
              19,
              1,
              new BigDecimal("2630.52131579"),
              0.039,
              10),
          new Country(
              "BELGIUM",
              new BigDecimal("33824.85600000"),
              19,
              2,
              new BigDecimal("1780.25557895"),
              0.027,
              11),
          new Country(
              "DENMARK",
              new BigDecimal("32661.02250000"),
              18,
              2,
              new BigDecimal("1814.50125000"),
              0.026,
              12));

  static final List<Customer> CUSTOMERS =
      List.of(
          new Customer(
              "SAVEA",
              "Save-a-lot Markets",
              "USA",
              1,
              31,
              new BigDecimal("104361.94999999"),
              "VIP"),
          new Customer(
              "ERNSH", "Ernst Handel", "AUSTRIA", 5, 30, new BigDecimal("104874.97850000"), "VIP"),
          new Customer(
              "QUICK", "QUICK-Stop", "GERMANY", 12, 28, new BigDecimal("110277.30500000"), "VIP"),
          new Customer(
              "HUNGO",
              "Hungry Owl All-Night Grocers",
              "IRELAND",
              30,
              19,
              new BigDecimal("49979.90500000"),
              "LOYAL"),
          new Customer(
              "RATTC",
              "Rattlesnake Canyon Grocery",
              "USA",
              45,
              18,
              new BigDecimal("51097.80050000"),
              "LOYAL"),
          new Customer(
              "FOLKO",
              "Folk och fä HB",
              "SWEDEN",
              61,
              19,
              new BigDecimal("29567.56250000"),
              "LOYAL"),
          new Customer(
              "DUMON",
              "Du monde <entier> & Cie",
              "FRANCE",
              90,
              4,
              new BigDecimal("1615.90000000"),
              "AT_RISK"),
          new Customer(
              "BLONP",
              "Blondesddsl père et fils",
              "FRANCE",
              120,
              11,
              new BigDecimal("18534.08000000"),
              "REGULAR"),
          new Customer(
              "WOLZA", "Wolski Zajazd", "UK", 200, 7, new BigDecimal("3531.95000000"), "AT_RISK"),
          new Customer(
              "CACTU",
              "Cactus Comidas para llevar",
              "BRAZIL",
              250,
              6,
              new BigDecimal("1814.80000000"),
              "AT_RISK"),
          new Customer(
              "BERGS",
              "Berglunds snabbköp",
              "SWEDEN",
              365,
              18,
              new BigDecimal("24927.57750000"),
              "REGULAR"),
          new Customer(
              "LAZYK",
              "Lazy K Kountry Store",
              "USA",
              400,
              2,
              new BigDecimal("357.00000000"),
              "AT_RISK"));

  static final List<Segment> SEGMENTS =
      List.of(
          new Segment(
              "REGULAR",
              2,
              new BigDecimal("43461.65750000"),
              0.087,
              242.5,
              14.5,
              new BigDecimal("21730.82875000"),
              "standard engagement",
              3),
          new Segment(
              "VIP",
              3,
              new BigDecimal("319514.23349999"),
              0.637,
              6.0,
              29.67,
              new BigDecimal("106504.74450000"),
              "premium loyalty programme",
              1),
          new Segment(
              "AT_RISK",
              4,
              new BigDecimal("7319.65000000"),
              0.015,
              235.0,
              4.75,
              new BigDecimal("1829.91250000"),
              "win-back campaign",
              4),
          new Segment(
              "LOYAL",
              3,
              new BigDecimal("130645.26800000"),
              0.261,
              45.33,
              18.67,
              new BigDecimal("43548.42266667"),
              "rewards and upsell",
              2));

  static final List<Month> MONTHS = months();

  /** Per country, its cumulative points (country i has (i % 4) + 1 months; USA all six). */
  static final Map<String, List<Month>> CUMULATIVE = cumulative();

  private static Lake shared;

  private SampleGold() {}

  /** One lake with the fixture's Gold tables, written once per test JVM and never modified. */
  static synchronized Lake shared() {
    if (shared == null) {
      shared = write(TestSpark.newLake());
    }
    return shared;
  }

  /** Writes all six Gold tables into the lake. */
  static Lake write(Lake lake) {
    SparkSession spark = TestSpark.spark();
    writeKpi(lake, olderKpiRow());
    appendKpi(lake, latestKpiRow());
    save(
        spark,
        lake,
        DashboardData.REVENUE_BY_COUNTRY,
        countrySchema(),
        COUNTRIES.stream()
            .map(
                c ->
                    RowFactory.create(
                        c.name(),
                        c.revenue(),
                        c.orders(),
                        c.customers(),
                        c.avgBasket(),
                        c.share(),
                        c.rank()))
            .toList());
    save(
        spark,
        lake,
        DashboardData.RFM_CUSTOMER,
        customerSchema(),
        CUSTOMERS.stream()
            .map(
                c ->
                    RowFactory.create(
                        c.id(),
                        c.company(),
                        c.country(),
                        Date.valueOf(LocalDate.of(2024, 6, 30).minusDays(c.recencyDays() - 1)),
                        c.recencyDays(),
                        c.frequency(),
                        c.monetary(),
                        3,
                        3,
                        3,
                        "333",
                        c.segment()))
            .toList());
    save(
        spark,
        lake,
        DashboardData.RFM_SEGMENT,
        segmentSchema(),
        SEGMENTS.stream()
            .map(
                s ->
                    RowFactory.create(
                        s.name(),
                        s.customers(),
                        s.revenue(),
                        s.share(),
                        s.avgRecency(),
                        s.avgFrequency(),
                        s.avgMonetary(),
                        s.action(),
                        s.sortOrder()))
            .toList());
    save(
        spark,
        lake,
        DashboardData.REVENUE_BY_MONTH,
        monthSchema(),
        MONTHS.stream()
            .map(
                m ->
                    RowFactory.create(
                        Date.valueOf(m.month()),
                        ym(m.month()),
                        m.orders(),
                        m.revenue(),
                        m.cumulative()))
            .toList());
    List<Row> cum = new ArrayList<>();
    CUMULATIVE.forEach(
        (country, ms) ->
            ms.forEach(
                m ->
                    cum.add(
                        RowFactory.create(
                            country,
                            Date.valueOf(m.month()),
                            ym(m.month()),
                            m.revenue(),
                            m.cumulative()))));
    save(spark, lake, DashboardData.REVENUE_CUMULATIVE_BY_COUNTRY, cumulativeSchema(), cum);
    return lake;
  }

  static void writeKpi(Lake lake, Row row) {
    TestSpark.spark()
        .createDataFrame(List.of(row), kpiSchema())
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .save(lake.location(DashboardData.KPI_SUMMARY));
  }

  static void appendKpi(Lake lake, Row row) {
    TestSpark.spark()
        .createDataFrame(List.of(row), kpiSchema())
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .save(lake.location(DashboardData.KPI_SUMMARY));
  }

  static Row latestKpiRow() {
    return kpiRow(RUN_ID, COMPUTED_AT, NET_REVENUE, ORDERS, STREAM_ORDERS, STREAM_SHARE);
  }

  static Row olderKpiRow() {
    return kpiRow("run-1", "2024-06-30T08:00:00Z", new BigDecimal("1225310.5"), 805, 0, 0.0);
  }

  static Row kpiRow(
      String runId,
      String computedAt,
      BigDecimal netRevenue,
      long orders,
      long streamOrders,
      double streamShare) {
    return RowFactory.create(
        runId,
        Timestamp.from(java.time.Instant.parse(computedAt)),
        "fact_order=3,fact_order_line=3",
        netRevenue,
        GROSS_REVENUE,
        TOTAL_DISCOUNT,
        orders,
        ORDER_LINES,
        CUSTOMERS_WITH_ORDERS,
        CUSTOMERS_WITHOUT_ORDERS,
        77L,
        AVG_BASKET,
        MEDIAN_BASKET,
        Date.valueOf("2022-07-04"),
        Date.valueOf("2024-06-30"),
        streamOrders,
        STREAM_NET_REVENUE,
        streamShare);
  }

  /** The value as the dashboard shows it: 2 decimals, half-up. */
  static BigDecimal display(BigDecimal exact) {
    return exact.setScale(2, RoundingMode.HALF_UP);
  }

  static String ym(LocalDate month) {
    return String.format("%04d-%02d", month.getYear(), month.getMonthValue());
  }

  private static List<Month> months() {
    List<Month> out = new ArrayList<>();
    BigDecimal cum = BigDecimal.ZERO;
    for (int i = 0; i < 6; i++) {
      BigDecimal rev = new BigDecimal("150000.125").add(BigDecimal.valueOf(i * 12345L));
      cum = cum.add(rev);
      out.add(new Month(LocalDate.of(2024, 1 + i, 1), 100 + i, rev, cum));
    }
    return List.copyOf(out);
  }

  private static Map<String, List<Month>> cumulative() {
    Map<String, List<Month>> out = new LinkedHashMap<>();
    for (int c = 0; c < COUNTRIES.size(); c++) {
      Country country = COUNTRIES.get(c);
      int n = country.name().equals("USA") ? 6 : (c % 4) + 1;
      List<Month> ms = new ArrayList<>();
      BigDecimal cum = BigDecimal.ZERO;
      for (int i = 0; i < n; i++) {
        BigDecimal rev =
            new BigDecimal("1000.005")
                .multiply(BigDecimal.valueOf(c + 1))
                .add(BigDecimal.valueOf(i));
        cum = cum.add(rev);
        ms.add(new Month(LocalDate.of(2024, 6 - n + 1 + i, 1), 3 + i, rev, cum));
      }
      out.put(country.name(), List.copyOf(ms));
    }
    return out;
  }

  private static void save(
      SparkSession spark, Lake lake, TableId id, StructType schema, List<Row> rows) {
    spark
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .save(lake.location(id));
  }

  /** Money is Gold's DECIMAL(30,8). */
  static StructType kpiSchema() {
    return Schemas.of(
        "run_id STRING, computed_at TIMESTAMP, silver_version STRING, net_revenue DECIMAL(30,8), "
            + "gross_revenue DECIMAL(30,8), total_discount DECIMAL(30,8), orders BIGINT, order_lines BIGINT, "
            + "customers_with_orders BIGINT, customers_without_orders BIGINT, active_products BIGINT, "
            + "avg_basket DECIMAL(30,8), median_basket DECIMAL(30,8), first_order_date DATE, last_order_date DATE, "
            + "stream_orders BIGINT, stream_net_revenue DECIMAL(30,8), stream_share DOUBLE");
  }

  private static StructType countrySchema() {
    return Schemas.of(
        "country STRING, net_revenue DECIMAL(30,8), orders BIGINT, customers BIGINT, "
            + "avg_basket DECIMAL(30,8), revenue_share DOUBLE, rank INT");
  }

  private static StructType customerSchema() {
    return Schemas.of(
        "customer_id STRING, company_name STRING, country STRING, last_order_date DATE, "
            + "recency_days INT, frequency BIGINT, monetary DECIMAL(30,8), r_score INT, f_score INT, m_score INT, "
            + "rfm_code STRING, segment STRING");
  }

  private static StructType segmentSchema() {
    return Schemas.of(
        "segment STRING, customers BIGINT, revenue DECIMAL(30,8), revenue_share DOUBLE, "
            + "avg_recency DOUBLE, avg_frequency DOUBLE, avg_monetary DECIMAL(30,8), action STRING, sort_order INT");
  }

  private static StructType monthSchema() {
    return Schemas.of(
        "month DATE, year_month STRING, orders BIGINT, net_revenue DECIMAL(30,8), "
            + "cumulative_net_revenue DECIMAL(30,8)");
  }

  private static StructType cumulativeSchema() {
    return Schemas.of(
        "country STRING, month DATE, year_month STRING, net_revenue DECIMAL(30,8), "
            + "cumulative_net_revenue DECIMAL(30,8)");
  }
}
