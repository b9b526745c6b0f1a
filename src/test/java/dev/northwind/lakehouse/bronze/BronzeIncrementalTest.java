package dev.northwind.lakehouse.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.testing.GoldenLake;
import dev.northwind.lakehouse.testing.Jobs;
import dev.northwind.lakehouse.testing.NorthwindDump;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Generator data (integer keys) read in key ranges (partitioned JDBC reads importing the same
 * snapshot), then incremental runs: new orders only, and nothing when nothing changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BronzeIncrementalTest {

  private static final SparkSession SPARK = TestSpark.spark();
  private static Connection db;
  private static JdbcSource source;
  private static Lake lake;
  private static BronzeOptions options;
  private static BronzeReport first;

  @BeforeAll
  static void ingest() throws Exception {
    // The golden lake's generator data, in a database of its own: the tests add rows and columns.
    String url = GoldenLake.shared().sourceCopy(BronzeIncrementalTest.class);
    db = TestPostgres.connect(url);
    source = TestPostgres.source(url);
    lake = TestSpark.newLake();
    // Small thresholds so that orders and order_details are read in 3 key ranges, each on its own
    // connection importing the run's snapshot.
    options = Jobs.bronzeOptions().withPartitioning(3, 500);
    first = BronzeJob.run(SPARK, lake, source, options, Progress.NONE);
  }

  @AfterAll
  static void close() throws Exception {
    db.close();
  }

  @Test
  @Order(1)
  void generatorTablesLandWithTheirRowCounts() throws Exception {
    Map<String, Long> counts = BronzeSteps.sourceCounts(db);
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(NorthwindDump.ROWS.keySet());
    assertThat(BronzeSteps.bronzeCounts(SPARK, lake, counts.keySet()))
        .containsExactlyEntriesOf(counts);
    assertThat(first.failed()).isEmpty();
    assertThat(first.table("orders").watermarkFrom()).as("first load reads everything").isNull();
    assertThat(BronzeSteps.runs(SPARK, lake, first.runId()).filter("status = 'SUCCEEDED'").count())
        .isEqualTo(14);
    // Integer keys stay integers in Bronze.
    assertThat(
            lake.read(SPARK, TableId.bronze("orders"))
                .schema()
                .apply("order_id")
                .dataType()
                .typeName())
        .isEqualTo("integer");
  }

  @Test
  @Order(2)
  void newOrdersAndTheirLinesAreAppendedOnce() throws Exception {
    long maxId = BronzeSteps.scalar(db, "SELECT max(order_id) FROM orders");
    long a = maxId + 1;
    long b = maxId + 2;
    BronzeSteps.exec(
        db,
        "INSERT INTO orders (order_id, customer_id, employee_id, order_date, freight) SELECT "
            + a
            + ", customer_id, 1, DATE '1998-05-07', 12.5 FROM customers ORDER BY customer_id LIMIT 1",
        "INSERT INTO orders (order_id, customer_id, employee_id, order_date, freight) SELECT "
            + b
            + ", customer_id, 2, DATE '1998-05-08', 3.25 FROM customers ORDER BY customer_id LIMIT 1",
        "INSERT INTO order_details VALUES ("
            + a
            + ", 1, 18, 2, 0), ("
            + a
            + ", 2, 19, 1, 0.05), ("
            + b
            + ", 3, 10, 5, 0)");
    long ordersBefore = BronzeSteps.version(SPARK, lake, "orders");

    BronzeReport second = BronzeJob.run(SPARK, lake, source, options, Progress.NONE);

    assertThat(second.failed()).isEmpty();
    assertThat(second.table("orders").status()).isEqualTo(TableStatus.SUCCEEDED);
    assertThat(second.table("orders").watermarkFrom()).isEqualTo(Long.toString(maxId));
    assertThat(second.table("orders").rowsWritten()).isEqualTo(2);
    assertThat(second.table("order_details").rowsWritten()).isEqualTo(3);
    assertThat(BronzeSteps.version(SPARK, lake, "orders"))
        .as("one commit")
        .isEqualTo(ordersBefore + 1);
    List<Row> added =
        lake.read(SPARK, TableId.bronze("orders"))
            .filter("_run_id = '" + second.runId() + "'")
            .select("order_id")
            .orderBy("order_id")
            .collectAsList();
    assertThat(added).extracting(r -> ((Number) r.get(0)).longValue()).containsExactly(a, b);
    List<Row> lines =
        lake.read(SPARK, TableId.bronze("order_details"))
            .filter("_run_id = '" + second.runId() + "'")
            .selectExpr("concat(order_id, '/', product_id)")
            .orderBy("order_id", "product_id")
            .collectAsList();
    assertThat(lines).extracting(r -> r.getString(0)).containsExactly(a + "/1", a + "/2", b + "/3");
    assertThat(BronzeSteps.bronzeCounts(SPARK, lake, List.of("orders", "order_details")))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "orders",
                BronzeSteps.scalar(db, "SELECT count(*) FROM orders"),
                "order_details",
                BronzeSteps.scalar(db, "SELECT count(*) FROM order_details")));
    assertThat(
            lake.read(SPARK, TableId.bronze("orders"))
                .groupBy("order_id")
                .count()
                .filter("count > 1")
                .count())
        .as("no key twice")
        .isZero();
  }

  @Test
  @Order(3)
  void aRunWithoutChangesLeavesIncrementalTablesAlone() {
    long orders = BronzeSteps.version(SPARK, lake, "orders");
    long details = BronzeSteps.version(SPARK, lake, "order_details");
    long customers = BronzeSteps.version(SPARK, lake, "customers");

    BronzeReport third = BronzeJob.run(SPARK, lake, source, options, Progress.NONE);

    assertThat(third.failed()).isEmpty();
    assertThat(BronzeSteps.version(SPARK, lake, "orders")).isEqualTo(orders);
    assertThat(BronzeSteps.version(SPARK, lake, "order_details")).isEqualTo(details);
    assertThat(third.table("orders").status()).isEqualTo(TableStatus.UNCHANGED);
    assertThat(third.table("orders").rowsRead()).isZero();
    assertThat(
            BronzeSteps.runs(SPARK, lake, third.runId())
                .filter("status = 'UNCHANGED'")
                .select("table_name")
                .collectAsList())
        .extracting(r -> r.getString(0))
        .as("no table changed in the source: none is written, full snapshots included")
        .containsExactlyInAnyOrderElementsOf(
            third.tables().stream().map(BronzeReport.TableRun::table).toList())
        .contains("orders", "order_details", "customers", "customer_demographics");
    assertThat(third.table("customers").rowsWritten()).isZero();
    assertThat(BronzeSteps.version(SPARK, lake, "customers"))
        .as("an unchanged snapshot keeps its version")
        .isEqualTo(customers);
  }

  @Test
  @Order(4)
  void anAddedSourceColumnBecomesANullableColumn() throws Exception {
    long maxId = BronzeSteps.scalar(db, "SELECT max(order_id) FROM orders");
    BronzeSteps.exec(
        db,
        "ALTER TABLE orders ADD COLUMN channel varchar(10)",
        "ALTER TABLE customers ADD COLUMN segment varchar(10)",
        "INSERT INTO orders (order_id, customer_id, channel) SELECT "
            + (maxId + 1)
            + ", customer_id, 'web' FROM customers LIMIT 1");

    BronzeReport drift = BronzeJob.run(SPARK, lake, source, options, Progress.NONE);

    assertThat(drift.failed()).isEmpty();
    var orders = lake.read(SPARK, TableId.bronze("orders"));
    assertThat(orders.columns()).contains("channel");
    assertThat(orders.filter("channel = 'web'").count()).isEqualTo(1);
    assertThat(orders.filter("channel IS NULL").count()).isEqualTo(orders.count() - 1);
    assertThat(lake.read(SPARK, TableId.bronze("customers")).columns()).contains("segment");
  }
}
