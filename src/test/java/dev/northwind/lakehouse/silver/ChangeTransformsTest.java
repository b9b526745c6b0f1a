package dev.northwind.lakehouse.silver;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.testing.TestSpark;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The AUTO CDC transforms on hand-made change rows: the state does not depend on the order in which
 * changes arrive or on duplicates, a delete is a tombstone that an older late change cannot undo,
 * and dim_customer gets a version per change of a tracked attribute.
 */
class ChangeTransformsTest {

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

  private static final StructType ORDERS =
      new StructType()
          .add("order_id", DataTypes.ShortType)
          .add("customer_id", DataTypes.StringType)
          .add("order_date", DataTypes.DateType)
          .add("freight", DataTypes.FloatType);

  private static final StructType CUSTOMERS =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("company_name", DataTypes.StringType)
          .add("contact_name", DataTypes.StringType)
          .add("contact_title", DataTypes.StringType)
          .add("address", DataTypes.StringType)
          .add("city", DataTypes.StringType)
          .add("region", DataTypes.StringType)
          .add("postal_code", DataTypes.StringType)
          .add("country", DataTypes.StringType)
          .add("phone", DataTypes.StringType)
          .add("fax", DataTypes.StringType);

  private final SparkSession spark = TestSpark.spark();

  /** Order 1: snapshot, two updates, a delete; order 2: snapshot, an update in a transaction. */
  private static List<Row> orderChanges() {
    return new ArrayList<>(
        List.of(
            change("r", 100, null, 1, null, order(1, "ALFKI", 32.38)),
            change("r", 100, null, 2, null, order(2, "ANATR", 11.61)),
            change("u", 150, 1L, 1, order(1, "ALFKI", 32.38), order(1, "ALFKI", 33.5)),
            change("u", 160, 2L, 2, order(2, "ANATR", 11.61), order(2, "ANATR", 12.25)),
            change("u", 200, 1L, 1, order(1, "ALFKI", 33.5), order(1, "ALFKI", 40)),
            change("d", 300, 1L, 1, order(1, "ALFKI", 40), null)));
  }

  @Test
  void latestPerKeyIsTheSameWhateverTheArrivalOrderAndDuplicates() {
    List<Row> inOrder = orderChanges();
    List<Row> expected = state(inOrder);
    assertThat(expected)
        .extracting(r -> r.getAs("key") + " " + r.getAs("op") + " " + r.getAs("deleted"))
        .containsExactly("{\"order_id\":1} d true", "{\"order_id\":2} u false");
    Random random = new Random(16);
    for (int i = 0; i < 5; i++) {
      List<Row> shuffled = new ArrayList<>(inOrder);
      shuffled.addAll(inOrder.subList(random.nextInt(3), 3 + random.nextInt(3)));
      Collections.shuffle(shuffled, random);
      assertThat(state(shuffled)).as("arrival order %s", i).isEqualTo(expected);
    }
  }

  @Test
  void aDeleteIsATombstoneThatALateOlderUpdateCannotUndo() {
    List<Row> deleted = orderChanges();
    Dataset<Row> state = ChangeTransforms.latestPerKey(frame(deleted));
    // The update at LSN 200 arrives again, after the delete was applied.
    Dataset<Row> late = frame(List.of(deleted.get(4)));
    Dataset<Row> again = ChangeTransforms.latestPerKey(frame(deleted).unionByName(late));
    assertThat(rows(again)).isEqualTo(rows(state));
    assertThat(rows(ChangeTransforms.liveRows(state, "orders", ORDERS)))
        .extracting(r -> r.get(0) + " " + r.get(3))
        .containsExactly("2 12.25");
  }

