package dev.northwind.lakehouse.quality;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Candidate rows of one table after its expectations: nothing has been written yet.
 *
 * @param table the Silver table
 * @param good rows that passed every DROP expectation (WARN failures included) and, for orders and
 *     their lines, whose whole order passed; internal {@code __} columns removed
 * @param quarantined one row per (dropped row, failed DROP expectation), or one row with the
 *     order-level reason for a row dropped only because its order is; in the schema of {@code
 *     silver.quarantine}
 * @param results one result per expectation of the table
 * @param droppedRows distinct rows removed from Silver
 * @param cached the persisted flagged rows behind {@code good} and {@code quarantined}: every
 *     candidate row, internal columns included
 * @param keptOrders for {@code fact_order_line}: the distinct orders of the kept lines; 0 otherwise
 */
public record CheckedRows(
    String table,
    Dataset<Row> good,
    Dataset<Row> quarantined,
    List<ExpectationResult> results,
    long droppedRows,
    Dataset<Row> cached,
    long keptOrders) {

  /** Whether any FAIL expectation failed. */
  public boolean stopsRun() {
    return results.stream().anyMatch(ExpectationResult::stopsRun);
  }

  /** Frees the cached rows once Silver has been written. */
  public void release() {
    cached.unpersist(false);
  }
}
