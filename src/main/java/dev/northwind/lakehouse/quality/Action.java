package dev.northwind.lakehouse.quality;

import java.util.Locale;

/** What happens to rows that break an {@link Expectation}. */
public enum Action {
  /** Keep the row and count it. */
  WARN,
  /** Remove the row from Silver and move it to {@code silver.quarantine}. */
  DROP,
  /** Stop the run before any Silver table changes. */
  FAIL;

  /** Lower-case name as stored in {@code silver.quality_results.action}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
