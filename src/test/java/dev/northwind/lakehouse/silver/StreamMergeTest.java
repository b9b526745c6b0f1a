package dev.northwind.lakehouse.silver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/** Stream orders merged into the facts (generator-style INT keys): batch wins, idempotent, batch replaces. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamMergeTest {

  private static final StructType ORDERS = new StructType()
      .add("event_id", DataTypes.StringType).add("event_time", DataTypes.TimestampType)
      .add("order_id", DataTypes.IntegerType).add("customer_id", DataTypes.StringType)
      .add("employee_id", DataTypes.IntegerType).add("order_date", DataTypes.DateType)
      .add("required_date", DataTypes.DateType).add("shipped_date", DataTypes.DateType)
      .add("ship_via", DataTypes.IntegerType).add("freight", DataTypes.createDecimalType(12, 4))
      .add("ship_country", DataTypes.StringType);
  private static final StructType LINES = new StructType()
      .add("event_id", DataTypes.StringType).add("order_id", DataTypes.IntegerType)
      .add("product_id", DataTypes.IntegerType).add("unit_price", DataTypes.createDecimalType(12, 4))
      .add("quantity", DataTypes.IntegerType).add("discount", DataTypes.createDecimalType(5, 4));

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
  void streamOrdersAreMergedButBatchWins() {
    StreamMergeResult r = merge("stream-1");
    assertThat(r.ordersIgnored()).isEqualTo(1);
    assertThat(r.ordersChanged()).isEqualTo(1);
    assertThat(r.linesChanged()).isEqualTo(2);
    assertThat(r.rowsDropped()).isEqualTo(1);

    Row batchOrder = order(10248);
    assertThat(batchOrder.<String>getAs("source")).isEqualTo("batch");
    assertThat(batchOrder.<BigDecimal>getAs("freight")).isEqualByComparingTo("32.38");
    Row streamOrder = order(20001);
    assertThat(streamOrder.<String>getAs("source")).isEqualTo("stream");
    assertThat(streamOrder.<Integer>getAs("lines")).isEqualTo(2);
    assertThat(streamOrder.<BigDecimal>getAs("net_amount")).isEqualByComparingTo("54.9");  // 2*18 + 21*0.9
    assertThat(lines(20001)).containsOnlyKeys(1, 11).containsEntry(1, "stream|e-2");
    assertThat(lake.read(spark, SilverJob.QUARANTINE).where("expectation = 'quantity_positive' AND row_json LIKE '%e-2%'").count()).isEqualTo(1);
  }

  @Test
  @Order(2)
  void reMergingTheSameEventsChangesNothing() {
    long lineVersion = SilverJobTest.versionOf(lake, SilverJob.FACT_ORDER_LINE);
    long orderVersion = SilverJobTest.versionOf(lake, SilverJob.FACT_ORDER);
    StreamMergeResult r = merge("stream-2");
    assertThat(r.ordersChanged()).isZero();
    assertThat(r.linesChanged()).isZero();
    assertThat(SilverJobTest.versionOf(lake, SilverJob.FACT_ORDER_LINE)).isEqualTo(lineVersion);
    assertThat(SilverJobTest.versionOf(lake, SilverJob.FACT_ORDER)).isEqualTo(orderVersion);
    assertThat(lake.read(spark, SilverJob.FACT_ORDER).where("order_id = 20001").count()).isEqualTo(1);
    assertThat(lake.read(spark, SilverJob.FACT_ORDER_LINE).where("order_id = 20001").count()).isEqualTo(2);
  }

  @Test
  @Order(3)
  void aLaterBatchReplacesTheStreamOrder() {
    bronze.incremental("orders", bronze.orders(), List.<Object[]>of(SampleBronze.row(20001, "ALFKI", 1,
        SampleBronze.date("1996-07-12"), SampleBronze.date("1996-08-01"), null, 1, 5.0f, "Alfreds", "Berlin", "Germany")));
    bronze.incremental("order_details", bronze.orderDetails(), List.of(
        SampleBronze.row(20001, 1, 18.0f, 3, 0.0f), SampleBronze.row(20001, 2, 19.0f, 1, 0.0f)));
    SilverJob.run(spark, lake, "batch-2", Progress.NONE);

    Row o = order(20001);
    assertThat(o.<String>getAs("source")).isEqualTo("batch");
    assertThat(o.<Integer>getAs("lines")).isEqualTo(2);
    assertThat(o.<BigDecimal>getAs("net_amount")).isEqualByComparingTo("73");
    assertThat(lines(20001)).containsOnlyKeys(1, 2).containsEntry(1, "batch|null").containsEntry(2, "batch|null");

    // The stream can no longer touch it.
    StreamMergeResult r = merge("stream-3");
    assertThat(r.ordersIgnored()).isEqualTo(2);
    assertThat(r.ordersChanged()).isZero();
    assertThat(order(20001).<String>getAs("source")).isEqualTo("batch");
  }

  /** Event e-1 repeats batch order 10248; e-2 is a new order with one bad line (quantity 0). */
  private static StreamMergeResult merge(String runId) {
    Timestamp t = Timestamp.valueOf("2024-05-01 10:00:00");
    List<Row> orders = List.of(
        RowFactory.create("e-1", t, 10248, "ALFKI", 1, SampleBronze.date("1996-07-04"), null, null, 3, new BigDecimal("99.0000"), "Germany"),
        RowFactory.create("e-2", t, 20001, "ALFKI", 2, SampleBronze.date("1996-07-12"), null, null, 1, new BigDecimal("5.5000"), "Germany"));
    List<Row> lines = new ArrayList<>(List.of(
        RowFactory.create("e-1", 10248, 11, new BigDecimal("1.0000"), 1, new BigDecimal("0.0000")),
        RowFactory.create("e-2", 20001, 1, new BigDecimal("18.0000"), 2, new BigDecimal("0.0000")),
        RowFactory.create("e-2", 20001, 11, new BigDecimal("21.0000"), 1, new BigDecimal("0.1000")),
        RowFactory.create("e-2", 20001, 2, new BigDecimal("19.0000"), 0, new BigDecimal("0.0000"))));
    Dataset<Row> o = spark.createDataFrame(orders, ORDERS);
    Dataset<Row> l = spark.createDataFrame(lines, LINES);
    return SilverJob.mergeStreamOrders(spark, lake, o, l, runId);
  }

  private static Row order(int id) {
    return lake.read(spark, SilverJob.FACT_ORDER).where("order_id = " + id).first();
  }

  private static Map<Integer, String> lines(int orderId) {
    return lake.read(spark, SilverJob.FACT_ORDER_LINE).where("order_id = " + orderId).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<Integer>getAs("product_id"), r -> r.getAs("source") + "|" + r.getAs("event_id")));
  }

  static long version(TableId t) {
    return SilverJobTest.versionOf(lake, t);
  }
}
