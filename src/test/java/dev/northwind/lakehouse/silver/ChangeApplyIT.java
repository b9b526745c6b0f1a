package dev.northwind.lakehouse.silver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.cdc.CdcBronzeJob;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@link ChangeApply} on a lake that has only captured changes (no Bronze batch table: columns are
 * inferred from the row images), through real Spark and Delta: a snapshot, then updates and deletes
 * with an older change arriving after the delete, then a run with nothing new.
 */
class ChangeApplyIT {

  private static final StructType CHANGES =
      new StructType()
          .add("change_id", DataTypes.StringType)
          .add("source_schema", DataTypes.StringType)
          .add("source_table", DataTypes.StringType)
          .add("op", DataTypes.StringType)
          .add("lsn", DataTypes.LongType)
          .add("txn_order", DataTypes.LongType)
          .add("commit_time", DataTypes.TimestampType)
          .add("key", DataTypes.StringType)
          .add("before", DataTypes.StringType)
          .add("after", DataTypes.StringType);

  private final SparkSession spark = TestSpark.spark();
  private final Lake lake = TestSpark.newLake();

  @Test
  void snapshotThenUpdatesAndDeletesWithALateOlderChange() {
    List<Row> snapshot = dimensions();
    snapshot.add(read("orders", "order_id", "10248", order(10248, "ALFKI", 32.38)));
    snapshot.add(read("orders", "order_id", "10249", order(10249, "ANATR", 11.61)));
    snapshot.add(line("r", 100, null, 10248, 1, null, line(10248, 1, 18, 12, 0)));
    snapshot.add(line("r", 100, null, 10248, 2, null, line(10248, 2, 19, 10, 0)));
    snapshot.add(line("r", 100, null, 10249, 1, null, line(10249, 1, 18, 9, 0)));
    append(snapshot);

    ChangeApply.run(spark, lake, "cdc-1", Progress.NONE);
    assertThat(net()).containsExactly(Map.entry(10248, "406"), Map.entry(10249, "162"));
    Map<String, Long> versions = versions();

    Row late =
        change(
            "orders",
            "u",
            150,
            1L,
            2_000,
            "{\"order_id\":10249}",
            order(10249, "ANATR", 11.61),
            order(10249, "ANATR", 99));
    append(
        List.of(
            line("u", 200, 1L, 10248, 1, line(10248, 1, 18, 12, 0), line(10248, 1, 18, 20, 0.1)),
            change(
                "customers",
                "u",
                210,
                1L,
                4_000,
                "{\"customer_id\":\"ALFKI\"}",
                customer("ALFKI", "Obere Str. 57"),
                customer("ALFKI", "Neue Str. 1")),
            line("d", 300, 1L, 10249, 1, line(10249, 1, 18, 9, 0), null),
            change(
                "orders",
                "d",
                300,
                2L,
                5_000,
                "{\"order_id\":10249}",
                order(10249, "ANATR", 11.61),
                null),
            change(
                "customers",
                "d",
                310,
                1L,
                6_000,
                "{\"customer_id\":\"ANATR\"}",
                customer("ANATR", "Avda. 2222"),
                null)));
    ChangeApply.run(spark, lake, "cdc-2", Progress.NONE);
    // The update that reaches Bronze after the delete it precedes: the tombstone wins.
    append(List.of(late));
    ChangeApply.run(spark, lake, "cdc-3", Progress.NONE);

    // 18 × 20 × 0.9 + 19 × 10, exact.
    assertThat(net()).containsExactly(Map.entry(10248, "514"));
    assertThat(
            lake.read(spark, SilverJob.FACT_ORDER_LINE)
                .where("order_id = 10248 AND product_id = 1")
                .first()
                .<BigDecimal>getAs("discount"))
        .isEqualByComparingTo("0.1");
    assertThat(lake.read(spark, SilverJob.FACT_ORDER_LINE).count()).isEqualTo(2);
    assertThat(
            lake.read(spark, ChangeApply.STATE)
                .where("source_table = 'orders' AND key = '{\"order_id\":10249}'")
                .first()
                .<Boolean>getAs("deleted"))
        .isTrue();
    List<Row> customers =
        lake.read(spark, SilverJob.DIM_CUSTOMER)
            .orderBy("customer_id", "valid_from")
            .collectAsList();
    assertThat(customers)
        .extracting(
            r ->
                r.getAs("customer_id")
                    + " "
                    + r.getAs("address")
                    + " "
                    + ((Timestamp) r.getAs("valid_from")).getTime()
                    + " "
                    + r.getAs("is_current"))
        .containsExactly(
            "ALFKI Obere Str. 57 1000 false",
            "ALFKI Neue Str. 1 4000 true",
            "ANATR Avda. 2222 1000 false");
    assertThat(lake.read(spark, SilverJob.DIM_PRODUCT).count()).isEqualTo(2);
    assertThat(lake.read(spark, SilverJob.DIM_EMPLOYEE).first().<String>getAs("full_name"))
        .isEqualTo("Nancy Davolio");

    // Nothing new: no Silver table gets a new version.
    Map<String, Long> settled = versions();
    assertThat(settled).isNotEqualTo(versions);
    ChangeApply.run(spark, lake, "cdc-4", Progress.NONE);
    assertThat(versions()).isEqualTo(settled);
  }

