package dev.northwind.lakehouse.silver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.bronze.BronzeJob;
import dev.northwind.lakehouse.bronze.BronzeOptions;
import dev.northwind.lakehouse.bronze.BronzeReport;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.source.NorthwindGenerator;
import dev.northwind.lakehouse.stream.OrderEvent;
import dev.northwind.lakehouse.stream.OrderEventProducer;
import dev.northwind.lakehouse.stream.OrderLine;
import dev.northwind.lakehouse.stream.StreamBatchReport;
import dev.northwind.lakehouse.stream.StreamJob;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An order is one unit, end to end: source rows in PostgreSQL (generator data plus orders with a
 * line naming an unknown product) through Bronze into Silver, then order events through Kafka and
 * the stream's Silver merge. An order with a bad line never reaches the facts, not even partly;
 * quarantine holds it whole; a later good version lands, a later bad version withdraws it. The
 * other orders' money is compared with PostgreSQL's own numeric sums.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderUnitIT {

  private static final int UNKNOWN_PRODUCT = 99999;

  private static SparkSession spark;
  private static Lake lake;
  private static String url;
  private static Connection db;
  private static String customer;
  private static int p1;
  private static int p2;
  private static int p3;

  /** A: its only line is bad. B: one bad line out of three. C: good, then a bad version. */
  private static int orderA;

  private static int orderB;
  private static int orderC;
  private static String topic;

  @BeforeAll
  static void sourceBronzeSilver() throws Exception {
    spark = TestSpark.spark();
    lake = TestSpark.newLake();
    url = TestPostgres.freshDatabase(OrderUnitIT.class);
    db = TestPostgres.connect(url);
    NorthwindGenerator.generate(db, 1, NorthwindGenerator.DEFAULT_SEED, ExistingData.REFUSE);
    customer = text("SELECT min(customer_id) FROM customers");
    List<Integer> products = ints("SELECT product_id FROM products ORDER BY product_id LIMIT 3");
    p1 = products.get(0);
    p2 = products.get(1);
    p3 = products.get(2);
    int max = ints("SELECT max(order_id) FROM orders").get(0);
    orderA = max + 1;
    orderB = max + 2;
    orderC = max + 3;
    // Without its foreign keys, the source accepts a line naming a product it does not have.
    for (String fk :
        texts(
            "SELECT conname FROM pg_constraint "
                + "WHERE conrelid = 'order_details'::regclass AND contype = 'f'")) {
      exec("ALTER TABLE order_details DROP CONSTRAINT " + fk);
    }
    exec(
        "INSERT INTO orders (order_id, customer_id, employee_id, order_date, ship_via, freight, ship_country) VALUES "
            + "("
            + orderA
            + ", '"
            + customer
            + "', 1, DATE '1998-05-06', 1, 1.5, 'Germany'), "
            + "("
            + orderB
            + ", '"
            + customer
            + "', 1, DATE '1998-05-06', 1, 2.5, 'Germany'), "
            + "("
            + orderC
            + ", '"
            + customer
            + "', 1, DATE '1998-05-06', 1, 3.5, 'Germany')");
    exec(
        "INSERT INTO order_details (order_id, product_id, unit_price, quantity, discount) VALUES "
            + "("
            + orderA
            + ", "
            + UNKNOWN_PRODUCT
            + ", 10, 1, 0), "
            + "("
            + orderB
            + ", "
            + p1
            + ", 10.5, 2, 0), ("
            + orderB
            + ", "
            + p2
            + ", 20, 1, 0.25), "
            + "("
            + orderB
            + ", "
            + UNKNOWN_PRODUCT
            + ", 5, 1, 0), "
            + "("
            + orderC
            + ", "
            + p1
            + ", 12.5, 4, 0.1), ("
            + orderC
            + ", "
            + p2
            + ", 7.75, 3, 0)");
    bronze();
    SilverJob.run(spark, lake, "silver-1", Progress.NONE);
  }

  @AfterAll
  static void close() throws SQLException {
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Order(1)
  void batchOrdersWithABadLineAreQuarantinedWhole() throws Exception {
    assertThat(factOrderIds()).doesNotContain(orderA, orderB).contains(orderC);
    assertThat(lineCount(orderA, orderB)).isZero();
    assertThat(quarantined("silver-1", orderA, orderB))
        .containsExactlyInAnyOrder(
            "fact_order_line:" + orderA + "/" + UNKNOWN_PRODUCT + ":line_product_exists",
            "fact_order:"
                + orderA
                + ":order "
                + orderA
                + " quarantined: line failed line_product_exists",
            "fact_order_line:" + orderB + "/" + UNKNOWN_PRODUCT + ":line_product_exists",
            "fact_order_line:"
                + orderB
                + "/"
                + p1
                + ":order "
                + orderB
                + " quarantined: line failed line_product_exists",
            "fact_order_line:"
                + orderB
                + "/"
                + p2
                + ":order "
                + orderB
                + " quarantined: line failed line_product_exists",
            "fact_order:"
                + orderB
                + ":order "
                + orderB
                + " quarantined: line failed line_product_exists");
    assertThat(failed("silver-1"))
        .containsEntry("line_product_exists", 2L)
        .containsEntry("line_order_valid", 2L)
        .containsEntry("order_lines_valid", 2L)
        .containsEntry("quantity_positive", 0L);

    // C as inserted, and every other order exactly as PostgreSQL sums its lines.
    assertThat(net(orderC)).isEqualByComparingTo(expectedNet("12.5", 4, "0.1", "7.75", 3, "0"));
    assertNetsMatchTheSource(orderA, orderB);
  }

  @Test
  @Order(2)
  void aFixedOrderLandsAndABrokenOneIsWithdrawn() throws Exception {
    exec(
        "UPDATE order_details SET product_id = "
            + p3
            + " WHERE order_id = "
            + orderB
            + " AND product_id = "
            + UNKNOWN_PRODUCT,
        "UPDATE order_details SET product_id = "
            + UNKNOWN_PRODUCT
            + " WHERE order_id = "
            + orderC
            + " AND product_id = "
            + p2);
    bronze();
    SilverJob.run(spark, lake, "silver-2", Progress.NONE);

    Row b = lake.read(spark, SilverJob.FACT_ORDER).where("order_id = " + orderB).first();
    assertThat(b.<Integer>getAs("lines")).isEqualTo(3);
    assertThat(b.<BigDecimal>getAs("net_amount"))
        .isEqualByComparingTo(expectedNet("10.5", 2, "0", "20", 1, "0.25", "5", 1, "0"));
    assertThat(factOrderIds()).doesNotContain(orderA, orderC);
    assertThat(lineCount(orderC)).isZero();
    assertThat(quarantined("silver-2", orderC))
        .containsExactlyInAnyOrder(
            "fact_order_line:" + orderC + "/" + UNKNOWN_PRODUCT + ":line_product_exists",
            "fact_order_line:"
                + orderC
                + "/"
                + p1
                + ":order "
                + orderC
                + " quarantined: line failed line_product_exists",
            "fact_order:"
                + orderC
                + ":order "
                + orderC
                + " quarantined: line failed line_product_exists");
    assertNetsMatchTheSource(orderA, orderC);
  }

  @Test
  @Order(3)
  void streamedOrdersWithABadLineAreQuarantinedWholeAndLaterVersionsFollowTheSameRule() {
    topic = TestKafka.newTopic("order-unit", 1);
    int s1 = orderC + 101; // only line bad
    int s2 = orderC + 102; // one bad line out of three
    int s3 = orderC + 103; // good
    stream(
        List.of(
            event(s1, line(UNKNOWN_PRODUCT, "9.5", 1, "0")),
            event(
                s2,
                line(p1, "11", 3, "0"),
                line(UNKNOWN_PRODUCT, "4", 1, "0"),
                line(p2, "6.25", 2, "0.2")),
            event(s3, line(p1, "13.6", 2, "0.05"), line(p3, "3.2", 5, "0"))));

    assertThat(factOrderIds()).doesNotContain(s1, s2).contains(s3);
    assertThat(lineCount(s1, s2)).isZero();
    assertThat(quarantined(null, s1, s2))
        .containsExactlyInAnyOrder(
            "fact_order_line:" + s1 + "/" + UNKNOWN_PRODUCT + ":line_product_exists",
            "fact_order:" + s1 + ":order " + s1 + " quarantined: line failed line_product_exists",
            "fact_order_line:" + s2 + "/" + UNKNOWN_PRODUCT + ":line_product_exists",
            "fact_order_line:"
                + s2
                + "/"
                + p1
                + ":order "
                + s2
                + " quarantined: line failed line_product_exists",
            "fact_order_line:"
                + s2
                + "/"
                + p2
                + ":order "
                + s2
                + " quarantined: line failed line_product_exists",
            "fact_order:" + s2 + ":order " + s2 + " quarantined: line failed line_product_exists");
    assertThat(net(s3)).isEqualByComparingTo(expectedNet("13.6", 2, "0.05", "3.2", 5, "0"));

    // s2 re-sent in a good state lands; a bad version of s3 takes it out of Silver.
    stream(
        List.of(
            event(s2, line(p1, "11", 3, "0"), line(p3, "4", 1, "0"), line(p2, "6.25", 2, "0.2")),
            event(s3, line(p1, "13.6", 2, "0.05"), line(UNKNOWN_PRODUCT, "1", 1, "0"))));
    Row fixed = lake.read(spark, SilverJob.FACT_ORDER).where("order_id = " + s2).first();
    assertThat(fixed.<String>getAs("source")).isEqualTo("stream");
    assertThat(fixed.<Integer>getAs("lines")).isEqualTo(3);
    assertThat(fixed.<BigDecimal>getAs("net_amount"))
        .isEqualByComparingTo(expectedNet("11", 3, "0", "4", 1, "0", "6.25", 2, "0.2"));
    assertThat(factOrderIds()).doesNotContain(s1, s3);
    assertThat(lineCount(s3)).isZero();
    assertThat(quarantined(null, s3))
        .containsExactlyInAnyOrder(
            "fact_order_line:" + s3 + "/" + UNKNOWN_PRODUCT + ":line_product_exists",
            "fact_order_line:"
                + s3
                + "/"
                + p1
                + ":order "
                + s3
                + " quarantined: line failed line_product_exists",
            "fact_order:" + s3 + ":order " + s3 + " quarantined: line failed line_product_exists");
  }

  @Test
  @Order(4)
  void aBatchRunAfterTheStreamChangesNoFact() {
    long orders = SilverJobTest.versionOf(lake, SilverJob.FACT_ORDER);
    long lines = SilverJobTest.versionOf(lake, SilverJob.FACT_ORDER_LINE);
    long quarantine = SilverJobTest.versionOf(lake, SilverJob.QUARANTINE);
    // Bronze unchanged: the batch re-merges every streamed order from Bronze, latest version each.
    SilverReport again = SilverJob.run(spark, lake, "silver-3", Progress.NONE);
    assertThat(again.changedRows())
        .containsEntry("fact_order", 0L)
        .containsEntry("fact_order_line", 0L)
        .containsEntry("fact_order (streamed orders)", 0L)
        .containsEntry("quarantine", 0L);
    assertThat(SilverJobTest.versionOf(lake, SilverJob.FACT_ORDER)).isEqualTo(orders);
    assertThat(SilverJobTest.versionOf(lake, SilverJob.FACT_ORDER_LINE)).isEqualTo(lines);
    assertThat(SilverJobTest.versionOf(lake, SilverJob.QUARANTINE)).isEqualTo(quarantine);
  }

  // ------------------------------------------------------------------ steps

  /** Every source table as a full snapshot, so an updated source row reaches Bronze. */
  private static void bronze() {
    BronzeOptions defaults =
        BronzeOptions.from(
            TestSpark.config(Path.of(System.getProperty("java.io.tmpdir"), "order-unit-options")),
            List.of());
    BronzeOptions full =
        new BronzeOptions(
            defaults.schema(),
            defaults.fetchSize(),
            defaults.readPartitions(),
            defaults.partitionMinRows(),
            Map.of(),
            List.of(),
            defaults.threads());
    JdbcSource source = new JdbcSource(url, TestPostgres.user(), "postgres");
    BronzeReport r = BronzeJob.run(spark, lake, source, full, Progress.NONE);
    assertThat(r.failed()).as("Bronze failures").isEmpty();
  }

  private static void stream(List<OrderEvent> events) {
    try (OrderEventProducer p = new OrderEventProducer(TestKafka.bootstrap(), topic)) {
      p.send(events, 0);
    }
    List<StreamBatchReport> run =
        new StreamJob(
                spark,
                lake,
                TestKafka.bootstrap(),
                topic,
                new LakehouseConfig.Stream("1 second", 1000, LakehouseConfig.StreamSilver.MERGE),
                Progress.NONE)
            .withSilver(
                (s, orders, lines, runId) ->
                    SilverJob.mergeStreamOrders(s, lake, orders, lines, runId))
            .runUntilIdle();
    assertThat(run).isNotEmpty().allSatisfy(r -> assertThat(r.deadLettered()).isZero());
  }

  private static OrderEvent event(int orderId, OrderLine... lines) {
    return new OrderEvent(
        UUID.randomUUID().toString(),
        Instant.now(),
        orderId,
        customer,
        1,
        LocalDate.of(1998, 5, 6),
        null,
        null,
        1,
        new BigDecimal("4.5"),
        "Ship",
        "Street 1",
        "Berlin",
        null,
        "10115",
        "Germany",
        List.of(lines));
  }

  private static OrderLine line(int productId, String price, int quantity, String discount) {
    return new OrderLine(productId, new BigDecimal(price), quantity, new BigDecimal(discount));
  }

  // ------------------------------------------------------------------ reading back

  /** Every order in fact_order has the net PostgreSQL computes from its lines in numeric. */
  private static void assertNetsMatchTheSource(int... excluded) throws SQLException {
    Map<Integer, BigDecimal> source = new HashMap<>();
    try (Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT o.order_id, "
                    + "sum(d.unit_price::numeric * d.quantity * (1 - d.discount::numeric)) FROM orders o "
                    + "JOIN order_details d ON d.order_id = o.order_id GROUP BY o.order_id")) {
      while (rs.next()) {
        source.put(rs.getInt(1), rs.getBigDecimal(2));
      }
    }
    for (int id : excluded) {
      source.remove(id);
    }
    Map<Integer, BigDecimal> silver =
        lake
            .read(spark, SilverJob.FACT_ORDER)
            .where("source = 'batch'")
            .select("order_id", "net_amount")
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getInt(0), r -> r.getDecimal(1)));
    assertThat(silver).hasSameSizeAs(source).containsOnlyKeys(source.keySet());
    List<String> differ = new ArrayList<>();
    source.forEach(
        (id, net) -> {
          if (net.compareTo(silver.get(id)) != 0) {
            differ.add(id + ": source " + net + ", silver " + silver.get(id));
          }
        });
    assertThat(differ).as("orders whose net differs from the source").isEmpty();
  }

  private static BigDecimal net(int orderId) {
    return lake.read(spark, SilverJob.FACT_ORDER)
        .where("order_id = " + orderId)
        .first()
        .getAs("net_amount");
  }

  private static List<Integer> factOrderIds() {
    return lake.read(spark, SilverJob.FACT_ORDER).select("order_id").collectAsList().stream()
        .map(r -> r.getInt(0))
        .toList();
  }

  private static long lineCount(int... orderIds) {
    return lake.read(spark, SilverJob.FACT_ORDER_LINE)
        .where("order_id IN (" + list(orderIds) + ")")
        .count();
  }

  private static String list(int... ids) {
    return java.util.Arrays.stream(ids)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(", "));
  }

  /**
   * Σ price × quantity × (1 − discount) in BigDecimal, from (price, quantity, discount) triples.
   */
  private static BigDecimal expectedNet(Object... triples) {
    BigDecimal total = BigDecimal.ZERO;
    for (int i = 0; i < triples.length; i += 3) {
      total =
          total.add(
              new BigDecimal((String) triples[i])
                  .multiply(BigDecimal.valueOf((Integer) triples[i + 1]))
                  .multiply(BigDecimal.ONE.subtract(new BigDecimal((String) triples[i + 2]))));
    }
    return total;
  }

  /**
   * "table:order[/product]:reason" of the quarantined rows of these orders (of one run, unless
   * null).
   */
  private static List<String> quarantined(String runId, int... orderIds) {
    return lake
        .read(spark, SilverJob.QUARANTINE)
        .where(
            (runId == null ? "" : "run_id = '" + runId + "' AND ")
                + "CAST(get_json_object(row_json, '$.order_id') AS INT) IN ("
                + list(orderIds)
                + ")")
        .selectExpr(
            "concat(table_name, ':', get_json_object(row_json, '$.order_id'), "
                + "coalesce(concat('/', get_json_object(row_json, '$.product_id')), ''), ':', expectation)")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .toList();
  }

  private static Map<String, Long> failed(String runId) {
    return lake
        .read(spark, SilverJob.QUALITY_RESULTS)
        .where("run_id = '" + runId + "'")
        .collectAsList()
        .stream()
        .collect(
            Collectors.toMap(
                r -> r.<String>getAs("expectation"), r -> r.<Long>getAs("rows_failed")));
  }

  private static void exec(String... sql) throws SQLException {
    try (Statement st = db.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  private static String text(String sql) throws SQLException {
    return texts(sql).get(0);
  }

  private static List<String> texts(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static List<Integer> ints(String sql) throws SQLException {
    return texts(sql).stream().map(Integer::valueOf).toList();
  }
}
