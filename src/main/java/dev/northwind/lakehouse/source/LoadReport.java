package dev.northwind.lakehouse.source;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a load wrote.
 *
 * @param rows table name to row count, in {@link NorthwindSchema#TABLES} order
 * @param millis wall-clock time of the whole load, including the commit
 * @param description what was loaded, e.g. {@code "northwind.sql dump"} or {@code "generator scale
 *     3 seed 42"}
 */
public record LoadReport(Map<String, Long> rows, long millis, String description) {

  public LoadReport {
    rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
  }

  /** Rows over all tables. */
  public long total() {
    return rows.values().stream().mapToLong(Long::longValue).sum();
  }
}