  @Test
  void liveRowsAreTypedLikeBronzeAndDebeziumDatesLoseTheirZone() {
    Dataset<Row> state =
        ChangeTransforms.latestPerKey(
            frame(
                List.of(
                    change(
                        "c",
                        10,
                        1L,
                        7,
                        null,
                        "{\"order_id\":7,\"customer_id\":\"ALFKI\",\"order_date\":\"1996-07-04Z\","
                            + "\"freight\":32.38}"))));
    Row r = ChangeTransforms.liveRows(state, "orders", ORDERS).first();
    assertThat(r.<Short>getAs("order_id")).isEqualTo((short) 7);
    assertThat(r.getAs("order_date").toString()).isEqualTo("1996-07-04");
    assertThat(r.<Float>getAs("freight")).isEqualTo(32.38f);
    // Money through the Silver rule: exact.
    assertThat(
            ChangeTransforms.liveRows(state, "orders", ORDERS)
                .select(
                    SilverTransforms.money(
                        org.apache.spark.sql.functions.col("freight"), SilverTransforms.PRICE))
                .first()
                .getDecimal(0))
        .isEqualByComparingTo("32.38");
  }

  @Test
  void customerVersionsOnePerTrackedChangeValidFromTheCommitTime() {
    List<Row> changes =
        List.of(
            customerChange("r", 100, null, 1_000, null, customer("ALFKI", "Obere Str. 57", "a")),
            // fax only: not tracked, no new version
            customerChange(
                "u",
                150,
                1L,
                2_000,
                customer("ALFKI", "Obere Str. 57", "a"),
                customer("ALFKI", "Obere Str. 57", "b")),
            customerChange(
                "u",
                200,
                1L,
                3_000,
                customer("ALFKI", "Obere Str. 57", "b"),
                customer("ALFKI", "Neue Str. 1", "b")),
            customerChange("r", 100, null, 1_000, null, customer("ANATR", "Avda. 2222", "x")),
            customerChange("d", 300, 1L, 4_000, customer("ANATR", "Avda. 2222", "x"), null));
    List<Row> forward = versions(changes);
    List<Row> backward = new ArrayList<>(changes);
    Collections.reverse(backward);
    backward.add(changes.get(2));
    assertThat(versions(backward)).isEqualTo(forward);
    assertThat(forward)
        .extracting(
            r ->
                r.getAs("customer_id")
                    + " "
                    + r.getAs("address")
                    + " "
                    + ((Timestamp) r.getAs("valid_from")).getTime()
                    + " "
                    + (r.getAs("valid_to") == null
                        ? "-"
                        : ((Timestamp) r.getAs("valid_to")).getTime())
                    + " "
                    + r.getAs("is_current"))
        .containsExactly(
            "ALFKI Obere Str. 57 1000 3000 false",
            "ALFKI Neue Str. 1 3000 - true",
            "ANATR Avda. 2222 1000 4000 false");
  }

