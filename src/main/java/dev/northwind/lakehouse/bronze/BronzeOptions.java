package dev.northwind.lakehouse.bronze;

import dev.northwind.lakehouse.config.LakehouseConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one Bronze run reads and how.
 *
 * @param schema source schema whose base tables are ingested
 * @param fetchSize JDBC rows per round trip (always at least 1: Spark's PostgreSQL dialect then
 *     reads in a transaction, which the snapshot import relies on)
 * @param readPartitions key ranges read in parallel for large tables
 * @param partitionMinRows tables with at least this many rows to read are read in key ranges
 * @param incremental tables read incrementally, mapped to their numeric watermark column; every
 *     other table is replaced by a full snapshot
 * @param tables the tables to ingest; empty means every base table of the schema
 * @param threads tables ingested at the same time (at least 1)
 */
public record BronzeOptions(
    String schema,
    int fetchSize,
    int readPartitions,
    int partitionMinRows,
    Map<String, String> incremental,
    List<String> tables,
    int threads) {

  /**
   * Tables ingested concurrently by default. Measured warm on 2 cores (shared with other busy JVMs,
   * so absolute times are pessimistic): a first run at generator scale 1 took 11.4 s with 1 thread
   * and 5.8 s with 3; scale 10 took 10.2 s and 6.4 s. Much of a small table's time is driver-side
   * (JDBC metadata, Delta commit and log work), which other tables' tasks overlap.
   */
  public static final int DEFAULT_THREADS = 3;

  public BronzeOptions {
    if (fetchSize < 1) {
      throw new IllegalArgumentException("fetchSize must be at least 1: " + fetchSize);
    }
    if (readPartitions < 1 || threads < 1) {
      throw new IllegalArgumentException("readPartitions and threads must be at least 1");
    }
    incremental = Map.copyOf(new LinkedHashMap<>(incremental));
    tables = List.copyOf(tables);
  }

  /** The options of the config's source section, for the given tables (empty = all). */
  public static BronzeOptions from(LakehouseConfig config, List<String> tables) {
    LakehouseConfig.Source s = config.source();
    return new BronzeOptions(
        s.schema(),
        s.fetchSize(),
        s.readPartitions(),
        s.partitionMinRows(),
        s.incremental(),
        tables == null ? List.of() : tables,
        DEFAULT_THREADS);
  }

  /** A copy that ingests only these tables. */
  public BronzeOptions withTables(List<String> subset) {
    return new BronzeOptions(
        schema, fetchSize, readPartitions, partitionMinRows, incremental, subset, threads);
  }

  /** A copy that ingests this many tables at the same time. */
  public BronzeOptions withThreads(int n) {
    return new BronzeOptions(
        schema, fetchSize, readPartitions, partitionMinRows, incremental, tables, n);
  }

  /** A copy with other JDBC partitioning settings. */
  public BronzeOptions withPartitioning(int partitions, int minRows) {
    return new BronzeOptions(schema, fetchSize, partitions, minRows, incremental, tables, threads);
  }
}
