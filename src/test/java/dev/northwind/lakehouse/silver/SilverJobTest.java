package dev.northwind.lakehouse.silver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.northwind.lakehouse.LakehouseException;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SilverJob over hand-made Bronze tables in one lake (dump-style SMALLINT keys, real money); tests
 * run in order and build on each other's runs to keep the number of Spark jobs small.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SilverJobTest {

  private static final List<TableId> MODEL =
      List.of(
          SilverJob.DIM_CUSTOMER,
          SilverJob.DIM_PRODUCT,
          SilverJob.DIM_EMPLOYEE,
          SilverJob.DIM_DATE,
          SilverJob.FACT_ORDER_LINE,
          SilverJob.FACT_ORDER,
          SilverJob.QUARANTINE);

  private static SparkSession spark;
  private static Lake lake;
  private static SampleBronze bronze;
  private static SilverReport first;
  private static final List<String> progress = new ArrayList<>();

  @BeforeAll
  static void firstRun() {
    spark = TestSpark.spark();
    lake = TestSpark.newLake();
    bronze = new SampleBronze(spark, lake, DataTypes.ShortType);
    // An earlier ingestion of order 10248 with another freight: Silver must take the latest.
    bronze.incremental(
        "orders",
        bronze.orders(),
        List.<Object[]>of(
            SampleBronze.row(
                10248,
                "ALFKI",
                1,
                SampleBronze.date("1996-07-04"),
                SampleBronze.date("1996-08-01"),
                null,
                3,
                1.0f,
                "Alfreds",
                "Berlin",
                "Germany")));
    bronze.writeAll();
    first = SilverJob.run(spark, lake, "silver-1", progress::add);
  }

  @Test
  @Order(1)
  void eachDropExpectationQuarantinesItsBadRow() {
    Map<String, Long> quarantined =
        lake
            .read(spark, SilverJob.QUARANTINE)
            .groupBy("expectation")
            .count()
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertThat(quarantined)
        .containsEntry("customer_id_not_null", 1L)
        .containsEntry("product_id_not_null", 1L)
        .containsEntry("employee_id_not_null", 1L)
        .containsEntry("order_date_not_null", 1L)
        .containsEntry("order_customer_exists", 1L)
        .containsEntry("quantity_positive", 1L)
        .containsEntry("unit_price_non_negative", 1L)
        .containsEntry("discount_in_range", 1L)
        .containsEntry("line_product_exists", 1L)
        .containsEntry("line_key_not_null", 1L)
        // 10999 (no order), 10251 (order dropped: no date) has no line here, 10252 (customer
        // unknown), NULL order id
        .containsEntry("line_order_exists", 3L)
        .containsEntry("line_customer_exists", 3L)
        // An order is one unit: a bad line takes its order and the order's good lines with it.
        .containsEntry("order 10254 quarantined: line failed quantity_positive", 3L)
        .containsEntry("order 10255 quarantined: line failed line_product_exists", 1L)
        .containsEntry(
            "order 10256 quarantined: line failed discount_in_range, unit_price_non_negative", 2L);
    Map<String, String> unitRows =
        lake
            .read(spark, SilverJob.QUARANTINE)
            .where("expectation LIKE 'order % quarantined:%'")
            .selectExpr(
                "concat(table_name, ':', get_json_object(row_json, '$.order_id'), '/', "
                    + "coalesce(get_json_object(row_json, '$.product_id'), '-'))",
                "expectation")
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1)));
    assertThat(unitRows)
        .containsOnlyKeys(
            "fact_order:10254/-",
            "fact_order_line:10254/1",
            "fact_order_line:10254/2",
            "fact_order:10255/-",
            "fact_order:10256/-",
            "fact_order_line:10256/1");
    Row bad =
        lake.read(spark, SilverJob.QUARANTINE).where("expectation = 'quantity_positive'").first();
    assertThat(bad.getString(bad.fieldIndex("table_name"))).isEqualTo("fact_order_line");
    assertThat(bad.getString(bad.fieldIndex("row_json")))
        .contains("\"order_id\":10254")
        .contains("\"product_id\":3")
        .doesNotContain("__");
    assertThat(bad.getString(bad.fieldIndex("run_id"))).isEqualTo("silver-1");

    // Good rows pass: 5 customers, 5 products, 3 employees, 4 orders (10253 only warned), 5 lines.
    assertThat(lake.read(spark, SilverJob.DIM_CUSTOMER).count()).isEqualTo(5);
    assertThat(lake.read(spark, SilverJob.DIM_PRODUCT).count()).isEqualTo(5);
    assertThat(lake.read(spark, SilverJob.DIM_EMPLOYEE).count()).isEqualTo(3);
    assertThat(ids(lake.read(spark, SilverJob.FACT_ORDER), "order_id"))
        .containsExactlyInAnyOrder(10248, 10249, 10250, 10253);
    assertThat(lake.read(spark, SilverJob.FACT_ORDER_LINE).count()).isEqualTo(5);
    assertThat(lake.read(spark, SilverJob.FACT_ORDER_LINE).where("order_id >= 10254").count())
        .isZero();
    // Dimensions 3; orders 2 on their own + 3 with a bad line; lines 7 bad + 3 of those orders.
    assertThat(first.rowsDropped()).isEqualTo(3 + (2 + 3) + (7 + 3));
  }

  @Test
  @Order(2)
  void qualityResultsHoldTheCounts() {
    Map<String, Row> results =
        lake
            .read(spark, SilverJob.QUALITY_RESULTS)
            .where("run_id = 'silver-1'")
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(r.fieldIndex("expectation")), r -> r));
    assertThat(results).hasSize(dev.northwind.lakehouse.quality.Expectations.all().size());
    Row warn = results.get("shipped_not_before_order");
    assertThat(warn.getString(warn.fieldIndex("action"))).isEqualTo("warn");
    assertThat(warn.getLong(warn.fieldIndex("rows_failed"))).isEqualTo(1);
    assertThat(warn.getLong(warn.fieldIndex("rows_checked"))).isEqualTo(9);
    Row qty = results.get("quantity_positive");
    assertThat(qty.getString(qty.fieldIndex("table_name"))).isEqualTo("fact_order_line");
    assertThat(qty.getLong(qty.fieldIndex("rows_checked"))).isEqualTo(15);
    assertThat(qty.getLong(qty.fieldIndex("rows_failed"))).isEqualTo(1);
    // The order-unit rule counts only rows that passed their own rules: 10254's and 10256's good
    // lines, and orders 10254–10256.
    Row lineUnit = results.get("line_order_valid");
    assertThat(lineUnit.getString(lineUnit.fieldIndex("table_name"))).isEqualTo("fact_order_line");
    assertThat(lineUnit.getLong(lineUnit.fieldIndex("rows_checked"))).isEqualTo(15);
    assertThat(lineUnit.getLong(lineUnit.fieldIndex("rows_failed"))).isEqualTo(3);
    Row orderUnit = results.get("order_lines_valid");
    assertThat(orderUnit.getString(orderUnit.fieldIndex("table_name"))).isEqualTo("fact_order");
    assertThat(orderUnit.getLong(orderUnit.fieldIndex("rows_checked"))).isEqualTo(9);
    assertThat(orderUnit.getLong(orderUnit.fieldIndex("rows_failed"))).isEqualTo(3);
    assertThat(
            results
                .get("customer_id_unique")
                .getLong(results.get("customer_id_unique").fieldIndex("rows_failed")))
        .isZero();
    assertThat(progress)
        .anyMatch(l -> l.contains("shipped_not_before_order (warn): 1 of 9 failed"))
        .anyMatch(l -> l.contains("fact_order.order_lines_valid (drop): 3 of 9 failed"));
  }

  @Test
  @Order(3)
  void tablesKeepStatisticsOnTheirKeysOnlyAndDeletionVectors() {
    // Min/max statistics on every amount and name were a fifth of writing the facts at scale
    // 1000; reads filter on the keys, so Delta collects them for the keys alone. A MERGE marks
    // the rows it replaces in deletion vectors instead of rewriting whole files.
    Map<String, String> keys =
        Map.of(
            SilverJob.FACT_ORDER_LINE.name(), "order_id,product_id",
            SilverJob.FACT_ORDER.name(), "order_id",
            SilverJob.DIM_PRODUCT.name(), "product_id");
    keys.forEach(
        (table, columns) -> {
          Row detail = lake.delta(spark, TableId.silver(table)).detail().first();
          assertThat(detail.<String, String>getJavaMap(detail.fieldIndex("properties")))
              .as(table)
              .containsEntry("delta.dataSkippingStatsColumns", columns)
              .containsEntry("delta.enableDeletionVectors", "true");
        });
  }

  @Test
  @Order(3)
  void factsAreConformedAndExact() {
    Row line =
        lake.read(spark, SilverJob.FACT_ORDER_LINE)
            .where("order_id = 10248 AND product_id = 11")
            .first();
    assertThat(line.<BigDecimal>getAs("unit_price")).isEqualByComparingTo("14.4");
    assertThat(line.<BigDecimal>getAs("gross_amount")).isEqualByComparingTo("172.8");
    assertThat(line.<BigDecimal>getAs("net_amount")).isEqualByComparingTo("146.88");
    assertThat(line.<String>getAs("source")).isEqualTo("batch");
    assertThat(line.<Object>getAs("event_id")).isNull();

    // The order total equals a BigDecimal sum over the Bronze inputs, computed here in Java.
    BigDecimal expected = BigDecimal.ZERO;
    for (Object[] r : bronze.orderDetailRows().subList(0, 5)) {
      BigDecimal price = new BigDecimal(Float.toString((Float) r[2]));
      BigDecimal discount = new BigDecimal(Float.toString((Float) r[4]));
      expected =
          expected.add(
              price
                  .multiply(BigDecimal.valueOf((Integer) r[3]))
                  .multiply(BigDecimal.ONE.subtract(discount)));
    }
    BigDecimal total =
        (BigDecimal)
            lake.read(spark, SilverJob.FACT_ORDER)
                .agg(org.apache.spark.sql.functions.sum("net_amount"))
                .first()
                .get(0);
    assertThat(total).isEqualByComparingTo(expected);

    Row order = lake.read(spark, SilverJob.FACT_ORDER).where("order_id = 10248").first();
    assertThat(order.<BigDecimal>getAs("freight"))
        .isEqualByComparingTo("32.38"); // the latest ingestion
    assertThat(order.<Integer>getAs("lines")).isEqualTo(2);
    assertThat(order.<Integer>getAs("days_to_ship")).isEqualTo(12);
    assertThat(order.<String>getAs("ship_country")).isEqualTo("GERMANY");
    assertThat(
            ids(lake.read(spark, SilverJob.FACT_ORDER).where("ship_country = 'USA'"), "order_id"))
        .containsExactly(10250);

    Map<String, String> customers =
        lake.read(spark, SilverJob.DIM_CUSTOMER).collectAsList().stream()
            .collect(
                Collectors.toMap(
                    r -> r.getAs("customer_id"),
                    r ->
                        r.getAs("contact_name")
                            + "|"
                            + r.getAs("city")
                            + "|"
                            + r.getAs("country")));
    assertThat(customers)
        .containsEntry("ANATR", "Ana Trujillo|México D.F.|MEXICO")
        .containsEntry("GREAL", "Howard Snyder|Eugene|USA")
        .containsEntry("AROUT", "Thomas Hardy|London|UK");
    Map<Integer, String> status = new HashMap<>();
    lake.read(spark, SilverJob.DIM_PRODUCT)
        .collectAsList()
        .forEach(r -> status.put(r.getAs("product_id"), r.getAs("stock_status")));
    assertThat(status)
        .containsEntry(1, "IN_STOCK")
        .containsEntry(2, "LOW_STOCK")
        .containsEntry(3, "OUT_OF_STOCK")
        .containsEntry(4, "DISCONTINUED")
        .containsEntry(11, "IN_STOCK");
    Row janet = lake.read(spark, SilverJob.DIM_EMPLOYEE).where("employee_id = 3").first();
    assertThat(janet.<String>getAs("full_name")).isEqualTo("Janet Leverling");
    assertThat(janet.<String>getAs("manager_name")).isEqualTo("Andrew Fuller");
    assertThat(janet.<String>getAs("country")).isEqualTo("USA");
    assertThat(lake.read(spark, SilverJob.DIM_DATE).count())
        .isEqualTo(7); // 1996-07-04 .. 1996-07-10
  }

  @Test
  @Order(4)
  void aSecondRunChangesNothing() {
    Map<TableId, Long> before = versions();
    before.remove(SilverJob.QUALITY_RESULTS); // a log: every run appends its results
    SilverReport again = SilverJob.run(spark, lake, "silver-2", Progress.NONE);
    Map<TableId, Long> after = versions();
    after.remove(SilverJob.QUALITY_RESULTS);
    assertThat(after).isEqualTo(before);
    assertThat(again.changedRows())
        .containsEntry("dim_customer", 0L)
        .containsEntry("fact_order_line", 0L)
        .containsEntry("fact_order", 0L)
        .containsEntry("quarantine", 0L);
    for (TableId t : MODEL) {
      Dataset<Row> previous =
          spark.read().format("delta").option("versionAsOf", before.get(t)).load(lake.location(t));
      Dataset<Row> now = lake.read(spark, t);
      assertThat(now.count()).as(t.name()).isEqualTo(previous.count());
      // Both directions in one Spark job.
      assertThat(now.exceptAll(previous).unionAll(previous.exceptAll(now)).isEmpty())
          .as(t.name())
          .isTrue();
    }
  }

  @Test
  @Order(5)
  void aChangedCityOpensANewCustomerVersion() {
    Map<TableId, Long> before = versions();
    List<Object[]> customers = bronze.customerRows();
    Object[] alfki = customers.get(0).clone();
    alfki[5] = "Hamburg";
    customers.set(0, alfki);
    bronze.full("customers", bronze.customers(), customers);
    SilverJob.run(spark, lake, "silver-3", Progress.NONE);

    List<Row> versions =
        lake.read(spark, SilverJob.DIM_CUSTOMER)
            .where("customer_id = 'ALFKI'")
            .orderBy("valid_from", "customer_sk")
            .collectAsList();
    assertThat(versions).hasSize(2);
    assertThat(versions.stream().filter(r -> r.<Boolean>getAs("is_current")))
        .singleElement()
        .satisfies(r -> assertThat(r.<String>getAs("city")).isEqualTo("Hamburg"))
        .satisfies(r -> assertThat(r.<Object>getAs("valid_to")).isNull());
    Row old =
        versions.stream().filter(r -> !r.<Boolean>getAs("is_current")).findFirst().orElseThrow();
    assertThat(old.<String>getAs("city")).isEqualTo("Berlin");
    assertThat(old.<Object>getAs("valid_to")).isNotNull();
    assertThat(lake.read(spark, SilverJob.DIM_CUSTOMER).select("customer_sk").distinct().count())
        .isEqualTo(6);
    assertThat(lake.read(spark, SilverJob.DIM_CUSTOMER).where("is_current").count()).isEqualTo(5);
    Map<TableId, Long> after = versions();
    assertThat(after.get(SilverJob.DIM_CUSTOMER)).isEqualTo(before.get(SilverJob.DIM_CUSTOMER) + 1);
    assertThat(after.get(SilverJob.FACT_ORDER)).isEqualTo(before.get(SilverJob.FACT_ORDER));
    assertThat(after.get(SilverJob.FACT_ORDER_LINE))
        .isEqualTo(before.get(SilverJob.FACT_ORDER_LINE));

    // A run with no change leaving dim_customer's version alone is asserted in
    // aSecondRunChangesNothing.
  }

  @Test
  @Order(6)
  void aFailingExpectationStopsTheRunWithSilverUnchanged() {
    Map<TableId, Long> before = versions();
    long results = lake.read(spark, SilverJob.QUALITY_RESULTS).count();
    List<Object[]> customers = bronze.customerRows();
    customers.add(customers.get(4).clone()); // BONAP twice
    Object[] changed = customers.get(1).clone();
    changed[5] = "Puebla"; // a change that must NOT reach dim_customer
    customers.set(1, changed);
    bronze.full("customers", bronze.customers(), customers);

    assertThatThrownBy(() -> SilverJob.run(spark, lake, "silver-5", Progress.NONE))
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining("customer_id_unique")
        .hasMessageContaining("dim_customer")
        .hasMessageContaining("2 rows")
        .hasMessageContaining("BONAP");
    assertThat(versions()).isEqualTo(before);
    assertThat(lake.read(spark, SilverJob.QUALITY_RESULTS).count()).isEqualTo(results);
  }

  private static Map<TableId, Long> versions() {
    Map<TableId, Long> v = new HashMap<>();
    for (TableId t : SilverJob.TABLES) {
      v.put(t, version(t));
    }
    return v;
  }

  static long version(TableId t) {
    return versionOf(lake, t);
  }

  /** The latest Delta version of a table. */
  static long versionOf(Lake lake, TableId t) {
    return lake.delta(TestSpark.spark(), t).history(1).first().<Long>getAs("version");
  }

  private static List<Integer> ids(Dataset<Row> rows, String column) {
    return rows.select(column).collectAsList().stream().map(r -> r.getInt(0)).toList();
  }
}
