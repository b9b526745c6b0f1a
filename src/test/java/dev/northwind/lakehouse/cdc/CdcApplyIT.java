package dev.northwind.lakehouse.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.silver.ChangeApply;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.TestSpark;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real PostgreSQL (the classic dump), Debezium, Kafka, Spark and Delta: a lake built by batch
 * ingestion switches to change data capture while a writer changes the source, then a scripted
 * sequence of inserts, updates and deletes is captured ({@code lakehouse cdc --until-idle}) and
 * applied by the next {@code lakehouse run}. After each step every Silver fact and dimension and
 * every Gold figure equals SQL over the source ({@code sql/oracle}), to the cent, and dim_customer
 * has the expected versions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CdcApplyIT {

  private CdcFixture f;
  private Connection db;

  @BeforeAll
  void source() throws SQLException {
    f = CdcFixture.northwind("apply");
    db = DriverManager.getConnection(f.db.url(), f.db.user(), f.db.password());
  }

  @AfterAll
  void close() throws SQLException {
    f.dropSlot();
    db.close();
  }

  /**
   * The switch from batch ingestion to capture while a writer keeps committing inserts, updates and
   * deletes: during the last batch run (Bronze reading over JDBC), during the capture's first
   * snapshot and streaming, and during the first apply. After the writer stops and a drain, Silver
   * and Gold equal the source: no change lost, none applied twice.
   */
  @Test
  @Order(1)
  void switchingFromBatchWhileTheSourceChangesLosesNothing() throws Exception {
    SourceWriter writer = new SourceWriter(f, 16);
    Thread thread = new Thread(writer, "cdc-switch-writer");
    try {
      thread.start();
      ok(f.lakehouse("run"));
      int duringBatch = writer.transactions.get();
      // The writer pauses after a while so that `--until-idle` sees the source idle and returns.
      Thread pause =
          new Thread(
              () -> {
                sleep(12_000);
                writer.active.set(false);
              });
      pause.start();
      ok(f.cli("--until-idle"));
      pause.join();
      int duringCapture = writer.transactions.get();
      writer.active.set(true);
      CliRun first = ok(refresh());
      assertThat(first.out()).contains("from captured changes");
      writer.stop.set(true);
      thread.join(30_000);
      assertThat(writer.failure.get()).isNull();
      // The writer really wrote during each step.
      assertThat(duringBatch).isPositive();
      assertThat(duringCapture).isGreaterThan(duringBatch);
      assertThat(writer.transactions.get()).isGreaterThan(duringCapture);
    } finally {
      writer.stop.set(true);
      thread.join(30_000);
    }
    ok(f.cli("--until-idle"));
    ok(refresh());
    assertThat(f.lake.exists(TestSpark.spark(), ChangeApply.STATE)).isTrue();
    LakeVsSource.assertEqual(f, db);
    assertThat(f.changes())
        .extracting(r -> (String) r.getAs("change_id"))
        .as("each change once in Bronze")
        .doesNotHaveDuplicates();
  }

  @Test
  @Order(2)
  void scriptedChangesReachSilverAndGoldExactly() throws Exception {
    Row alfki = current("ALFKI");
    f.sql(
        "BEGIN; INSERT INTO orders (order_id, customer_id, employee_id, order_date, required_date,"
            + " ship_via, freight, ship_country) VALUES (11078, 'ALFKI', 1, '1998-05-07', '1998-06-04',"
            + " 1, 12.5, 'Germany'); INSERT INTO order_details VALUES (11078, 1, 18, 5, 0),"
            + " (11078, 2, 19, 3, 0.05); COMMIT",
        "UPDATE orders SET shipped_date = '1998-05-08', freight = 9.99 WHERE order_id = 11077",
        "UPDATE order_details SET quantity = 20, discount = 0.1 WHERE order_id = 10248 AND product_id = 11",
        "UPDATE products SET unit_price = 19.5 WHERE product_id = 1",
        "UPDATE customers SET address = 'Neue Str. 1' WHERE customer_id = 'ALFKI'",
        // A version's valid_from is its commit time, in milliseconds as Debezium reports it: two
        // commits within one millisecond are one version (the later), so they are kept apart.
        "SELECT pg_sleep(0.05)",
        "UPDATE customers SET address = 'Neue Str. 2', city = 'Hamburg' WHERE customer_id = 'ALFKI'",
        "UPDATE customers SET fax = '030-0076545' WHERE customer_id = 'ALFKI'",
        "DELETE FROM order_details WHERE order_id = 10248 AND product_id = 42",
        "BEGIN; DELETE FROM order_details WHERE order_id = 10249;"
            + " DELETE FROM orders WHERE order_id = 10249; COMMIT",
        "DELETE FROM customers WHERE customer_id = 'FISSA'",
        "UPDATE orders SET freight = 40 WHERE order_id = 11078");
    ok(f.cli("--until-idle"));
    ok(refresh());
    LakeVsSource.assertEqual(f, db);

    // dim_customer: the batch version, then one version per address change (the fax is not
    // tracked), valid_from = the change's commit time; FISSA closed by its delete.
    List<Timestamp> alfkiChanges = commitTimes("u", "{\"customer_id\":\"ALFKI\"}");
    assertThat(alfkiChanges).hasSize(3);
    List<Row> versions =
        read(SilverJob.DIM_CUSTOMER)
            .where("customer_id = 'ALFKI'")
            .orderBy("valid_from")
            .collectAsList();
    assertThat(versions)
        .extracting(r -> r.getAs("address") + " " + r.getAs("city") + " " + r.getAs("is_current"))
        .containsExactly(
            "Obere Str. 57 Berlin false", "Neue Str. 1 Berlin false", "Neue Str. 2 Hamburg true");
    assertThat(versions.get(0).<Long>getAs("customer_sk"))
        .as("the batch version keeps its key")
        .isEqualTo(alfki.<Long>getAs("customer_sk"));
    assertThat(versions.get(0).<Timestamp>getAs("valid_from"))
        .isEqualTo(alfki.<Timestamp>getAs("valid_from"));
    assertThat(versions.get(0).<Timestamp>getAs("valid_to")).isEqualTo(alfkiChanges.get(0));
    assertThat(versions.get(1).<Timestamp>getAs("valid_from")).isEqualTo(alfkiChanges.get(0));
    assertThat(versions.get(1).<Timestamp>getAs("valid_to")).isEqualTo(alfkiChanges.get(1));
    assertThat(versions.get(2).<Timestamp>getAs("valid_from")).isEqualTo(alfkiChanges.get(1));
    assertThat((Object) versions.get(2).getAs("valid_to")).isNull();
    List<Row> fissa = read(SilverJob.DIM_CUSTOMER).where("customer_id = 'FISSA'").collectAsList();
    assertThat(fissa).hasSize(1);
    assertThat(fissa.get(0).<Boolean>getAs("is_current")).isFalse();
    assertThat(fissa.get(0).<Timestamp>getAs("valid_to"))
        .isEqualTo(commitTimes("d", "{\"customer_id\":\"FISSA\"}").get(0));
  }

  @Test
  @Order(3)
  void changesOfOrdersAloneRedoOnlyTheirOrdersExactly() throws Exception {
    f.sql(
        "BEGIN; INSERT INTO orders (order_id, customer_id, employee_id, order_date, required_date,"
            + " ship_via, freight, ship_country) VALUES (11079, 'ANATR', 2, '1998-05-08', '1998-06-05',"
            + " 2, 7.25, 'Mexico'); INSERT INTO order_details VALUES (11079, 3, 10, 4, 0),"
            + " (11079, 4, 22, 1, 0.2); COMMIT",
        "UPDATE orders SET shipped_date = '1998-05-09' WHERE order_id = 11078",
        "UPDATE order_details SET unit_price = 14.45, discount = 0.05 WHERE order_id = 10250 AND product_id = 41",
        "DELETE FROM order_details WHERE order_id = 10251 AND product_id = 22",
        "BEGIN; DELETE FROM order_details WHERE order_id = 10252;"
            + " DELETE FROM orders WHERE order_id = 10252; COMMIT");
    ok(f.cli("--until-idle"));
    CliRun run = ok(refresh());
    assertThat(run.out()).contains("(the orders they touched)");
    LakeVsSource.assertEqual(f, db);
  }

  @Test
  @Order(4)
  void aRunWithNothingCapturedRewritesNothing() throws Exception {
    Map<TableId, Long> before = versions();
    ok(f.cli("--until-idle"));
    // Forced: with bronze.cdc_changes unchanged the runner would skip Silver altogether.
    ok(f.lakehouse("run", "--select", "silver.*", "--full-refresh"));
    assertThat(versions()).isEqualTo(before);
    LakeVsSource.assertEqual(f, db);
  }

  // ------------------------------------------------------------------ helpers

  /** Silver and what depends on it: what `lakehouse run` does after a capture. */
  private CliRun refresh() {
    return f.lakehouse("run", "--select", "silver.*+");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static CliRun ok(CliRun run) {
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    // The timings, for docs/cdc.md's figures.
    run.out()
        .lines()
        .filter(
            l -> l.startsWith("silver: done") || l.startsWith("pipeline:") || l.startsWith("cdc: "))
        .forEach(l -> System.out.println("CdcApplyIT | " + l));
    return run;
  }

  private Dataset<Row> read(TableId t) {
    return f.lake.read(TestSpark.spark(), t);
  }

  private Dataset<Row> gold(String table) {
    return read(TableId.gold(table));
  }

  private Row current(String customerId) {
    return read(SilverJob.DIM_CUSTOMER)
        .where("is_current AND customer_id = '" + customerId + "'")
        .first();
  }

  /** Commit times of the captured changes of one row, oldest first. */
  private List<Timestamp> commitTimes(String op, String key) {
    return f.changes().stream()
        .filter(r -> op.equals(r.getAs("op")) && key.equals(r.getAs("key")))
        .map(r -> r.<Timestamp>getAs("commit_time"))
        .toList();
  }

  private Map<TableId, Long> versions() {
    Map<TableId, Long> out = new LinkedHashMap<>();
    for (TableId t :
        List.of(
            SilverJob.DIM_CUSTOMER,
            SilverJob.DIM_PRODUCT,
            SilverJob.DIM_EMPLOYEE,
            SilverJob.DIM_DATE,
            SilverJob.FACT_ORDER_LINE,
            SilverJob.FACT_ORDER,
            TableId.gold("revenue_by_country"))) {
      out.put(t, f.lake.version(TestSpark.spark(), t));
    }
    return out;
  }
}
