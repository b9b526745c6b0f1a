package dev.northwind.lakehouse.gold;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** The oracle of every refresh of Gold: what {@link GoldJob#compute} gives from today's Silver. */
public final class FullRecompute {

  private FullRecompute() {}

  /**
   * The Gold tables of the lake that differ, row for row, from a recompute over its current Silver
   * (kpi_summary: its latest row, without the run's own columns).
   */
  public static List<String> tablesThatDiffer(SparkSession spark, Lake lake) {
    try (GoldTables expected =
        GoldJob.compute(
            spark,
            GoldJob.Inputs.of(name -> lake.read(spark, TableId.silver(name))),
            "expected",
            "")) {
      List<String> differ = new ArrayList<>();
      for (Map.Entry<String, Dataset<Row>> e : expected.byName().entrySet()) {
        Dataset<Row> want = e.getValue();
        Dataset<Row> got = lake.read(spark, TableId.gold(e.getKey()));
        if (e.getKey().equals("kpi_summary")) {
          got = got.orderBy(functions.col("computed_at").desc()).limit(1);
          want = want.drop("run_id", "computed_at", "silver_version");
          got = got.drop("run_id", "computed_at", "silver_version");
        }
        String[] columns = want.columns();
        got = got.select(columns[0], Arrays.copyOfRange(columns, 1, columns.length));
        // Gold tables are small: compared as multisets on the driver, one Spark job a side.
        if (!counts(got).equals(counts(want))) {
          differ.add(e.getKey());
        }
      }
      return differ;
    }
  }

  private static Map<Row, Long> counts(Dataset<Row> rows) {
    return rows.collectAsList().stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }
}
