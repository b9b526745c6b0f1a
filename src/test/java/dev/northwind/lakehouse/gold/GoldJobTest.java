package dev.northwind.lakehouse.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.northwind.lakehouse.LakehouseException;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.CommitUnits;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.testing.HeldOpen;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The job end to end over Delta: write, skip when Silver is unchanged, recompute when it grows. */
class GoldJobTest {

  private final SparkSession spark = TestSpark.spark();

  private Map<String, Long> goldVersions(Lake lake) {
    Map<String, Long> v = new LinkedHashMap<>();
    for (String name : GoldTables.NAMES) {
      v.put(
          name,
          lake.delta(spark, TableId.gold(name)).history(1).select("version").head().getLong(0));
    }
    return v;
  }

  private Row lastKpi(Lake lake) {
    return lake.read(spark, TableId.gold("kpi_summary"))
        .orderBy(org.apache.spark.sql.functions.col("computed_at").desc())
        .limit(1)
        .collectAsList()
        .get(0);
  }

  @Test
  void writesSkipsWhenUpToDateAndRecomputesWhenSilverGrows() {
    Lake lake = TestSpark.newLake();
    SampleSilver.writeSilver(spark, lake, SampleSilver.ORDERS);
    List<String> lines = new ArrayList<>();
    Progress progress = lines::add;

    GoldReport first = GoldJob.run(spark, lake, "run-1", progress);
    assertThat(first.outcome()).isEqualTo(GoldReport.Outcome.WRITTEN);
    assertThat(first.silverVersion())
        .isEqualTo("fact_order_line@0,fact_order@0,dim_customer@0,dim_product@0,dim_employee@0");
    assertThat(first.tables())
        .extracting(t -> t.table().name())
        .containsExactlyElementsOf(GoldTables.NAMES);
    assertThat(first.rows("revenue_by_country")).isEqualTo(4);
    assertThat(first.rows("rfm_customer")).isEqualTo(6);
    assertThat(first.rows("rfm_segment")).isEqualTo(4);
    assertThat(first.rows("kpi_summary")).isEqualTo(1);
    assertThat(lines).anyMatch(l -> l.contains("gold.revenue_by_country") && l.contains("4 rows"));
    for (String name : List.of("rfm_customer", "revenue_cumulative_by_country")) {
      assertThat(lake.read(spark, TableId.gold(name)).count()).as(name).isEqualTo(first.rows(name));
    }
    Row kpi1 = lastKpi(lake);
    assertThat(kpi1.<BigDecimal>getAs("net_revenue")).isEqualByComparingTo("2053");
    assertThat(kpi1.<String>getAs("silver_version")).isEqualTo(first.silverVersion());
    Map<String, Long> versions1 = goldVersions(lake);

    // Unchanged Silver: nothing is written, no Gold table gets a new Delta version.
    lines.clear();
    GoldReport second = GoldJob.run(spark, lake, "run-2", progress);
    assertThat(second.outcome()).isEqualTo(GoldReport.Outcome.UP_TO_DATE);
    assertThat(second.tables()).isEmpty();
    assertThat(lines).anyMatch(l -> l.contains("Gold is up to date"));
    assertThat(goldVersions(lake)).isEqualTo(versions1);

    // One more order in Silver: net revenue grows by exactly its amount (19 * 3 * 0.8 = 45.6).
    SampleSilver.appendOrder(spark, lake, SampleSilver.LATE_ORDER);
    lines.clear();
    GoldReport third = GoldJob.run(spark, lake, "run-3", progress);
    assertThat(third.outcome()).isEqualTo(GoldReport.Outcome.WRITTEN);
    assertThat(third.silverVersion()).startsWith("fact_order_line@1,fact_order@1,");
    Row kpi3 = lastKpi(lake);
    assertThat(kpi3.<String>getAs("run_id")).isEqualTo("run-3");
    assertThat(kpi3.<BigDecimal>getAs("net_revenue").subtract(kpi1.getAs("net_revenue")))
        .isEqualByComparingTo(SampleSilver.LATE_ORDER.net())
        .isEqualByComparingTo("45.6");
    assertThat(kpi3.<Long>getAs("orders")).isEqualTo(10L);
    assertThat(kpi3.<Long>getAs("customers_without_orders")).isZero();
    // 10 baskets, even count: 45.6, 55, 93, 144, [190, 225], 266, 285, 285, 510 -> (190 + 225) / 2
    assertThat(kpi3.<BigDecimal>getAs("median_basket")).isEqualByComparingTo("207.5");
    assertThat(kpi3.<BigDecimal>getAs("avg_basket")).isEqualByComparingTo("209.86");
    assertThat(lake.read(spark, TableId.gold("kpi_summary")).count()).isEqualTo(2);
    assertThat(lake.read(spark, TableId.gold("rfm_customer")).count()).isEqualTo(7);
    Map<String, Long> versions3 = goldVersions(lake);
    for (String name : GoldTables.NAMES) {
      assertThat(versions3.get(name)).as(name).isEqualTo(versions1.get(name) + 1);
    }
    // Silver only gained an order: the additive tables added its sums to theirs, the others were
    // recomputed, and all of them are what a recompute gives.
    assertThat(addedUp(lines)).containsExactlyInAnyOrderElementsOf(GoldDatasets.ADDITIVE.keySet());
    assertThat(FullRecompute.tablesThatDiffer(spark, lake)).isEmpty();

    // A line changed in place (its file rewritten, not appended): no table may add up; all are
    // recomputed (the recompute is the path of the first run above).
    lake.delta(spark, TableId.silver("fact_order_line"))
        .updateExpr(
            "order_id = 10 AND product_id = 2",
            Map.of("quantity", "5", "net_amount", "CAST(76 AS DECIMAL(20,8))"));
    Map<String, Long> changed = GoldJob.silverVersions(spark, lake);
    assertThat(
            AdditiveRefresh.sums(
                spark,
                lake,
                changed,
                name -> GoldJob.readAt(spark, lake, name, changed),
                GoldDatasets.additive()))
        .isEmpty();
  }

  @Test
  void silversVersionsAreListedBetweenUnitsOfCommits() throws Exception {
    Lake lake = TestSpark.newLake();
    SampleSilver.writeSilver(spark, lake, SampleSilver.ORDERS);
    HeldOpen unit = HeldOpen.start(CommitUnits::together, () -> {}, () -> {});
    CompletableFuture<Map<String, Long>> listed =
        CompletableFuture.supplyAsync(() -> GoldJob.silverVersions(spark, lake));
    // A Silver write of both facts is in progress: Gold waits for it rather than list half of it.
    assertThatThrownBy(() -> listed.get(300, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    unit.finish();
    assertThat(listed.get(60, TimeUnit.SECONDS))
        .containsEntry("fact_order", 0L)
        .containsEntry("fact_order_line", 0L);
  }

  /** The tables whose progress line says they took the new orders' sums. */
  private static List<String> addedUp(List<String> lines) {
    return lines.stream()
        .filter(l -> l.contains("(new orders added)"))
        .map(l -> l.replaceAll(".*gold\\.(\\w+).*", "$1"))
        .toList();
  }

  @Test
  void missingSilverIsAUsageError() {
    Lake lake = TestSpark.newLake();
    assertThatThrownBy(() -> GoldJob.run(spark, lake, "run-x", Progress.NONE))
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining("silver.fact_order_line");
  }
}