  /**
   * A refresh that knows the change table's version Silver last consumed redoes only the orders the
   * new changes touched, and ends where applying every change to the whole state ends: a line
   * updated, an order and its line deleted, a new order whose line names an unknown product (the
   * whole order quarantined), a freight corrected; then a run that died after merging the state
   * (its changes already in the state, not yet in the facts); then a customer change, which the
   * refresh compares with the whole state.
   */
  @Test
  void changesOfOrdersSinceTheLastRunRedoOnlyTheirOrdersAndEqualAWholeApply() {
    Lake whole = TestSpark.newLake();
    List<Row> snapshot = dimensions();
    snapshot.add(read("orders", "order_id", "10248", order(10248, "ALFKI", 32.38)));
    snapshot.add(read("orders", "order_id", "10249", order(10249, "ANATR", 11.61)));
    snapshot.add(read("orders", "order_id", "10250", order(10250, "ALFKI", 65.83)));
    snapshot.add(line("r", 100, null, 10248, 1, null, line(10248, 1, 18, 12, 0)));
    snapshot.add(line("r", 100, null, 10248, 2, null, line(10248, 2, 19, 10, 0)));
    snapshot.add(line("r", 100, null, 10249, 1, null, line(10249, 1, 18, 9, 0)));
    snapshot.add(line("r", 100, null, 10250, 2, null, line(10250, 2, 19, 35, 0.15)));
    List<String> said = new ArrayList<>();
    Progress progress = said::add;
    append(lake, snapshot);
    append(whole, snapshot);
    ChangeApply.run(spark, lake, "cdc-1", progress, Map.of());
    ChangeApply.run(spark, whole, "cdc-1", Progress.NONE, Map.of());

    long consumed = lake.version(spark, CdcBronzeJob.CHANGES);
    List<Row> orders =
        List.of(
            line("u", 200, 1L, 10248, 1, line(10248, 1, 18, 12, 0), line(10248, 1, 18, 20, 0.1)),
            line("d", 210, 1L, 10249, 1, line(10249, 1, 18, 9, 0), null),
            change(
                "orders",
                "d",
                210,
                2L,
                2_100,
                "{\"order_id\":10249}",
                order(10249, "ANATR", 11.61),
                null),
            change(
                "orders",
                "c",
                220,
                1L,
                2_200,
                "{\"order_id\":10251}",
                null,
                order(10251, "ANATR", 1)),
            line("c", 220, 2L, 10251, 1, null, line(10251, 1, 18, 2, 0)),
            line("c", 220, 3L, 10251, 99, null, line(10251, 99, 5, 1, 0)),
            change(
                "orders",
                "u",
                230,
                1L,
                2_300,
                "{\"order_id\":10250}",
                order(10250, "ALFKI", 65.83),
                order(10250, "ALFKI", 70.5)));
    append(lake, orders);
    append(whole, orders);
    said.clear();
    ChangeApply.run(
        spark, lake, "cdc-2", progress, Map.of(CdcBronzeJob.CHANGES.qualified(), consumed));
    ChangeApply.run(spark, whole, "cdc-2", Progress.NONE, Map.of());
    assertThat(said).anyMatch(l -> l.contains("to the orders they touched"));
    assertSameSilver(whole);
    assertThat(net()).containsExactly(Map.entry(10248, "514"), Map.entry(10250, "565.25"));
    // The updates were marked in deletion vectors, not by rewriting the state's files.
    Row detail = lake.delta(spark, ChangeApply.STATE).detail().first();
    assertThat(detail.<String, String>getJavaMap(detail.fieldIndex("properties")))
        .containsEntry("delta.enableDeletionVectors", "true");

    // A run that merged these changes into the state and died before writing the facts: the next
    // refresh still redoes their orders (it reads what the change table gained, not what the
    // state lacks).
    consumed = lake.version(spark, CdcBronzeJob.CHANGES);
    List<Row> more =
        List.of(
            line(
                "u",
                300,
                1L,
                10250,
                2,
                line(10250, 2, 19, 35, 0.15),
                line(10250, 2, 19, 40, 0.15)));
    append(lake, more);
    append(whole, more);
    ChangeApply.applyState(spark, lake, lake.read(spark, CdcBronzeJob.CHANGES));
    said.clear();
    ChangeApply.run(
        spark, lake, "cdc-3", progress, Map.of(CdcBronzeJob.CHANGES.qualified(), consumed));
    ChangeApply.run(spark, whole, "cdc-3", Progress.NONE, Map.of());
    assertThat(said).anyMatch(l -> l.contains("to the orders they touched"));
    assertSameSilver(whole);
    assertThat(net()).containsEntry(10250, "646");

    // A customer changed: compared with the whole state, the same end.
    consumed = lake.version(spark, CdcBronzeJob.CHANGES);
    List<Row> customers =
        List.of(
            change(
                "customers",
                "u",
                400,
                1L,
                4_000,
                "{\"customer_id\":\"ALFKI\"}",
                customer("ALFKI", "Obere Str. 57"),
                customer("ALFKI", "Neue Str. 1")));
    append(lake, customers);
    append(whole, customers);
    said.clear();
    ChangeApply.run(
        spark, lake, "cdc-4", progress, Map.of(CdcBronzeJob.CHANGES.qualified(), consumed));
    ChangeApply.run(spark, whole, "cdc-4", Progress.NONE, Map.of());
    assertThat(said)
        .noneMatch(l -> l.contains("to the orders they touched"))
        .anyMatch(l -> l.contains("with the whole captured state (changes of customers)"));
    assertSameSilver(whole);
  }

