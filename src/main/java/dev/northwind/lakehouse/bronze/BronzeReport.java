package dev.northwind.lakehouse.bronze;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one Bronze run: one entry per table, in the order the tables were discovered.
 *
 * @param runId the run id written to every row's {@code _run_id} and to {@code bronze._runs}
 * @param ingestedAt the run's timestamp ({@code _ingested_at} of all its rows)
 * @param endedAt when the run ended
 * @param tables one result per table
 */
public record BronzeReport(
    String runId, Instant ingestedAt, Instant endedAt, List<TableRun> tables) {

  public BronzeReport {
    tables = List.copyOf(tables);
  }

  /** The tables that failed (empty when the run succeeded). */
  public List<TableRun> failed() {
    return tables.stream().filter(t -> t.status() == TableStatus.FAILED).toList();
  }

  /** The result of one table, by name. */
  public TableRun table(String name) {
    return tables.stream()
        .filter(t -> t.table().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no table " + name + " in run " + runId));
  }

  /** Wall-clock milliseconds of the run. */
  public long millis() {
    return endedAt.toEpochMilli() - ingestedAt.toEpochMilli();
  }

  /**
   * One table of a run (one row of {@code bronze._runs}).
   *
   * @param table source table name (the Bronze table has the same name)
   * @param mode full or incremental
   * @param watermarkColumn the incremental watermark column, null for full tables
   * @param watermarkFrom rows above this watermark were read; null for full tables and first loads
   * @param startedAt when this table started
   * @param endedAt when this table ended
   * @param rowsRead rows in the source snapshot to read; null if the count itself failed
   * @param rowsWritten rows committed to Bronze (0 when failed or unchanged)
   * @param status outcome
   * @param error one-line cause of a failure, null otherwise (never contains the password)
   */
  public record TableRun(
      String table,
      IngestMode mode,
      String watermarkColumn,
      String watermarkFrom,
      Instant startedAt,
      Instant endedAt,
      Long rowsRead,
      long rowsWritten,
      TableStatus status,
      String error) {

    /** Seconds this table took. */
    public double seconds() {
      return (endedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
    }
  }

  /** One line for progress, e.g. {@code Bronze run <id>: 14 tables, 0 failed (3.2 s)}. */
  public String summary() {
    return String.format(
        java.util.Locale.ROOT,
        "Bronze run %s: %d tables, %d failed (%.1f s)",
        runId,
        tables.size(),
        failed().size(),
        millis() / 1000.0);
  }

  /**
   * Fails the job when any table failed (the others are ingested).
   *
   * @throws dev.northwind.lakehouse.LakehouseException naming every failed table and its cause
   */
  public void requireAllSucceeded(String sourceSystem) {
    if (!failed().isEmpty()) {
      throw dev.northwind.lakehouse.LakehouseErrors.bronzeTablesFailed(
          sourceSystem, failed().stream().map(t -> t.table() + " (" + t.error() + ")").toList());
    }
  }
}
