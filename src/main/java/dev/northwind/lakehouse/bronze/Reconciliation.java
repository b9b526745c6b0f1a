package dev.northwind.lakehouse.bronze;

import dev.northwind.lakehouse.lake.DeltaLog;

/**
 * What to do with a table after its write: keep the commit only when it holds exactly the rows the
 * source snapshot counted; otherwise undo it, so Bronze never silently gains or loses rows.
 */
final class Reconciliation {

  /** The decision. */
  enum Action {
    /** The commit reconciles: keep it. */
    KEEP,
    /** No commit was made: nothing to undo. */
    NOTHING_TO_UNDO,
    /** Restore the version the table had before this run. */
    RESTORE_PREVIOUS,
    /** The table did not exist before this run: delete it. */
    DELETE_TABLE
  }

  /** Marks "no Delta table" in version arguments. */
  static final long NO_TABLE = DeltaLog.NO_TABLE;

  private Reconciliation() {}

  /**
   * Decides after a commit that was expected to hold {@code rowsRead} rows.
   *
   * @param rowsRead rows the source snapshot counted
   * @param rowsWritten rows the commit reports (numOutputRows)
   * @param previousVersion the table's version before the run, or {@link #NO_TABLE}
   * @param currentVersion the table's version now, or {@link #NO_TABLE}
   */
  static Action afterCommit(
      long rowsRead, long rowsWritten, long previousVersion, long currentVersion) {
    if (currentVersion == previousVersion) {
      // Nothing was committed although rows were expected: a mismatch, but nothing to undo.
      return rowsRead == 0 ? Action.KEEP : Action.NOTHING_TO_UNDO;
    }
    if (rowsRead == rowsWritten) {
      return Action.KEEP;
    }
    return undo(previousVersion, currentVersion);
  }

  /** Decides after a failure at any point: undo whatever this run may have committed. */
  static Action afterFailure(long previousVersion, long currentVersion) {
    return currentVersion == previousVersion
        ? Action.NOTHING_TO_UNDO
        : undo(previousVersion, currentVersion);
  }

  private static Action undo(long previousVersion, long currentVersion) {
    if (currentVersion == NO_TABLE) {
      return Action.NOTHING_TO_UNDO;
    }
    return previousVersion == NO_TABLE ? Action.DELETE_TABLE : Action.RESTORE_PREVIOUS;
  }
}
