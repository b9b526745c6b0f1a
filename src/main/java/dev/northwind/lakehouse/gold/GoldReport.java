package dev.northwind.lakehouse.gold;

import dev.northwind.lakehouse.lake.TableId;
import java.util.List;

/**
 * What one Gold run did.
 *
 * @param outcome whether the tables were written or the run was skipped as up to date
 * @param runId the run's id (recorded in kpi_summary when written)
 * @param silverVersion the Silver table versions read, e.g. {@code
 *     fact_order_line@4,fact_order@4,...}
 * @param tables the tables written with their row counts (empty when skipped)
 * @param elapsedMs wall-clock time of the run
 */
public record GoldReport(
    Outcome outcome, String runId, String silverVersion, List<TableRows> tables, long elapsedMs) {

  /** Whether the run wrote Gold or found it up to date. */
  public enum Outcome {
    WRITTEN,
    UP_TO_DATE
  }

  /** One Gold table written and its row count. */
  public record TableRows(TableId table, long rows) {}

  public GoldReport {
    tables = List.copyOf(tables);
  }

  /** The row count written for a table (by its Gold name), or -1 when it was not written. */
  public long rows(String table) {
    return tables.stream()
        .filter(t -> t.table().name().equals(table))
        .mapToLong(TableRows::rows)
        .findFirst()
        .orElse(-1);
  }

  /** One line for the user. */
  public String summary() {
    if (outcome == Outcome.UP_TO_DATE) {
      return "Gold is up to date (Silver "
          + silverVersion
          + " already computed), "
          + elapsedMs
          + " ms";
    }
    long rows = tables.stream().mapToLong(TableRows::rows).sum();
    return "Gold written: "
        + tables.size()
        + " tables, "
        + rows
        + " rows from Silver "
        + silverVersion
        + " in "
        + elapsedMs
        + " ms (run "
        + runId
        + ")";
  }
}
