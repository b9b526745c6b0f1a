package dev.northwind.lakehouse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.gold.FullRecompute;
import dev.northwind.lakehouse.gold.PostgresOracle;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.testing.GoldenLake;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The runner over a copy of the golden lake after its recorded run, and a copy of its source: what
 * is up to date is skipped with no new version, a change in the source travels through exactly the
 * stale datasets, and the result equals a full recompute and the PostgreSQL oracle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineRunnerTest {

  private final SparkSession spark = TestSpark.spark();
  private GoldenLake golden;
  private String url;
  private Lake lake;
  private PipelineRunner runner;

  @BeforeAll
  void copyTheGoldenLake() {
    golden = GoldenLake.shared();
    url = golden.sourceCopy(PipelineRunnerTest.class);
    lake = golden.recordedLakeCopy();
    runner =
        PipelineRunner.northwind(
            TestSpark.config(Path.of(lake.root())),
            TestSpark::spark,
            lake,
            () -> new JdbcSource(url, TestPostgres.user(), "postgres"),
            Progress.NONE);
  }

  @Test
  @Order(1)
  void aSecondRunOverAnUnchangedSourceWritesNothing() {
    // The golden lake was built by the jobs directly, so nothing was recorded: its recorded run
    // (shared with PipelineStatusTest, the same call as run("*")) recorded every dataset.
    RunReport first = golden.recordedRun();
    assertThat(first.count(RunReport.Outcome.WRITTEN) + first.count(RunReport.Outcome.UNCHANGED))
        .isPositive();
    Map<String, Long> before = versions();

    RunReport again = run("*");

    Map<String, Long> after = versions();
    // bronze._runs is Bronze's run log: it gains a row per run by design.
    after.remove("bronze._runs");
    before.remove("bronze._runs");
    assertThat(after).as("no table has a new version").isEqualTo(before);
    for (RunReport.Entry e : again.datasets()) {
      if (e.dataset().startsWith("silver.") || e.dataset().startsWith("gold.")) {
        assertThat(e.outcome()).as(e.dataset()).isEqualTo(RunReport.Outcome.UP_TO_DATE);
      }
    }
    assertThat(again.datasets())
        .filteredOn(
            e ->
                e.dataset().startsWith("bronze.")
                    && !e.dataset().startsWith("bronze._")
                    && !e.dataset().startsWith("bronze.order_events")
                    && !e.dataset().startsWith("bronze.cdc_"))
        .as("Bronze looked at the source and found every table unchanged")
        .allMatch(e -> e.outcome() == RunReport.Outcome.UNCHANGED);
  }

  @Test
  @Order(2)
  void aSourceChangeRefreshesWhatDependsOnItAndEqualsAFullRecompute() throws Exception {
    try (Connection c = TestPostgres.connect(url);
        Statement s = c.createStatement()) {
      // A new order, a copy of the first one with its lines, and a customer who moved country.
      s.execute(
          "CREATE TEMP TABLE o AS SELECT * FROM orders WHERE order_id = (SELECT min(order_id) FROM orders)");
      s.execute(
          "CREATE TEMP TABLE d AS SELECT * FROM order_details WHERE order_id = (SELECT order_id FROM o)");
      s.execute("UPDATE o SET order_id = order_id + 1000000");
      s.execute("UPDATE d SET order_id = order_id + 1000000");
      s.execute("INSERT INTO orders SELECT * FROM o");
      s.execute("INSERT INTO order_details SELECT * FROM d");
      s.execute(
          "UPDATE customers SET country = 'Iceland', city = 'Reykjavik' WHERE customer_id = "
              + "(SELECT customer_id FROM orders ORDER BY order_id LIMIT 1)");
    }
    Map<String, Long> before = versions();

    RunReport report = run("*");

    Map<String, Long> after = versions();
    assertThat(after.get("bronze.customers")).isGreaterThan(before.get("bronze.customers"));
    assertThat(after.get("bronze.orders")).isGreaterThan(before.get("bronze.orders"));
    assertThat(after.get("bronze.products"))
        .as("unchanged snapshot")
        .isEqualTo(before.get("bronze.products"));
    assertThat(after.get("silver.dim_customer")).isGreaterThan(before.get("silver.dim_customer"));
    assertThat(after.get("silver.dim_employee"))
        .as("no employee changed")
        .isEqualTo(before.get("silver.dim_employee"));
    assertThat(report.datasets())
        .filteredOn(e -> e.dataset().equals("gold.revenue_by_country"))
        .allMatch(e -> e.outcome() == RunReport.Outcome.WRITTEN);
    assertGoldEqualsAFullRecompute();
    try (Connection c = TestPostgres.connect(url)) {
      Row kpi =
          lake.read(spark, TableId.gold("kpi_summary"))
              .orderBy(org.apache.spark.sql.functions.col("computed_at").desc())
              .first();
      assertThat(kpi.<BigDecimal>getAs("net_revenue"))
          .isEqualByComparingTo(PostgresOracle.netRevenue(c));
      assertThat(kpi.<Long>getAs("orders")).isEqualTo(PostgresOracle.orders(c));
    }
  }

  @Test
  @Order(3)
  void aSelectionRefreshesOnlyWhatItNames() {
    Map<String, Long> before = versions();

    RunReport report =
        runner.run(
            runner.graph().select("gold.revenue_by_country"),
            RefreshMode.FULL_REFRESH,
            f -> f + "-selected");

    Map<String, Long> after = versions();
    assertThat(report.datasets())
        .extracting(RunReport.Entry::dataset)
        .containsExactly("gold.revenue_by_country");
    before.forEach(
        (t, v) -> {
          if (t.equals("gold.revenue_by_country")) {
            assertThat(after.get(t)).as(t).isEqualTo(v + 1);
          } else {
            assertThat(after.get(t)).as(t).isEqualTo(v);
          }
        });
    assertThat(runner.status())
        .filteredOn(s -> s.spec().name().startsWith("gold."))
        .allMatch(s -> s.stale().isEmpty());
  }

  private RunReport run(String selector) {
    return runner.run(
        runner.graph().select(selector), RefreshMode.INCREMENTAL, f -> f + "-" + System.nanoTime());
  }

  private Map<String, Long> versions() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (DatasetSpec d : runner.graph().datasets()) {
      d.table().ifPresent(t -> out.put(d.name(), lake.version(spark, t)));
    }
    return out;
  }

  /** Every Gold table equals what GoldJob computes from the current Silver, row for row. */
  private void assertGoldEqualsAFullRecompute() {
    assertThat(FullRecompute.tablesThatDiffer(spark, lake))
        .as("Gold tables that differ from a full recompute")
        .isEmpty();
  }
}
