package dev.northwind.lakehouse.quality;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.lake.Schemas;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Applies {@link Expectations} to Datasets without writing anything, so a job can run every check
 * first and write at its edge only when no FAIL expectation failed (a failed run leaves Silver
 * unchanged).
 */
public final class Quality {

  /** Schema of {@code silver.quarantine}. */
  public static final StructType QUARANTINE_SCHEMA = Schemas.of(
      "expectation STRING, table_name STRING, row_json STRING, run_id STRING, quarantined_at TIMESTAMP");

  /** Schema of {@code silver.quality_results}. */
  public static final StructType RESULTS_SCHEMA = Schemas.of("run_id STRING, table_name STRING, expectation STRING, "
      + "action STRING, rows_checked BIGINT, rows_failed BIGINT, checked_at TIMESTAMP");

  private static final String INTERNAL = "__";

  private Quality() {}

  /**
   * Checks the candidate rows of a Silver table against its expectations. Runs ONE Spark
   * aggregation (the counts of every expectation in a single pass) and caches the flagged rows,
   * which {@link CheckedRows#good()} and {@link CheckedRows#quarantined()} derive from lazily.
   *
   * @param candidates rows with the columns the table's rules name
   * @param table a table of {@link Expectations}
   * @param runId stored with quarantined rows
   * @param at the run's timestamp, stored as {@code quarantined_at}
   */
  public static CheckedRows check(Dataset<Row> candidates, String table, String runId, Timestamp at) {
    List<Expectation> exps = Expectations.of(table);
    List<String> keys = Expectations.keys(table);
    String[] rowColumns = Arrays.stream(candidates.columns()).filter(c -> !c.startsWith(INTERNAL)).toArray(String[]::new);

    List<Column> select = new ArrayList<>();
    for (String c : candidates.columns()) {
      select.add(col(c));
    }
    for (int i = 0; i < exps.size(); i++) {
      select.add(coalesce(expr(exps.get(i).rule()), lit(false)).as(ok(i)));
    }
    Column keyJson = to_json(struct(keys.stream().map(k -> col(k)).toArray(Column[]::new)));
    select.add(keyJson.as(INTERNAL + "key"));
    Dataset<Row> flagged = candidates.select(select.toArray(Column[]::new));
    Column kept = lit(true);
    List<Column> dropNames = new ArrayList<>();
    for (int i = 0; i < exps.size(); i++) {
      if (exps.get(i).action() == Action.DROP) {
        kept = kept.and(col(ok(i)));
        dropNames.add(when(not(col(ok(i))), lit(exps.get(i).name())));
      }
    }
    flagged = flagged.withColumn(INTERNAL + "kept", kept).persist(StorageLevel.MEMORY_AND_DISK());

    // One pass for all counts: never one count() per rule.
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("n"));
    aggs.add(sum(when(col(INTERNAL + "kept"), 0).otherwise(1)).as("dropped"));
    for (int i = 0; i < exps.size(); i++) {
      aggs.add(sum(when(col(ok(i)), 0).otherwise(1)).as("f" + i));
      aggs.add(max(when(not(col(ok(i))), col(INTERNAL + "key"))).as("e" + i));
    }
    Row r = flagged.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    long n = r.getLong(0);
    long dropped = r.isNullAt(1) ? 0 : r.getLong(1);
    List<ExpectationResult> results = new ArrayList<>();
    for (int i = 0; i < exps.size(); i++) {
      long failed = r.isNullAt(2 + 2 * i) ? 0 : r.getLong(2 + 2 * i);
      results.add(new ExpectationResult(exps.get(i), n, failed, r.getString(3 + 2 * i)));
    }

    Dataset<Row> good = flagged.where(col(INTERNAL + "kept")).select(rowColumns(candidates.columns()));
    // Explicit nulls: a quarantined row must show the NULL that broke the rule.
    Column rowJson = to_json(struct(Arrays.stream(rowColumns).map(c -> col(c)).toArray(Column[]::new)),
        java.util.Map.of("ignoreNullFields", "false"));
    Dataset<Row> quarantined = dropNames.isEmpty()
        ? flagged.where(lit(false)).select(
            lit(null).cast(DataTypes.StringType).as("expectation"), lit(table).as("table_name"),
            rowJson.as("row_json"), lit(runId).as("run_id"), lit(at).as("quarantined_at"))
        : flagged.where(not(col(INTERNAL + "kept"))).select(
            explode(array_compact(array(dropNames.toArray(Column[]::new)))).as("expectation"),
            lit(table).as("table_name"), rowJson.as("row_json"), lit(runId).as("run_id"),
            lit(at).as("quarantined_at"));
    return new CheckedRows(table, good, quarantined, List.copyOf(results), dropped, flagged);
  }

  /** Throws for the first FAIL expectation that failed, if any. */
  public static void enforce(List<ExpectationResult> results) {
    for (ExpectationResult res : results) {
      if (res.stopsRun()) {
        throw LakehouseErrors.expectationFailed(res.expectation().name(), res.expectation().table(),
            res.rowsFailed(), res.exampleKey());
      }
    }
  }

  /** The results as rows of {@code silver.quality_results}. */
  public static Dataset<Row> resultsFrame(SparkSession spark, List<ExpectationResult> results, String runId, Timestamp at) {
    List<Row> rows = new ArrayList<>();
    for (ExpectationResult res : results) {
      rows.add(RowFactory.create(runId, res.expectation().table(), res.expectation().name(),
          res.expectation().action().id(), res.rowsChecked(), res.rowsFailed(), at));
    }
    return spark.createDataFrame(rows, RESULTS_SCHEMA);
  }

  /** Short progress lines: one per expectation that failed at least once, then a total. */
  public static List<String> summary(List<ExpectationResult> results) {
    List<String> lines = new ArrayList<>();
    long failing = 0;
    for (ExpectationResult res : results) {
      if (res.rowsFailed() > 0) {
        failing++;
        lines.add("  quality: " + res.summary());
      }
    }
    lines.add("  quality: " + results.size() + " expectations checked, " + failing + " with failing rows");
    return lines;
  }

  private static String ok(int i) {
    return INTERNAL + "ok" + i;
  }

  private static Column[] rowColumns(String[] columns) {
    return Arrays.stream(columns).filter(c -> !c.startsWith(INTERNAL)).map(c -> col(c)).toArray(Column[]::new);
  }
}
