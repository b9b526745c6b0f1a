package dev.northwind.lakehouse.gold;

import static org.apache.spark.sql.functions.col;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Gold at a glance: the latest KPI summary and the RFM segments, both a handful of rows.
 *
 * @param kpi the latest row of {@code gold.kpi_summary} (see {@link #latestKpi})
 * @param segments {@code gold.rfm_segment}, in {@code sort_order}
 */
public record GoldSummary(Row kpi, List<Row> segments) {

  public static final TableId KPI_SUMMARY = TableId.gold("kpi_summary");
  public static final TableId RFM_SEGMENT = TableId.gold("rfm_segment");

  public GoldSummary {
    segments = List.copyOf(segments);
  }

  /** The summary, or empty while Gold has not been written. */
  public static Optional<GoldSummary> read(SparkSession spark, Lake lake) {
    if (!lake.exists(spark, KPI_SUMMARY) || !lake.exists(spark, RFM_SEGMENT)) {
      return Optional.empty();
    }
    Row kpi = latestKpi(lake.read(spark, KPI_SUMMARY)).first();
    return Optional.of(
        new GoldSummary(kpi, lake.read(spark, RFM_SEGMENT).orderBy("sort_order").collectAsList()));
  }

  /** kpi_summary has one row per Gold run: the latest computation is the current state. */
  public static Dataset<Row> latestKpi(Dataset<Row> kpiSummary) {
    return kpiSummary.orderBy(col("computed_at").desc_nulls_last(), col("run_id").desc()).limit(1);
  }
}