  @Test
  void customerHistoryContinuesTheBatchVersionsAndKeepsTheirKeys() {
    Dataset<Row> cdc =
        ChangeTransforms.customerVersions(
            frame(
                List.of(
                    customerChange(
                        "r", 100, null, 5_000, null, customer("ALFKI", "Obere Str. 57", "a")),
                    customerChange(
                        "u",
                        200,
                        1L,
                        6_000,
                        customer("ALFKI", "Obere Str. 57", "a"),
                        customer("ALFKI", "Neue Str. 1", "a")),
                    customerChange(
                        "r", 100, null, 5_000, null, customer("BONAP", "12, rue", "a")))),
            CUSTOMERS);
    // Batch held ALFKI unchanged since t=1000, BONAP with another address, and a customer the
    // snapshot no longer has (deleted before the capture started).
    Dataset<Row> batchRows =
        SilverTransforms.customerRows(
            frame(
                    List.of(
                        customerChange(
                            "r", 1, null, 1, null, customer("ALFKI", "Obere Str. 57", "z")),
                        customerChange("r", 1, null, 1, null, customer("BONAP", "old", "z")),
                        customerChange("r", 1, null, 1, null, customer("GONE1", "x", "z"))))
                .selectExpr("from_json(after, '" + CUSTOMERS.toDDL() + "') AS c")
                .select("c.*"));
    Dataset<Row> existing =
        batchRows
            .withColumn(
                "customer_sk",
                org.apache.spark.sql.functions.expr(
                    "CASE customer_id WHEN 'ALFKI' THEN 1L WHEN 'BONAP' THEN 2L ELSE 3L END"))
            .withColumn("valid_from", lit(new Timestamp(1_000)))
            .withColumn("valid_to", lit(null).cast(DataTypes.TimestampType))
            .withColumn("is_current", lit(true))
            .selectExpr(ChangeTransforms.DIM_CUSTOMER_COLUMNS.toArray(String[]::new));
    List<Row> history =
        ChangeTransforms.customerHistory(existing, cdc, lit(new Timestamp(5_000)))
            .orderBy("customer_id", "valid_from")
            .collectAsList();
    assertThat(history)
        .extracting(
            r ->
                r.getAs("customer_sk")
                    + " "
                    + r.getAs("customer_id")
                    + " "
                    + r.getAs("address")
                    + " "
                    + ((Timestamp) r.getAs("valid_from")).getTime()
                    + " "
                    + (r.getAs("valid_to") == null
                        ? "-"
                        : ((Timestamp) r.getAs("valid_to")).getTime())
                    + " "
                    + r.getAs("is_current"))
        .containsExactly(
            "1 ALFKI Obere Str. 57 1000 6000 false",
            "4 ALFKI Neue Str. 1 6000 - true",
            "2 BONAP old 1000 5000 false",
            "5 BONAP 12, rue 5000 - true",
            "3 GONE1 x 1000 5000 false");
  }

  // ------------------------------------------------------------------ helpers

  private List<Row> state(List<Row> changes) {
    return rows(ChangeTransforms.latestPerKey(frame(changes)));
  }

  private List<Row> versions(List<Row> changes) {
    return ChangeTransforms.customerVersions(frame(changes), CUSTOMERS)
        .orderBy("customer_id", "valid_from")
        .collectAsList();
  }

  private static List<Row> rows(Dataset<Row> d) {
    return d.orderBy(d.columns()[0], d.columns()[1], d.columns()[2]).collectAsList();
  }

  private Dataset<Row> frame(List<Row> rows) {
    return spark.createDataFrame(rows, CHANGES);
  }

  private static Row change(
      String op, long lsn, Long txnOrder, int orderId, String before, String after) {
    String key = "{\"order_id\":" + orderId + "}";
    return RowFactory.create(
        op + ":" + lsn + ":" + txnOrder + ":" + key + ":" + (op.equals("r") ? after : ""),
        "public",
        "orders",
        op,
        lsn,
        txnOrder,
        new Timestamp(lsn * 1000),
        key,
        before,
        after);
  }

  private static Row customerChange(
      String op, long lsn, Long txnOrder, long commitMillis, String before, String after) {
    String row = after != null ? after : before;
    String id = row.substring(row.indexOf(':') + 2, row.indexOf(':') + 7);
    String key = "{\"customer_id\":\"" + id + "\"}";
    return RowFactory.create(
        op + ":" + lsn + ":" + txnOrder + ":" + key + ":" + (op.equals("r") ? after : ""),
        "public",
        "customers",
        op,
        lsn,
        txnOrder,
        new Timestamp(commitMillis),
        key,
        before,
        after);
  }

  private static String order(int id, String customer, double freight) {
    return "{\"order_id\":"
        + id
        + ",\"customer_id\":\""
        + customer
        + "\",\"order_date\":\"1996-07-04Z\",\"freight\":"
        + freight
        + "}";
  }

  private static String customer(String id, String address, String fax) {
    return "{\"customer_id\":\""
        + id
        + "\",\"company_name\":\"Company "
        + id
        + "\",\"contact_name\":\"maria anders\",\"contact_title\":null,\"address\":\""
        + address
        + "\",\"city\":\"Berlin\",\"region\":null,\"postal_code\":\"12209\",\"country\":\"Germany\","
        + "\"phone\":\"030-0074321\",\"fax\":\""
        + fax
        + "\"}";
  }
}
