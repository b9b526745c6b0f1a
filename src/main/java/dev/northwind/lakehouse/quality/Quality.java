package dev.northwind.lakehouse.quality;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
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
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
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
  public static final StructType QUARANTINE_SCHEMA =
      Schemas.of(
          "expectation STRING, table_name STRING, row_json STRING, run_id STRING, quarantined_at TIMESTAMP");

  /** Schema of {@code silver.quality_results}. */
  public static final StructType RESULTS_SCHEMA =
      Schemas.of(
          "run_id STRING, table_name STRING, expectation STRING, "
              + "action STRING, rows_checked BIGINT, rows_failed BIGINT, checked_at TIMESTAMP");

  private static final String INTERNAL = "__";

  /** A row passed its own DROP expectations. */
  private static final String ROW_KEPT = "__row_kept";

  /** The row's unit (its order) passed: every row of it passed its own DROP expectations. */
  private static final String UNIT_OK = "__unit_ok";

  /** The DROP expectations failed by any row of the row's order, sorted. */
  private static final String UNIT_FAILED = "__unit_failed";

  /** The row is the first of its unit (its order) by key. */
  private static final String UNIT_FIRST = "__unit_first";

  /** The row reaches Silver. */
  private static final String KEPT = "__kept";

  private Quality() {}

  /**
   * Checks the candidate rows of a Silver table against its expectations. Runs ONE Spark
   * aggregation (the counts of every expectation in a single pass) and caches the flagged rows,
   * which {@link CheckedRows#good()} and {@link CheckedRows#quarantined()} derive from lazily.
   *
   * <p>For {@code fact_order_line}, the same pass applies {@link Expectations#LINE_ORDER_VALID}: a
   * line whose own DROP expectations pass is still quarantined when another line of its order fails
   * one, with the reason {@code order <id> quarantined: line failed <expectations>}.
   *
   * @param candidates rows with the columns the table's rules name
   * @param table a table of {@link Expectations}
   * @param runId stored with quarantined rows
   * @param at the run's timestamp, stored as {@code quarantined_at}
   */
  public static CheckedRows check(
      Dataset<Row> candidates, String table, String runId, Timestamp at) {
    List<Expectation> exps = Expectations.of(table);
    Optional<Expectation> unit = Expectations.unitRule(table);
    List<String> keys = Expectations.keys(table);

    List<Column> select = new ArrayList<>();
    for (String c : candidates.columns()) {
      select.add(col(c));
    }
    for (int i = 0; i < exps.size(); i++) {
      select.add(coalesce(expr(exps.get(i).rule()), lit(false)).as(ok(i)));
    }
    // The example key of a failure, computed in the counting pass for failing rows only: as a
    // column of every row it was a JSON document per candidate row, built and cached for nothing.
    Column keyJson = to_json(struct(keys.stream().map(k -> col(k)).toArray(Column[]::new)));
    Dataset<Row> flagged = candidates.select(select.toArray(Column[]::new));
    Column rowKept = dropRules(exps).stream().map(i -> col(ok(i))).reduce(lit(true), Column::and);
    List<Column> dropNames = dropNames(exps);
    flagged = flagged.withColumn(ROW_KEPT, rowKept);
    Column kept = col(ROW_KEPT);
    if (unit.isPresent()) {
      // The order's verdict in a window per order, and a mark on one line of each order (the
      // window's sort by key serves both), so the pass counts kept orders without a distinct
      // count, which shuffled every line. The expectations an order's lines failed are gathered
      // from the failing lines alone, when a quarantine needs them (unitFailures).
      flagged =
          flagged
              .withColumn(UNIT_OK, coalesce(expr(unit.get().rule()), lit(false)))
              .withColumn(
                  UNIT_FIRST,
                  row_number()
                      .over(
                          Window.partitionBy(col(Expectations.ORDER_KEY))
                              .orderBy(keys.stream().map(k -> col(k)).toArray(Column[]::new)))
                      .equalTo(1));
      kept = kept.and(col(UNIT_OK));
    }
    flagged = flagged.withColumn(KEPT, kept).persist(StorageLevel.MEMORY_AND_DISK());

    // One pass for all counts: never one count() per rule.
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("n"));
    aggs.add(sum(when(col(KEPT), 0).otherwise(1)).as("dropped"));
    for (int i = 0; i < exps.size(); i++) {
      aggs.add(sum(when(col(ok(i)), 0).otherwise(1)).as("f" + i));
      aggs.add(max(when(not(col(ok(i))), keyJson)).as("e" + i));
    }
    Column innocent = col(ROW_KEPT).and(not(col(KEPT)));
    if (unit.isPresent()) {
      aggs.add(sum(when(innocent, 1).otherwise(0)).as("fu"));
      aggs.add(max(when(innocent, keyJson)).as("eu"));
      // KEPT is the same on every line of an order (UNIT_OK is), so one line per order counts it.
      aggs.add(
          count(
                  when(
                      col(KEPT).and(col(UNIT_FIRST)).and(col(Expectations.ORDER_KEY).isNotNull()),
                      1))
              .as("ku"));
    }
    Row r = flagged.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    long n = r.getLong(0);
    long dropped = r.isNullAt(1) ? 0 : r.getLong(1);
    List<ExpectationResult> results = new ArrayList<>();
    for (int i = 0; i < exps.size(); i++) {
      results.add(
          new ExpectationResult(exps.get(i), n, longAt(r, 2 + 2 * i), r.getString(3 + 2 * i)));
    }
    long keptOrders = 0;
    if (unit.isPresent()) {
      int u = 2 + 2 * exps.size();
      results.add(new ExpectationResult(unit.get(), n, longAt(r, u), r.getString(u + 1)));
      keptOrders = longAt(r, u + 2);
    }

    Dataset<Row> good = flagged.where(col(KEPT)).select(rowColumns(candidates.columns()));
    Column rowJson = rowJson(candidates.columns());
    Dataset<Row> quarantined =
        dropNames.isEmpty()
            ? flagged
                .where(lit(false))
                .select(
                    lit(null).cast(DataTypes.StringType).as("expectation"),
                    lit(table).as("table_name"),
                    rowJson.as("row_json"),
                    lit(runId).as("run_id"),
                    lit(at).as("quarantined_at"))
            : flagged
                .where(not(col(ROW_KEPT)))
                .select(
                    explode(array_compact(array(dropNames.toArray(Column[]::new))))
                        .as("expectation"),
                    lit(table).as("table_name"),
                    rowJson.as("row_json"),
                    lit(runId).as("run_id"),
                    lit(at).as("quarantined_at"));
    if (unit.isPresent()) {
      Dataset<Row> failures = unitFailures(flagged, exps);
      quarantined =
          quarantined.unionByName(
              flagged
                  .where(innocent)
                  .join(
                      failures,
                      col(Expectations.ORDER_KEY)
                          .cast(DataTypes.IntegerType)
                          .equalTo(failures.col("__bid")),
                      "left")
                  .select(
                      orderReason(col(Expectations.ORDER_KEY), col(UNIT_FAILED)).as("expectation"),
                      lit(table).as("table_name"),
                      rowJson.as("row_json"),
                      lit(runId).as("run_id"),
                      lit(at).as("quarantined_at")));
    }
    return new CheckedRows(
        table, good, quarantined, List.copyOf(results), dropped, flagged, keptOrders);
  }

  /**
   * Applies {@link Expectations#ORDER_LINES_VALID}: an order that passed its own expectations is
   * kept only when its lines were kept (which {@link #check} of the lines decided for the whole
   * order), so Silver never holds an order with some or none of its lines. The other orders are
   * quarantined with the reason {@code order <id> quarantined: line failed <expectations>}, or
   * {@code ... : no lines} when it has none. Runs no Spark job: the count follows from the two
   * checks' passes, since every kept line's order is a kept order ({@code line_order_exists}).
   *
   * @param orders the {@code fact_order} check
   * @param lines the {@code fact_order_line} check, whose {@code __order_found} came from {@code
   *     orders.good()}
   * @return the orders' check with this rule applied: {@code good} and {@code quarantined} narrowed
   *     and extended, its result added; the same cached rows
   */
  public static CheckedRows wholeOrders(
      CheckedRows orders, CheckedRows lines, String runId, Timestamp at) {
    String id = Expectations.ORDER_KEY;
    Dataset<Row> keptLines =
        lines.cached().where(col(KEPT)).select(col(id).cast(DataTypes.IntegerType).as("__lid"));
    Dataset<Row> good =
        orders
            .good()
            .join(
                keptLines,
                orders.good().col(id).cast(DataTypes.IntegerType).equalTo(keptLines.col("__lid")),
                "left_semi");

    // The expectations failed by each broken order's lines (the same list on all its lines).
    Dataset<Row> broken =
        unitFailures(lines.cached(), Expectations.of(lines.table()))
            .withColumnRenamed(UNIT_FAILED, "__failed");
    Dataset<Row> ownKept = orders.cached().where(col(KEPT));
    Column orderId = ownKept.col(id).cast(DataTypes.IntegerType);
    Dataset<Row> incomplete =
        ownKept
            .join(keptLines, orderId.equalTo(keptLines.col("__lid")), "left_anti")
            .join(broken, orderId.equalTo(broken.col("__bid")), "left");
    Column reason =
        when(
                col("__failed").isNull(),
                concat(
                    lit("order "),
                    orderId.cast(DataTypes.StringType),
                    lit(" quarantined: no lines")))
            .otherwise(orderReason(orderId, col("__failed")));
    Dataset<Row> quarantined =
        orders
            .quarantined()
            .unionByName(
                incomplete.select(
                    reason.as("expectation"),
                    lit(orders.table()).as("table_name"),
                    rowJson(ownKept.columns()).as("row_json"),
                    lit(runId).as("run_id"),
                    lit(at).as("quarantined_at")));

    long checked = orders.results().isEmpty() ? 0 : orders.results().get(0).rowsChecked();
    long failed = checked - orders.droppedRows() - lines.keptOrders();
    List<ExpectationResult> results = new ArrayList<>(orders.results());
    // No example key: it would take a pass over the orders just for the progress line.
    results.add(new ExpectationResult(Expectations.ORDER_LINES_VALID, checked, failed, null));
    return new CheckedRows(
        orders.table(),
        good,
        quarantined,
        List.copyOf(results),
        orders.droppedRows() + failed,
        orders.cached(),
        0);
  }

  /** Throws for the first FAIL expectation that failed, if any. */
  public static void enforce(List<ExpectationResult> results) {
    for (ExpectationResult res : results) {
      if (res.stopsRun()) {
        throw LakehouseErrors.expectationFailed(
            res.expectation().name(),
            res.expectation().table(),
            res.rowsFailed(),
            res.exampleKey());
      }
    }
  }

  /** The results as rows of {@code silver.quality_results}. */
  public static Dataset<Row> resultsFrame(
      SparkSession spark, List<ExpectationResult> results, String runId, Timestamp at) {
    List<Row> rows = new ArrayList<>();
    for (ExpectationResult res : results) {
      rows.add(
          RowFactory.create(
              runId,
              res.expectation().table(),
              res.expectation().name(),
              res.expectation().action().id(),
              res.rowsChecked(),
              res.rowsFailed(),
              at));
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
    lines.add(
        "  quality: "
            + results.size()
            + " expectations checked, "
            + failing
            + " with failing rows");
    return lines;
  }

  /**
   * Per expectation of {@code exps} that drops rows: its name where the row failed it, else null.
   */
  private static List<Column> dropNames(List<Expectation> exps) {
    return dropRules(exps).stream()
        .map(i -> when(not(col(ok(i))), lit(exps.get(i).name())))
        .toList();
  }

  /** The positions in {@code exps} of the expectations that drop rows. */
  private static List<Integer> dropRules(List<Expectation> exps) {
    return IntStream.range(0, exps.size())
        .filter(i -> exps.get(i).action() == Action.DROP)
        .boxed()
        .toList();
  }

  /**
   * Per order with a line that failed its own DROP expectations ({@code __bid}, INT): the names of
   * those expectations, sorted ({@code UNIT_FAILED}). Reads only the failing lines of {@code
   * flagged} (the lines' flagged rows, checked against {@code exps}).
   */
  private static Dataset<Row> unitFailures(Dataset<Row> flagged, List<Expectation> exps) {
    String id = Expectations.ORDER_KEY;
    return flagged
        .where(not(col(ROW_KEPT)).and(col(id).isNotNull()))
        .groupBy(col(id).cast(DataTypes.IntegerType).as("__bid"))
        .agg(
            array_sort(
                    array_distinct(
                        flatten(
                            collect_list(
                                array_compact(array(dropNames(exps).toArray(Column[]::new)))))))
                .as(UNIT_FAILED));
  }

  private static String ok(int i) {
    return INTERNAL + "ok" + i;
  }

  private static long longAt(Row r, int i) {
    return r.isNullAt(i) ? 0 : r.getLong(i);
  }

  /**
   * The reason of a row quarantined with its order: {@code order 10249 quarantined: line failed a,
   * b}.
   */
  private static Column orderReason(Column orderId, Column failedNames) {
    return concat(
        lit("order "),
        orderId.cast(DataTypes.StringType),
        lit(" quarantined: line failed "),
        array_join(failedNames, ", "));
  }

  /**
   * A row as JSON, internal columns left out; explicit nulls, so it shows the NULL that broke a
   * rule.
   */
  private static Column rowJson(String[] columns) {
    return to_json(struct(rowColumns(columns)), java.util.Map.of("ignoreNullFields", "false"));
  }

  private static Column[] rowColumns(String[] columns) {
    return Arrays.stream(columns)
        .filter(c -> !c.startsWith(INTERNAL))
        .map(c -> col(c))
        .toArray(Column[]::new);
  }
}
