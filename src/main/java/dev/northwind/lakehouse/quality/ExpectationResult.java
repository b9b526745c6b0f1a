package dev.northwind.lakehouse.quality;

/**
 * The outcome of one expectation over one batch of candidate rows.
 *
 * @param expectation the rule
 * @param rowsChecked rows the rule ran over
 * @param rowsFailed rows for which the rule was not TRUE
 * @param exampleKey the key columns (as JSON) of one failing row, or null when none failed
 */
public record ExpectationResult(
    Expectation expectation, long rowsChecked, long rowsFailed, String exampleKey) {

  /** Whether this result must stop the run. */
  public boolean stopsRun() {
    return expectation.action() == Action.FAIL && rowsFailed > 0;
  }

  /**
   * One line for progress output, e.g. {@code fact_order_line.quantity_positive (drop): 1 of 9
   * failed}.
   */
  public String summary() {
    return expectation.table()
        + "."
        + expectation.name()
        + " ("
        + expectation.action().id()
        + "): "
        + rowsFailed
        + " of "
        + rowsChecked
        + " failed"
        + (exampleKey == null ? "" : ", e.g. " + exampleKey);
  }
}