  /**
   * Every Silver table of {@link #lake} holds what {@code other}'s does (run ids and times aside).
   */
  private void assertSameSilver(Lake other) {
    for (TableId t :
        List.of(
            SilverJob.FACT_ORDER_LINE,
            SilverJob.FACT_ORDER,
            SilverJob.DIM_DATE,
            SilverJob.DIM_CUSTOMER,
            SilverJob.DIM_PRODUCT,
            SilverJob.DIM_EMPLOYEE,
            SilverJob.QUARANTINE,
            ChangeApply.STATE)) {
      assertThat(rows(lake, t)).as(t.qualified()).isEqualTo(rows(other, t)).isNotEmpty();
    }
  }

  private List<String> rows(Lake in, TableId t) {
    return in
        .read(spark, t)
        .drop("run_id", "updated_at", "customer_sk", "quarantined_at")
        .collectAsList()
        .stream()
        .map(Row::toString)
        .sorted()
        .toList();
  }

  // ------------------------------------------------------------------ helpers

  /** A snapshot read of two customers, a category, a supplier, two products and an employee. */
  private static List<Row> dimensions() {
    List<Row> snapshot = new ArrayList<>();
    snapshot.add(read("customers", "customer_id", "\"ALFKI\"", customer("ALFKI", "Obere Str. 57")));
    snapshot.add(read("customers", "customer_id", "\"ANATR\"", customer("ANATR", "Avda. 2222")));
    snapshot.add(
        read(
            "categories",
            "category_id",
            "1",
            "{\"category_id\":1,\"category_name\":\"Beverages\",\"description\":null}"));
    snapshot.add(
        read(
            "suppliers",
            "supplier_id",
            "1",
            "{\"supplier_id\":1,\"company_name\":\"Exotic Liquids\",\"country\":\"UK\"}"));
    snapshot.add(read("products", "product_id", "1", product(1, "Chai", 18)));
    snapshot.add(read("products", "product_id", "2", product(2, "Chang", 19)));
    snapshot.add(
        read(
            "employees",
            "employee_id",
            "1",
            "{\"employee_id\":1,\"first_name\":\"Nancy\",\"last_name\":\"Davolio\",\"title\":\"Sales"
                + " Representative\",\"title_of_courtesy\":\"Ms.\",\"city\":\"Seattle\",\"country\":"
                + "\"USA\",\"hire_date\":\"1992-05-01Z\",\"reports_to\":null}"));
    return snapshot;
  }

