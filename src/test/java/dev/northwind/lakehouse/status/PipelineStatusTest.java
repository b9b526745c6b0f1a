package dev.northwind.lakehouse.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northwind.lakehouse.Json;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.GoldenLake;
import dev.northwind.lakehouse.testing.TestSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The pipeline's status over a copy of the golden lake after a pipeline run (every batch dataset
 * recorded), then after an input moved, and over an empty lake.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineStatusTest {

  private final SparkSession spark = TestSpark.spark();
  private Lake lake;
  private PipelineStatus status;

  @BeforeAll
  void copyTheRecordedLake() {
    // The golden lake was built by the jobs directly: its recorded run (a pipeline run of every
    // dataset, shared with PipelineRunnerTest) recorded every batch dataset.
    lake = GoldenLake.shared().recordedLakeCopy();
    status = new PipelineStatus(TestSpark.config(Path.of(lake.root())), lake, TestSpark::spark);
  }

  @Test
  @Order(1)
  void afterARunEveryBatchDatasetIsFreshWithItsVersionAndRows() throws Exception {
    PipelineReport r = status.read(PipelineStatus.Detail.FULL);

    Map<String, PipelineReport.DatasetState> byName =
        r.datasets().stream().collect(Collectors.toMap(d -> d.spec().name(), d -> d));
    for (PipelineReport.DatasetState d : r.datasets()) {
      String flow = d.spec().flow();
      if (d.state() == PipelineReport.State.VIEW) {
        continue;
      }
      if (flow.equals("bronze") || flow.equals("silver") || flow.equals("gold")) {
        assertThat(d.state()).as(d.spec().name()).isEqualTo(PipelineReport.State.FRESH);
        TableId t = d.spec().table().orElseThrow();
        assertThat(d.version()).as(d.spec().name()).isEqualTo(lake.version(spark, t));
        assertThat(d.last()).as(d.spec().name()).isPresent();
        if (d.version() < 0) {
          // Refreshed, with nothing to store (no row was quarantined): no table, no rows.
          assertThat(d.rows()).as(d.spec().name()).isNull();
        } else {
          assertThat(d.rows()).as(d.spec().name()).isEqualTo(lake.read(spark, t).count());
        }
      }
    }
    // The golden lake never streamed: the stream's datasets are idle, not a problem.
    assertThat(byName.get("bronze.order_events").state()).isEqualTo(PipelineReport.State.IDLE);
    assertThat(r.stream()).isEmpty();
    assertThat(r.cdc()).isEmpty();
    assertThat(r.problems()).isEmpty();
    assertThat(r.healthy()).isTrue();

    // The schema of a Silver table, as Spark reads it.
    assertThat(byName.get("silver.fact_order").schema())
        .extracting(f -> f.get("name"))
        .containsExactly(
            (Object[]) lake.read(spark, TableId.silver("fact_order")).schema().fieldNames());

    // The last run of each command, with its duration.
    Map<String, PipelineReport.Run> last =
        r.lastRuns().stream().collect(Collectors.toMap(PipelineReport.Run::command, x -> x));
    assertThat(last).containsKeys("bronze", "silver", "gold");
    lake.read(spark, TableId.bronze("_runs")).createOrReplaceTempView("runs_status_test");
    Row bronze =
        spark
            .sql(
                "select run_id, (unix_micros(max(ended_at)) - unix_micros(min(started_at))) div"
                    + " 1000 as ms from runs_status_test group by run_id order by max(ended_at)"
                    + " desc limit 1")
            .first();
    assertThat(last.get("bronze").runId()).isEqualTo(bronze.getString(0));
    assertThat(last.get("bronze").millis()).contains(bronze.getLong(1));
    assertThat(last.get("bronze").outcome()).isEqualTo(PipelineReport.Outcome.SUCCEEDED);
    assertThat(last.get("gold").millis()).hasValueSatisfying(ms -> assertThat(ms).isPositive());

    // Expectations of the last Silver run, as recorded in silver.quality_results.
    lake.read(spark, TableId.silver("quality_results")).createOrReplaceTempView("qr_status_test");
    List<Row> lastRun =
        spark
            .sql(
                "select table_name, expectation, rows_failed from qr_status_test where run_id ="
                    + " (select max_by(run_id, checked_at) from qr_status_test) order by 1, 2")
            .collectAsList();
    assertThat(r.lastChecks()).hasSize(lastRun.size()).isNotEmpty();
    assertThat(r.lastChecks().stream().mapToLong(PipelineReport.Check::rowsFailed).sum())
        .isEqualTo(lastRun.stream().mapToLong(x -> x.getLong(2)).sum());

    // A sample for docs/pipeline.md.
    java.nio.file.Files.writeString(Path.of("target", "status-sample.txt"), r.text());
    assertThat(r.text())
        .contains("all fresh and green", "silver.fact_order", "LAST RUNS", "STREAM  never ran");
  }

  @Test
  @Order(2)
  void aSecondReadOfAnUnchangedLakeRunsNoSparkJob() {
    status.read(PipelineStatus.Detail.FULL);
    AtomicInteger jobs = new AtomicInteger();
    SparkListener l =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart jobStart) {
            jobs.incrementAndGet();
          }
        };
    spark.sparkContext().addSparkListener(l);
    try {
      status.read(PipelineStatus.Detail.FULL);
    } finally {
      spark.sparkContext().removeSparkListener(l);
    }
    assertThat(jobs.get()).isZero();
  }

  @Test
  @Order(3)
  void anInputThatMovedMakesItsReadersStaleAndTheCommandExitOne() throws Exception {
    String factOrder = lake.location(TableId.silver("fact_order"));
    long before = lake.version(spark, TableId.silver("fact_order"));
    spark.sql("ALTER TABLE delta.`" + factOrder + "` SET TBLPROPERTIES ('status.test' = 'moved')");

    PipelineReport r = status.read(PipelineStatus.Detail.SUMMARY);

    PipelineReport.DatasetState kpi =
        r.datasets().stream()
            .filter(d -> d.spec().name().equals("gold.kpi_summary"))
            .findFirst()
            .orElseThrow();
    assertThat(kpi.state()).isEqualTo(PipelineReport.State.STALE);
    assertThat(kpi.stale()).contains("silver.fact_order v" + before + "→v" + (before + 1));
    assertThat(r.healthy()).isFalse();
    assertThat(r.problems()).anyMatch(p -> p.startsWith("gold.kpi_summary is stale"));

    CliRun text = CliRun.of("status", "--lake", Path.of(lake.root()).toString());
    assertThat(text.code()).as(text.err()).isEqualTo(1);
    assertThat(text.out()).contains("gold.kpi_summary", "stale", "PROBLEMS");

    CliRun json =
        CliRun.of("status", "--format", "json", "--lake", Path.of(lake.root()).toString());
    assertThat(json.code()).as(json.err()).isEqualTo(1);
    JsonNode doc = Json.tree(json.out());
    assertThat(doc.get("state").asText()).isEqualTo("attention");
    assertThat(doc.get("healthy").asBoolean()).isFalse();
    JsonNode kpiNode = null;
    for (JsonNode d : doc.get("datasets")) {
      if (d.get("name").asText().equals("gold.kpi_summary")) {
        kpiNode = d;
      }
    }
    assertThat(kpiNode).isNotNull();
    assertThat(kpiNode.get("state").asText()).isEqualTo("stale");
    assertThat(kpiNode.get("last_refresh").get("consumed").get("silver.fact_order").asLong())
        .isEqualTo(before);
  }

  @Test
  void anEmptyLakeSaysNothingYetWithoutStartingSpark() {
    Lake empty = TestSpark.newLake();
    PipelineStatus s =
        new PipelineStatus(
            TestSpark.config(Path.of(empty.root())),
            empty,
            () -> {
              throw new AssertionError("an empty lake needs no Spark");
            });

    PipelineReport r = s.read(PipelineStatus.Detail.FULL);

    assertThat(r.empty()).isTrue();
    assertThat(r.healthy()).isFalse();
    assertThat(r.text()).contains("nothing yet", PipelineReport.NOTHING_YET);
    assertThat(r.document()).containsEntry("state", "empty");

    CliRun run = CliRun.of("status", "--lake", Path.of(empty.root()).toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).contains("Nothing yet");
    CliRun bad =
        CliRun.of("status", "--format", "yaml", "--lake", Path.of(empty.root()).toString());
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("--format yaml is not a status format").doesNotContain("\tat ");
  }
}
