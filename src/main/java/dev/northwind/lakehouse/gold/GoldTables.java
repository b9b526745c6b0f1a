package dev.northwind.lakehouse.gold;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Every Gold table of one computation, as lazy Datasets over two cached bases (order lines with
 * product and category; orders with customer country). Close it to release the cached bases.
 */
public final class GoldTables implements AutoCloseable {

  /** Gold table names in write order: kpi_summary last, as the marker of a complete run. */
  public static final List<String> NAMES = GoldDatasets.tableNames();

  private final Map<String, Dataset<Row>> tables;
  private final List<Dataset<Row>> cached;

  GoldTables(Map<String, Dataset<Row>> tables, List<Dataset<Row>> cached) {
    this.tables = new LinkedHashMap<>();
    for (String name : NAMES) {
      Dataset<Row> ds = tables.get(name);
      if (ds != null) {
        this.tables.put(name, ds);
      }
    }
    this.cached = List.copyOf(cached);
  }

  /** The computed tables by name, in {@link #NAMES} order. */
  public Map<String, Dataset<Row>> byName() {
    return java.util.Collections.unmodifiableMap(tables);
  }

  /** One table by its Gold name, e.g. {@code rfm_customer}. */
  public Dataset<Row> table(String name) {
    Dataset<Row> ds = tables.get(name);
    if (ds == null) {
      throw new IllegalArgumentException("no Gold table " + name + "; known: " + NAMES);
    }
    return ds;
  }

  /** The run's KPI row: written last, as the marker of a complete run. */
  public Dataset<Row> kpiSummary() {
    return table("kpi_summary");
  }

  /** Releases the cached bases (and anything the caller persisted through {@link #byName()}). */
  @Override
  public void close() {
    for (Dataset<Row> ds : tables.values()) {
      ds.unpersist(false);
    }
    for (Dataset<Row> ds : cached) {
      ds.unpersist(false);
    }
  }
}
