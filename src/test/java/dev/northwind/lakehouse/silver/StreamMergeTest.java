package dev.northwind.lakehouse.silver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.CommitUnits;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Stream orders merged into the facts (generator-style INT keys): batch wins, idempotent, an order
 * is one unit (a bad line quarantines it whole; a later good version lands, a later bad version
 * withdraws it), batch replaces.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamMergeTest {

  private static final StructType ORDERS =
      new StructType()
          .add("event_id", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType)
          .add("order_id", DataTypes.IntegerType)
          .add("customer_id", DataTypes.StringType)
          .add("employee_id", DataTypes.IntegerType)
          .add("order_date", DataTypes.DateType)
          .add("required_date", DataTypes.DateType)
          .add("shipped_date", DataTypes.DateType)
          .add("ship_via", DataTypes.IntegerType)
          .add("freight", DataTypes.createDecimalType(12, 4))
          .add("ship_country", DataTypes.StringType);
  private static final StructType LINES =
      new StructType()
          .add("event_id", DataTypes.StringType)
          .add("order_id", DataTypes.IntegerType)
          .add("product_id", DataTypes.IntegerType)
          .add("unit_price", DataTypes.createDecimalType(12, 4))
          .add("quantity", DataTypes.IntegerType)
          .add("discount", DataTypes.createDecimalType(5, 4));
  private static final Timestamp FIRST = Timestamp.valueOf("2024-05-01 10:00:00");
  private static final Timestamp LATER = Timestamp.valueOf("2024-05-02 10:00:00");

  private static SparkSession spark;
  private static Lake lake;
  private static SampleBronze bronze;

  @BeforeAll
  static void batch() {
    spark = TestSpark.spark();
    lake = TestSpark.newLake();
    bronze = new SampleBronze(spark, lake, DataTypes.IntegerType);
    bronze.writeAll();
    SilverJob.run(spark, lake, "batch-1", Progress.NONE);
  }

  @Test
  @Order(1)
  void streamOrdersAreMergedButBatchWinsAndBadOrdersAreQuarantinedWhole() {
    StreamMergeResult r = merge("stream-1", firstEvents());
    assertThat(r.ordersIgnored()).isEqualTo(1);
    assertThat(r.ordersChanged()).isEqualTo(1);
    assertThat(r.linesChanged()).isEqualTo(2);
    // 20002: its 3 lines and the order; 20003: its line and the order.
    assertThat(r.rowsDropped()).isEqualTo(4 + 2);

    Row batchOrder = order(10248);
    assertThat(batchOrder.<String>getAs("source")).isEqualTo("batch");
    assertThat(batchOrder.<BigDecimal>getAs("freight")).isEqualByComparingTo("32.38");
    Row streamOrder = order(20001);
    assertThat(streamOrder.<String>getAs("source")).isEqualTo("stream");
    assertThat(streamOrder.<Integer>getAs("lines")).isEqualTo(2);
    assertThat(streamOrder.<BigDecimal>getAs("net_amount"))
        .isEqualByComparingTo(net("18", 2, "0", "21", 1, "0.1"));
    assertThat(streamOrder.<BigDecimal>getAs("net_amount"))
        .isEqualByComparingTo("54.9"); // 2*18 + 21*0.9
    assertThat(lines(20001)).containsOnlyKeys(1, 11).containsEntry(1, "stream|e-2");
    // No candidate was in the facts: both were appended to, not MERGEd into.
    assertThat(operation(SilverJob.FACT_ORDER)).isEqualTo("WRITE");
    assertThat(operation(SilverJob.FACT_ORDER_LINE)).isEqualTo("WRITE");
    // The calendar grows to the streamed order's day (the batch's ends on 1996-07-10), one row a
    // day with no gap.
    assertThat(lake.read(spark, SilverJob.DIM_DATE).count()).isEqualTo(9); // 07-04 .. 07-12
    assertThat(lake.read(spark, SilverJob.DIM_DATE).where("date = DATE'1996-07-12'").count())
        .isEqualTo(1);

    // Neither an order with one bad line out of three nor one whose only line is bad reaches
    // Silver.
    assertThat(lake.read(spark, SilverJob.FACT_ORDER).where("order_id IN (20002, 20003)").count())
        .isZero();
    assertThat(
            lake.read(spark, SilverJob.FACT_ORDER_LINE).where("order_id IN (20002, 20003)").count())
        .isZero();
    assertThat(quarantined("stream-1"))
        .containsExactlyInAnyOrder(
            "fact_order_line:20002/2:quantity_positive",
            "fact_order_line:20002/1:order 20002 quarantined: line failed quantity_positive",
            "fact_order_line:20002/11:order 20002 quarantined: line failed quantity_positive",
            "fact_order:20002:order 20002 quarantined: line failed quantity_positive",
            "fact_order_line:20003/99:line_product_exists",
            "fact_order:20003:order 20003 quarantined: line failed line_product_exists");
    Map<String, Long> failed = failed("stream-1");
    assertThat(failed)
        .containsEntry("quantity_positive", 1L)
        .containsEntry("line_product_exists", 1L)
        .containsEntry("line_order_valid", 2L)
        .containsEntry("order_lines_valid", 2L)
        .containsEntry("line_order_exists", 0L);
  }

  @Test
  @Order(2)
  void reMergingTheSameEventsChangesNothing() {
    long lineVersion = SilverJobTest.versionOf(lake, SilverJob.FACT_ORDER_LINE);
    long orderVersion = SilverJobTest.versionOf(lake, SilverJob.FACT_ORDER);
    long quarantineVersion = SilverJobTest.versionOf(lake, SilverJob.QUARANTINE);
    long calendarVersion = SilverJobTest.versionOf(lake, SilverJob.DIM_DATE);
    StreamMergeResult r = merge("stream-2", firstEvents());
    assertThat(r.ordersChanged()).isZero();
    assertThat(r.linesChanged()).isZero();
    assertThat(SilverJobTest.versionOf(lake, SilverJob.FACT_ORDER_LINE)).isEqualTo(lineVersion);
    assertThat(SilverJobTest.versionOf(lake, SilverJob.FACT_ORDER)).isEqualTo(orderVersion);
    assertThat(SilverJobTest.versionOf(lake, SilverJob.QUARANTINE)).isEqualTo(quarantineVersion);
    assertThat(SilverJobTest.versionOf(lake, SilverJob.DIM_DATE)).isEqualTo(calendarVersion);
    assertThat(lake.read(spark, SilverJob.FACT_ORDER).where("order_id = 20001").count())
        .isEqualTo(1);
    assertThat(lake.read(spark, SilverJob.FACT_ORDER_LINE).where("order_id = 20001").count())
        .isEqualTo(2);
  }

  @Test
  @Order(3)
  void aGoodVersionLandsAndABadVersionWithdrawsTheOrder() {
    StreamMergeResult r = merge("stream-3", laterEvents());
    assertThat(r.ordersChanged()).isEqualTo(2); // 20002 inserted, 20001 deleted
    assertThat(r.linesChanged()).isEqualTo(3 + 2);
    // 20001 is in the facts, so the facts are MERGEd.
    assertThat(operation(SilverJob.FACT_ORDER)).isEqualTo("MERGE");

    Row fixed = order(20002);
    assertThat(fixed.<String>getAs("source")).isEqualTo("stream");
    assertThat(fixed.<Integer>getAs("lines")).isEqualTo(3);
    assertThat(fixed.<BigDecimal>getAs("net_amount"))
        .isEqualByComparingTo(net("18", 1, "0", "21", 2, "0.05", "19", 3, "0"))
        .isEqualByComparingTo("114.9");
    assertThat(lines(20002)).containsOnlyKeys(1, 2, 11).containsEntry(2, "stream|e-5");

    // 20001 was good; its latest version is not: it leaves Silver whole, into quarantine.
    assertThat(lake.read(spark, SilverJob.FACT_ORDER).where("order_id = 20001").count()).isZero();
    assertThat(lake.read(spark, SilverJob.FACT_ORDER_LINE).where("order_id = 20001").count())
        .isZero();
    assertThat(quarantined("stream-3"))
        .containsExactlyInAnyOrder(
            "fact_order_line:20001/99:line_product_exists",
            "fact_order_line:20001/1:order 20001 quarantined: line failed line_product_exists",
            "fact_order:20001:order 20001 quarantined: line failed line_product_exists");
    assertThat(failed("stream-3"))
        .containsEntry("line_order_valid", 1L)
        .containsEntry("order_lines_valid", 1L);

    // The other orders' money is untouched, to the cent: batch orders as the batch left them.
    assertThat(order(10248).<BigDecimal>getAs("net_amount"))
        .isEqualByComparingTo(net("14.4", 12, "0.15", "18", 10, "0"));
  }

  @Test
  @Order(4)
  void aLaterBatchReplacesTheStreamOrder() {
    bronze.incremental(
        "orders",
        bronze.orders(),
        List.<Object[]>of(
            SampleBronze.row(
                20002,
                "ALFKI",
                1,
                SampleBronze.date("1996-07-12"),
                SampleBronze.date("1996-08-01"),
                null,
                1,
                5.0f,
                "Alfreds",
                "Berlin",
                "Germany")));
    bronze.incremental(
        "order_details",
        bronze.orderDetails(),
        List.of(
            SampleBronze.row(20002, 1, 18.0f, 3, 0.0f),
            SampleBronze.row(20002, 2, 19.0f, 1, 0.0f)));
    SilverJob.run(spark, lake, "batch-2", Progress.NONE);

    Row o = order(20002);
    assertThat(o.<String>getAs("source")).isEqualTo("batch");
    assertThat(o.<Integer>getAs("lines")).isEqualTo(2);
    assertThat(o.<BigDecimal>getAs("net_amount")).isEqualByComparingTo("73");
    assertThat(lines(20002))
        .containsOnlyKeys(1, 2)
        .containsEntry(1, "batch|null")
        .containsEntry(2, "batch|null");

    // The stream can no longer touch it.
    StreamMergeResult r = merge("stream-4", laterEvents());
    assertThat(r.ordersIgnored()).isEqualTo(1);
    assertThat(r.ordersChanged()).isZero();
    assertThat(order(20002).<String>getAs("source")).isEqualTo("batch");

    // Events of batch orders alone: counted, then nothing is checked or written.
    long versionBefore = lake.version(spark, SilverJob.FACT_ORDER);
    StreamMergeResult owned = merge("stream-5", List.<Row[]>of(laterEvents().get(0)));
    assertThat(owned.ordersIgnored()).isEqualTo(1);
    assertThat(owned.results()).isEmpty();
    assertThat(lake.version(spark, SilverJob.FACT_ORDER)).isEqualTo(versionBefore);
  }

  @Test
  @Order(5)
  void anAppendCutShortBetweenItsTwoCommitsIsCompletedWhenTheBatchRunsAgain() {
    List<Row[]> events =
        List.<Row[]>of(
            event(
                order("e-7", LATER, 20010, "3.0000"),
                line("e-7", 20010, 1, "18", 4, "0"),
                line("e-7", 20010, 2, "19", 1, "0.1")));
    merge("stream-6", events);
    assertThat(operation(SilverJob.FACT_ORDER_LINE)).isEqualTo("WRITE");
    Map<Integer, String> whole = lines(20010);
    assertThat(whole).containsOnlyKeys(1, 2);
    // A kill -9 after the fact_order append: the order is stored, its lines are not.
    lake.delta(spark, SilverJob.FACT_ORDER_LINE).delete("order_id = 20010");

    StreamMergeResult again = merge("stream-6", events);
    assertThat(again.linesChanged()).isEqualTo(2);
    assertThat(lines(20010)).isEqualTo(whole);
    assertThat(lake.read(spark, SilverJob.FACT_ORDER).where("order_id = 20010").count())
        .isEqualTo(1);
    assertThat(order(20010).<BigDecimal>getAs("net_amount"))
        .isEqualByComparingTo(net("18", 4, "0", "19", 1, "0.1"));
  }

  @Test
  @Order(6)
  void aReaderBesideTheAppendListsBothFactsOrNeither() throws Exception {
    long orders = lake.version(spark, SilverJob.FACT_ORDER);
    long lines = lake.version(spark, SilverJob.FACT_ORDER_LINE);
    AtomicBoolean merged = new AtomicBoolean();
    List<long[]> seen = new CopyOnWriteArrayList<>();
    // Lists both versions as Gold does, again and again while the batch appends its two facts.
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              while (!merged.get()) {
                seen.add(
                    CommitUnits.cut(
                        () ->
                            new long[] {
                              lake.version(spark, SilverJob.FACT_ORDER),
                              lake.version(spark, SilverJob.FACT_ORDER_LINE)
                            }));
              }
            });
    merge(
        "stream-7",
        List.<Row[]>of(
            event(order("e-8", LATER, 20020, "2.0000"), line("e-8", 20020, 1, "18", 1, "0"))));
    merged.set(true);
    reader.get(60, TimeUnit.SECONDS);
    assertThat(operation(SilverJob.FACT_ORDER_LINE)).isEqualTo("WRITE");
    assertThat(lake.version(spark, SilverJob.FACT_ORDER)).isEqualTo(orders + 1);
    assertThat(seen)
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v[0] - orders).isEqualTo(v[1] - lines));
  }

  private static String operation(TableId table) {
    return lake.lastCommit(spark, table).orElseThrow().operation();
  }

  /**
   * e-1 repeats batch order 10248; e-2 is a good new order 20001; e-3 is 20002 with one bad line
   * (quantity 0) out of three; e-4 is 20003 whose only line names an unknown product.
   */
  private static List<Row[]> firstEvents() {
    return List.of(
        event(order("e-1", FIRST, 10248, "99.0000"), line("e-1", 10248, 11, "1", 1, "0")),
        event(
            order("e-2", FIRST, 20001, "5.5000"),
            line("e-2", 20001, 1, "18", 2, "0"),
            line("e-2", 20001, 11, "21", 1, "0.1")),
        event(
            order("e-3", FIRST, 20002, "7.0000"),
            line("e-3", 20002, 1, "18", 1, "0"),
            line("e-3", 20002, 11, "21", 2, "0.05"),
            line("e-3", 20002, 2, "19", 0, "0")),
        event(order("e-4", FIRST, 20003, "1.0000"), line("e-4", 20003, 99, "10", 1, "0")));
  }

  /** e-5 re-sends 20002 in a good state; e-6 is a bad version of 20001 (an unknown product). */
  private static List<Row[]> laterEvents() {
    return List.of(
        event(
            order("e-5", LATER, 20002, "7.0000"),
            line("e-5", 20002, 1, "18", 1, "0"),
            line("e-5", 20002, 11, "21", 2, "0.05"),
            line("e-5", 20002, 2, "19", 3, "0")),
        event(
            order("e-6", LATER, 20001, "5.5000"),
            line("e-6", 20001, 1, "18", 2, "0"),
            line("e-6", 20001, 99, "10", 1, "0")));
  }

  private static Row[] event(Row order, Row... lines) {
    Row[] out = new Row[lines.length + 1];
    out[0] = order;
    System.arraycopy(lines, 0, out, 1, lines.length);
    return out;
  }

  private static Row order(String eventId, Timestamp t, int orderId, String freight) {
    return RowFactory.create(
        eventId,
        t,
        orderId,
        "ALFKI",
        2,
        SampleBronze.date("1996-07-12"),
        null,
        null,
        1,
        new BigDecimal(freight),
        "Germany");
  }

  private static Row line(
      String eventId, int orderId, int productId, String price, int quantity, String discount) {
    return RowFactory.create(
        eventId,
        orderId,
        productId,
        new BigDecimal(price).setScale(4),
        quantity,
        new BigDecimal(discount).setScale(4));
  }

  private static StreamMergeResult merge(String runId, List<Row[]> events) {
    List<Row> orders = new ArrayList<>();
    List<Row> lines = new ArrayList<>();
    for (Row[] e : events) {
      orders.add(e[0]);
      lines.addAll(List.of(e).subList(1, e.length));
    }
    Dataset<Row> o = spark.createDataFrame(orders, ORDERS);
    Dataset<Row> l = spark.createDataFrame(lines, LINES);
    return SilverJob.mergeStreamOrders(spark, lake, o, l, runId);
  }

  /** Σ price × quantity × (1 − discount), in BigDecimal: (price, quantity, discount) triples. */
  private static BigDecimal net(Object... triples) {
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

  private static Row order(int id) {
    return lake.read(spark, SilverJob.FACT_ORDER).where("order_id = " + id).first();
  }

  private static Map<Integer, String> lines(int orderId) {
    return lake
        .read(spark, SilverJob.FACT_ORDER_LINE)
        .where("order_id = " + orderId)
        .collectAsList()
        .stream()
        .collect(
            Collectors.toMap(
                r -> r.<Integer>getAs("product_id"),
                r -> r.getAs("source") + "|" + r.getAs("event_id")));
  }

  /** "table:order[/product]:reason" of the rows one run quarantined. */
  private static List<String> quarantined(String runId) {
    return lake
        .read(spark, SilverJob.QUARANTINE)
        .where("run_id = '" + runId + "'")
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

  static long version(TableId t) {
    return SilverJobTest.versionOf(lake, t);
  }
}