  private Map<Integer, String> net() {
    Map<Integer, String> out = new LinkedHashMap<>();
    lake.read(spark, SilverJob.FACT_ORDER)
        .orderBy("order_id")
        .collectAsList()
        .forEach(
            r ->
                out.put(
                    r.getAs("order_id"),
                    r.<BigDecimal>getAs("net_amount").stripTrailingZeros().toPlainString()));
    return out;
  }

  private Map<String, Long> versions() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (TableId t :
        List.of(
            SilverJob.DIM_CUSTOMER,
            SilverJob.DIM_PRODUCT,
            SilverJob.DIM_EMPLOYEE,
            SilverJob.DIM_DATE,
            SilverJob.FACT_ORDER_LINE,
            SilverJob.FACT_ORDER,
            ChangeApply.STATE)) {
      out.put(t.name(), lake.version(spark, t));
    }
    return out;
  }

  private void append(List<Row> rows) {
    append(lake, rows);
  }

  private void append(Lake to, List<Row> rows) {
    spark
        .createDataFrame(rows, CHANGES)
        .write()
        .format("delta")
        .mode("append")
        .save(to.location(CdcBronzeJob.CHANGES));
  }

  private static Row read(String table, String keyColumn, String keyValue, String row) {
    return change(
        table, "r", 100, null, 1_000, "{\"" + keyColumn + "\":" + keyValue + "}", null, row);
  }

  private static Row line(
      String op, long lsn, Long txnOrder, int orderId, int productId, String before, String after) {
    return change(
        "order_details",
        op,
        lsn,
        txnOrder,
        lsn * 10 + (op.equals("r") ? 1_000 - lsn * 10 : 0),
        "{\"order_id\":" + orderId + ",\"product_id\":" + productId + "}",
        before,
        after);
  }

  private static Row change(
      String table,
      String op,
      long lsn,
      Long txnOrder,
      long commitMillis,
      String key,
      String before,
      String after) {
    return RowFactory.create(
        String.join("|", table, op, key, lsn + ":" + txnOrder, op.equals("r") ? after : ""),
        "public",
        table,
        op,
        lsn,
        txnOrder,
        new Timestamp(commitMillis),
        key,
        before,
        after);
  }

  private static String customer(String id, String address) {
    return "{\"customer_id\":\""
        + id
        + "\",\"company_name\":\"Company "
        + id
        + "\",\"contact_name\":\"Maria Anders\",\"contact_title\":null,\"address\":\""
        + address
        + "\",\"city\":\"Berlin\",\"region\":null,\"postal_code\":\"12209\",\"country\":"
        + "\"Germany\",\"phone\":\"030-0074321\",\"fax\":null}";
  }

  private static String product(int id, String name, double price) {
    return "{\"product_id\":"
        + id
        + ",\"product_name\":\""
        + name
        + "\",\"supplier_id\":1,\"category_id\":1,\"quantity_per_unit\":\"10 boxes\","
        + "\"unit_price\":"
        + price
        + ",\"units_in_stock\":39,\"units_on_order\":0,\"reorder_level\":10,\"discontinued\":0}";
  }

  private static String order(int id, String customer, double freight) {
    return "{\"order_id\":"
        + id
        + ",\"customer_id\":\""
        + customer
        + "\",\"employee_id\":1,\"order_date\":\"1996-07-04Z\",\"required_date\":\"1996-08-01Z\","
        + "\"shipped_date\":null,\"ship_via\":3,\"freight\":"
        + freight
        + ",\"ship_country\":\"Germany\"}";
  }

  private static String line(int order, int product, double price, int quantity, double discount) {
    return "{\"order_id\":"
        + order
        + ",\"product_id\":"
        + product
        + ",\"unit_price\":"
        + price
        + ",\"quantity\":"
        + quantity
        + ",\"discount\":"
        + discount
        + "}";
  }
}
