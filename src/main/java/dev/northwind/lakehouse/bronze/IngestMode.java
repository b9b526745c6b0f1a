package dev.northwind.lakehouse.bronze;

import java.util.Locale;

/** How a source table lands in Bronze. */
public enum IngestMode {
  /** The Bronze table is replaced by the current snapshot, in one overwrite commit. */
  FULL,
  /** Only rows whose watermark exceeds Bronze's maximum are read and appended, in one commit. */
  INCREMENTAL;

  /** The lower-case name written to {@code bronze._runs} and progress lines. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
