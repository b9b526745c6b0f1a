package dev.northwind.lakehouse.lake;

/** How much the process logs: quiet shows progress and warnings, verbose adds Spark's INFO. */
public enum Verbosity {
  QUIET,
  VERBOSE
}
