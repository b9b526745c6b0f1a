package dev.northwind.lakehouse.silver;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.quality.CheckedRows;
import dev.northwind.lakehouse.quality.ExpectationResult;
import dev.northwind.lakehouse.quality.Expectations;
import dev.northwind.lakehouse.quality.Quality;
import dev.northwind.lakehouse.silver.SilverWrites.Guard;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The expectation checks of one Silver write (a batch run, a CDC apply, a stream merge): every
 * table's candidates are checked, and a FAIL stops the run, before anything is written; afterwards
 * the quarantine and the quality results are written from them. Closing releases the rows the
 * checks cached.
 */
final class SilverChecks implements AutoCloseable {

  /**
   * The orders and their lines after the checks and the order-unit rule.
   *
   * @param lines the checked lines
   * @param orders the checked orders, whole (an order with a dropped line is dropped)
   */
  record Orders(CheckedRows lines, CheckedRows orders) {}

  private final String runId;
  private final Timestamp at;
  private final Progress progress;
  private final List<CheckedRows> checked = new ArrayList<>();

  SilverChecks(String runId, Timestamp at, Progress progress) {
    this.runId = runId;
    this.at = at;
    this.progress = progress;
  }

  /** Checks one table's candidates, reports the summary, and stops the run on a FAIL. */
  CheckedRows check(Dataset<Row> candidates, String table) {
    CheckedRows c = Quality.check(candidates, table, runId, at);
    checked.add(c);
    Quality.summary(c.results())
        .forEach(l -> progress.report(l.replace("quality:", "quality " + table + ":")));
    Quality.enforce(c.results());
    return c;
  }

  /** Checks a dimension's source rows (binary columns, such as pictures, left out). */
  CheckedRows dimension(Dataset<Row> source, String table) {
    return check(SilverTransforms.withoutBinary(source), table);
  }

  /**
   * Checks the candidate orders and lines against the customer and product lookups, then applies
   * the order-unit rule ({@link Quality#wholeOrders}): its result takes the place of the orders
   * among the checked tables.
   *
   * @param orders the latest version of each order (Bronze {@code orders} columns)
   * @param lines their lines (Bronze {@code order_details} columns)
   */
  Orders orders(
      Dataset<Row> orders, Dataset<Row> lines, Dataset<Row> customerIds, Dataset<Row> productIds) {
    CheckedRows own =
        check(SilverTransforms.orderCandidates(orders, customerIds), Expectations.FACT_ORDER);
    // The lines look their orders up in the orders' cached candidates (every order, good or not),
    // not in `orders` again, which would read and shuffle every order a second time.
    CheckedRows goodLines =
        check(
            SilverTransforms.lineCandidates(
                lines, own.cached(), own.good(), customerIds, productIds),
            Expectations.FACT_ORDER_LINE);
    CheckedRows whole = Quality.wholeOrders(own, goodLines, runId, at);
    checked.set(checked.indexOf(own), whole);
    ExpectationResult unit = whole.results().get(whole.results().size() - 1);
    if (unit.rowsFailed() > 0) {
      progress.report("  quality " + Expectations.FACT_ORDER + ": " + unit.summary());
    }
    return new Orders(goodLines, whole);
  }

  /** Rows the checks dropped. */
  long dropped() {
    return checked.stream().mapToLong(CheckedRows::droppedRows).sum();
  }

  /** The results of every expectation checked. */
  List<ExpectationResult> results() {
    return checked.stream().flatMap(c -> c.results().stream()).toList();
  }

  /**
   * Appends newly quarantined rows; a row already quarantined for the same rule is not repeated.
   *
   * @return rows quarantined
   */
  long writeQuarantine(SparkSession spark, Lake lake) {
    if (dropped() == 0) {
      return 0;
    }
    Dataset<Row> all = checked.get(0).quarantined();
    for (CheckedRows c : checked.subList(1, checked.size())) {
      all = all.unionByName(c.quarantined());
    }
    List<String> keys = List.of("expectation", "table_name", "row_json");
    return SilverWrites.upsert(spark, lake, SilverJob.QUARANTINE, all, keys, keys, Guard.ANY);
  }

  /**
   * Appends the results to {@code silver.quality_results}.
   *
   * @return results written
   */
  long writeResults(SparkSession spark, Lake lake) {
    List<ExpectationResult> results = results();
    SilverWrites.append(
        lake,
        SilverJob.QUALITY_RESULTS,
        Quality.resultsFrame(spark, results, runId, at),
        results.size());
    return results.size();
  }

  /**
   * Writes the quality results, reports what changed and how long the run took; the run's report.
   *
   * @param changed rows changed per table (the quality results are added)
   * @param dropped rows quarantined by the run
   * @param started the run's start ({@link System#nanoTime})
   * @param from what the run was built from, for the closing line ("" for Bronze)
   */
  SilverReport finish(
      SparkSession spark,
      Lake lake,
      Map<String, Long> changed,
      long dropped,
      long started,
      String from) {
    changed.put(SilverJob.QUALITY_RESULTS.name(), writeResults(spark, lake));
    changed.forEach(
        (t, n) ->
            progress.report("  silver." + t + ": " + (n == 0 ? "unchanged" : n + " rows changed")));
    progress.report(
        String.format(
            "silver: done in %.1f s%s, %d rows quarantined",
            (System.nanoTime() - started) / 1e9, from, dropped));
    return new SilverReport(runId, results(), dropped, Map.copyOf(changed));
  }

  @Override
  public void close() {
    checked.forEach(CheckedRows::release);
  }
}
