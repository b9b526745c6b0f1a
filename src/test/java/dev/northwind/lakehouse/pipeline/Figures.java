package dev.northwind.lakehouse.pipeline;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Figures the cross-layer tests read back from a lake (the jobs themselves run through {@link
 * dev.northwind.lakehouse.testing.Jobs}), and money compared the way the tests agree on: exact, or
 * to the cent.
 */
final class Figures {

  static final SparkSession SPARK = TestSpark.spark();

  /**
   * Silver tables whose content a re-run must leave alone (quality_results is an append-only log).
   */
  static final List<TableId> SILVER_MODEL =
      List.of(
          SilverJob.DIM_CUSTOMER,
          SilverJob.DIM_PRODUCT,
          SilverJob.DIM_EMPLOYEE,
          SilverJob.DIM_DATE,
          SilverJob.FACT_ORDER_LINE,
          SilverJob.FACT_ORDER);

  static final List<String> GOLD_TABLES =
      List.of(
          "kpi_summary",
          "revenue_by_country",
          "revenue_by_month",
          "revenue_cumulative_by_country",
          "revenue_by_category",
          "top_products",
          "employee_performance",
          "rfm_quartiles",
          "rfm_customer",
          "rfm_segment");

  private Figures() {}

  static Dataset<Row> read(Lake lake, TableId table) {
    return lake.read(SPARK, table);
  }

  static Dataset<Row> goldTable(Lake lake, String table) {
    return lake.read(SPARK, TableId.gold(table));
  }

  static long version(Lake lake, TableId table) {
    return lake.delta(SPARK, table).history(1).select("version").head().getLong(0);
  }

  static Map<String, Long> versions(Lake lake, List<TableId> tables) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (TableId t : tables) {
      out.put(t.qualified(), version(lake, t));
    }
    return out;
  }

  static Map<String, Long> goldVersions(Lake lake) {
    List<TableId> ids = new ArrayList<>();
    GOLD_TABLES.forEach(n -> ids.add(TableId.gold(n)));
    return versions(lake, ids);
  }

  /** The exact sum of a DECIMAL column (0 when empty). */
  static BigDecimal sum(Dataset<Row> ds, String column) {
    Row r = ds.agg(functions.sum(column)).first();
    return r.isNullAt(0) ? BigDecimal.ZERO : r.getDecimal(0);
  }

  /** The latest kpi_summary row. */
  static Row lastKpi(Lake lake) {
    return goldTable(lake, "kpi_summary")
        .orderBy(functions.col("computed_at").desc())
        .limit(1)
        .collectAsList()
        .get(0);
  }

  /** Rounded half up to the cent, for comparisons "exact to the cent". */
  static BigDecimal cents(BigDecimal v) {
    return v.setScale(2, RoundingMode.HALF_UP);
  }

  /**
   * The exact interpolated quantile (PostgreSQL percentile_cont semantics) of sorted values: pos =
   * p * (n - 1), v[floor] + (pos - floor) * (v[ceil] - v[floor]), in BigDecimal.
   */
  static BigDecimal quantile(List<BigDecimal> sorted, BigDecimal p) {
    BigDecimal pos = p.multiply(BigDecimal.valueOf(sorted.size() - 1L));
    int lo = pos.setScale(0, RoundingMode.FLOOR).intValueExact();
    int hi = pos.setScale(0, RoundingMode.CEILING).intValueExact();
    BigDecimal frac = pos.subtract(BigDecimal.valueOf(lo));
    return sorted.get(lo).add(frac.multiply(sorted.get(hi).subtract(sorted.get(lo))));
  }

  /** Rows of a small Gold table keyed by a string column. */
  static Map<String, Row> byKey(Dataset<Row> ds, String key) {
    Map<String, Row> out = new LinkedHashMap<>();
    for (Row r : ds.collectAsList()) {
      Object k = r.getAs(key);
      out.put(k == null ? null : k.toString(), r);
    }
    return out;
  }
}
