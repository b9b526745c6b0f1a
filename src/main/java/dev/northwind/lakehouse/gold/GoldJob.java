package dev.northwind.lakehouse.gold;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.LakehouseException;
import dev.northwind.lakehouse.Parallel;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.CommitUnits;
import dev.northwind.lakehouse.lake.DatasetKind;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.lake.DeltaLog;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.lake.TableId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.SessionCatalog;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * The Gold job: business aggregates (KPIs, revenue by country/month/category, top products,
 * employee performance, RFM segmentation) recomputed in full from Silver.
 *
 * <p>The Silver tables are read at pinned Delta versions; those versions are recorded in {@code
 * gold.kpi_summary}, and a run whose Silver versions equal the last recorded ones is skipped ("Gold
 * is up to date"), so re-running Gold without new data creates no new Delta version. Everything is
 * computed and materialised before the first write, so a failing query leaves the previous Gold
 * untouched; each table is then one overwrite commit, and kpi_summary (one appended row per run) is
 * written last as the marker of a complete run.
 */
public final class GoldJob {

  /** The Silver tables Gold reads, in the order their versions are recorded. */
  static final List<String> SILVER_INPUTS =
      List.of("fact_order_line", "fact_order", "dim_customer", "dim_product", "dim_employee");

  /**
   * The Silver tables Gold is computed from.
   *
   * @param dimCustomer all SCD2 rows; only the current ones are used
   */
  public record Inputs(
      Dataset<Row> factOrderLine,
      Dataset<Row> factOrder,
      Dataset<Row> dimCustomer,
      Dataset<Row> dimProduct,
      Dataset<Row> dimEmployee) {

    /** The inputs read by Silver table name ({@code fact_order_line}, …). */
    public static Inputs of(java.util.function.Function<String, Dataset<Row>> silver) {
      return new Inputs(
          silver.apply("fact_order_line"),
          silver.apply("fact_order"),
          silver.apply("dim_customer"),
          silver.apply("dim_product"),
          silver.apply("dim_employee"));
    }
  }

  /** Prefix of the userMetadata of every Gold commit: the Silver versions it was computed from. */
  private static final String SILVER_MARKER = "silver:";

  /** Suffix of an additive table's sums query and view ({@code revenue_by_month_sums}). */
  private static final String SUMS = "_sums";

  /** Gold tables materialised and written at the same time. */
  private static final int PARALLELISM = 3;

  /** How a refresh treats the tables it writes. */
  public enum Mode {
    /**
     * The additive tables take only the orders Silver gained since they were written, where that
     * gives what a recompute gives ({@link AdditiveRefresh}); every other table is recomputed.
     */
    INCREMENTAL,
    /** Every table is recomputed from all of Silver ({@code --full-refresh}). */
    RECOMPUTE
  }

  private GoldJob() {}

  /**
   * Runs Gold over the lake's Silver tables.
   *
   * @param runId the run id recorded in kpi_summary
   * @param progress receives one line per table written
   * @return what was written, or that Gold was already up to date
   * @throws LakehouseException if a Silver table is missing or the computation fails
   */
  public static GoldReport run(SparkSession caller, Lake lake, String runId, Progress progress) {
    long start = System.nanoTime();
    SparkSession spark = SparkSessions.nonAdaptive(caller, inputBytes(caller, lake));
    Map<String, Long> versions = silverVersions(spark, lake);
    String silverVersion = format(versions);
    if (upToDate(spark, lake, silverVersion)) {
      GoldReport report =
          new GoldReport(
              GoldReport.Outcome.UP_TO_DATE, runId, silverVersion, List.of(), millisSince(start));
      progress.report(report.summary());
      return report;
    }
    return write(
        spark,
        lake,
        runId,
        progress,
        versions,
        new java.util.LinkedHashSet<>(GoldTables.NAMES),
        Mode.INCREMENTAL,
        start);
  }

  /**
   * Refreshes and writes the named Gold tables (short names, e.g. {@code revenue_by_country}) from
   * the current Silver tables, without the up-to-date check: the pipeline runner decides what is
   * stale. Tables not named are left as they are.
   */
  public static GoldReport refresh(
      SparkSession caller,
      Lake lake,
      String runId,
      Progress progress,
      java.util.Set<String> names,
      Mode mode) {
    long start = System.nanoTime();
    SparkSession spark = SparkSessions.nonAdaptive(caller, inputBytes(caller, lake));
    return write(spark, lake, runId, progress, silverVersions(spark, lake), names, mode, start);
  }

  private static GoldReport write(
      SparkSession spark,
      Lake lake,
      String runId,
      Progress progress,
      Map<String, Long> versions,
      java.util.Set<String> names,
      Mode mode,
      long start) {
    String silverVersion = format(versions);
    List<GoldReport.TableRows> written = new ArrayList<>();
    // Each input is planned once, for the new orders' sums and the recomputed tables alike, and
    // the five at the same time: planning a table a Silver commit just changed first builds its
    // Delta snapshot, a Spark job that mostly waits on fixed costs.
    List<Dataset<Row>> read =
        Parallel.map(
            "Gold",
            "gold-reader",
            PARALLELISM,
            SILVER_INPUTS,
            name -> readAt(spark, lake, name, versions));
    java.util.function.Function<String, Dataset<Row>> silver =
        name -> read.get(SILVER_INPUTS.indexOf(name));
    Map<String, Dataset<Row>> sums =
        mode == Mode.INCREMENTAL
            ? AdditiveRefresh.sums(spark, lake, versions, silver, names)
            : Map.of();
    try (GoldTables tables = compute(spark, Inputs.of(silver), runId, silverVersion, names, sums)) {
      // Materialise every table before writing any, so readers never see a half-recomputed Gold.
      // The tables are small and independent: a few at a time overlap the driver's planning and
      // Delta's commit work with the executors' tasks.
      Map<String, Long> rows = new LinkedHashMap<>();
      Map<String, Long> computeMs = new LinkedHashMap<>();
      Map<String, Long> writeMs = new LinkedHashMap<>();
      // Every table is marked for caching before any is planned, and a table is materialised only
      // after the Gold tables it reads: caching a plan while another thread plans a query that
      // contains it trips Spark 4.1's CTE inlining (UnresolvedException in DeduplicateRelations).
      tables.byName().values().forEach(ds -> ds.persist(StorageLevel.MEMORY_AND_DISK()));
      for (List<String> level : GoldDatasets.levels(tables.byName().keySet())) {
        Parallel.map(
            "Gold",
            "gold-writer",
            PARALLELISM,
            level,
            name -> {
              long t = System.nanoTime();
              SparkSessions.step(
                  spark, "gold: compute " + name, () -> materialise(tables.table(name)));
              synchronized (computeMs) {
                computeMs.put(name, millisSince(t));
              }
              return null;
            });
      }
      progress.report(
          "Gold computed "
              + tables.byName().size()
              + " tables from Silver "
              + silverVersion
              + " in "
              + millisSince(start)
              + " ms");
      // kpi_summary is written last, alone, as the marker of a complete run.
      Parallel.map(
          "Gold",
          "gold-writer",
          PARALLELISM,
          tables.byName().keySet().stream().filter(n -> !n.equals("kpi_summary")).toList(),
          name ->
              SparkSessions.step(
                  spark,
                  "gold: write " + name,
                  () -> write(lake, name, tables.table(name), silverVersion, writeMs)));
      // Its commit carries the Silver versions it was computed from: a refresh killed after this
      // commit but before the runner recorded it is redone, and must not append a second row.
      long kpiStart = System.nanoTime();
      writeMs.put("kpi_summary", 0L);
      if (tables.byName().containsKey("kpi_summary") && !computedFrom(spark, lake, silverVersion)) {
        tables
            .kpiSummary()
            .write()
            .format("delta")
            .mode(SaveMode.Append)
            .option("optimizeWrite", "false")
            .option("userMetadata", marker(silverVersion))
            .save(lake.location(TableId.gold("kpi_summary")));
        writeMs.put("kpi_summary", millisSince(kpiStart));
      }
      // The row counts Delta recorded for each write: a count() per table would cost Spark jobs.
      for (String name : tables.byName().keySet()) {
        rows.put(
            name,
            lake.lastCommitMetrics(spark, TableId.gold(name)).getOrDefault("numOutputRows", 0L));
      }
      int i = 0;
      for (String name : tables.byName().keySet()) {
        TableId id = TableId.gold(name);
        long n = rows.get(name);
        written.add(new GoldReport.TableRows(id, n));
        progress.report(
            String.format(
                "  [%d/%d] %-34s %8d rows  computed %6d ms, written %6d ms%s",
                ++i,
                rows.size(),
                id.qualified(),
                n,
                computeMs.get(name),
                writeMs.get(name),
                name.equals("kpi_summary")
                    ? " (appended)"
                    : sums.containsKey(name) ? " (new orders added)" : ""));
      }
    } catch (LakehouseException e) {
      throw e;
    } catch (RuntimeException e) {
      throw LakehouseErrors.jobFailed("Gold", e);
    }
    GoldReport report =
        new GoldReport(
            GoldReport.Outcome.WRITTEN, runId, silverVersion, written, millisSince(start));
    progress.report(report.summary());
    return report;
  }

  /**
   * Computes every Gold table from Silver Datasets (a pure function of its inputs, except
   * kpi_summary's computed_at). The Datasets are lazy; the bases they share (orders, lines,
   * customers, RFM metrics) are cached until the result is closed, so close it when done.
   *
   * @param runId recorded in kpi_summary
   * @param silverVersion recorded in kpi_summary (the up-to-date check compares it)
   */
  public static GoldTables compute(
      SparkSession spark, Inputs silver, String runId, String silverVersion) {
    return compute(
        spark, silver, runId, silverVersion, new java.util.LinkedHashSet<>(GoldTables.NAMES));
  }

  /**
   * Computes the named Gold tables (short names) and the views they read, as {@link
   * #compute(SparkSession, Inputs, String, String)} does for all of them.
   */
  public static GoldTables compute(
      SparkSession spark,
      Inputs silver,
      String runId,
      String silverVersion,
      java.util.Set<String> tables) {
    return compute(spark, silver, runId, silverVersion, tables, Map.of());
  }

  /**
   * As {@link #compute(SparkSession, Inputs, String, String, java.util.Set)}, with the sums of some
   * additive tables given ({@link AdditiveRefresh}) instead of computed from {@code silver}.
   */
  static GoldTables compute(
      SparkSession spark,
      Inputs silver,
      String runId,
      String silverVersion,
      java.util.Set<String> tables,
      Map<String, Dataset<Row>> sums) {
    // Fixed view names the SQL resources refer to; the queries are analysed eagerly, so the
    // Datasets stay valid after the views are dropped at the end.
    List<String> views = new ArrayList<>();
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      bind(silver, views);
      Map<String, Dataset<Row>> out = new LinkedHashMap<>();
      // Every Gold dataset is planned (driver-only analysis), even when only some are asked for;
      // only those are materialised and written. Planning rfm_customer without the others first
      // trips Spark 4.1's CTE inlining in a fresh session (UnresolvedException in
      // DeduplicateRelations); planning them all, in declaration order as before, does not.
      for (DatasetSpec d : GoldDatasets.ALL) {
        String name = GoldDatasets.shortName(d);
        if (GoldDatasets.ADDITIVE.containsKey(name)) {
          view(
              sums.containsKey(name)
                  ? sums.get(name)
                  : GoldSql.run(spark, GoldDatasets.sqlName(d) + SUMS),
              name + SUMS,
              views);
        }
        Dataset<Row> ds = GoldSql.run(spark, GoldDatasets.sqlName(d));
        if (d.kind() == DatasetKind.VIEW) {
          // The small bases several queries read are cached once, so each Gold query only
          // aggregates.
          view(cache(ds, cached), name, views);
          continue;
        }
        if (name.equals("kpi_summary")) {
          // Run metadata are values, not SQL text: added as typed literals, never concatenated.
          List<Column> kpiCols =
              new ArrayList<>(
                  List.of(
                      functions.lit(runId).cast("string").as("run_id"),
                      functions.current_timestamp().as("computed_at"),
                      functions
                          .lit(silverVersion == null ? "" : silverVersion)
                          .as("silver_version")));
          for (String c : ds.columns()) {
            kpiCols.add(ds.col(c));
          }
          ds = ds.select(kpiCols.toArray(new Column[0]));
        }
        // Later queries read earlier results through views, so a persisted result is reused.
        out.put(name, view(ds, name, views));
      }
      out.keySet().retainAll(tables);
      return new GoldTables(out, cached);
    } catch (RuntimeException e) {
      cached.forEach(ds -> ds.unpersist(false));
      throw e;
    } finally {
      dropViews(spark, views);
    }
  }

  /**
   * The {@code _sums} query of each named additive table over {@code rows} (e.g. only the orders
   * Silver gained), through the same base views as a full computation, none of them cached.
   */
  static Map<String, Dataset<Row>> sums(SparkSession spark, Inputs rows, List<String> tables) {
    List<String> views = new ArrayList<>();
    try {
      bind(rows, views);
      for (DatasetSpec d : GoldDatasets.ALL) {
        if (d.kind() == DatasetKind.VIEW) {
          view(GoldSql.run(spark, GoldDatasets.sqlName(d)), GoldDatasets.shortName(d), views);
        }
      }
      Map<String, Dataset<Row>> out = new LinkedHashMap<>();
      for (String t : tables) {
        out.put(t, GoldSql.run(spark, t + SUMS));
      }
      return out;
    } finally {
      dropViews(spark, views);
    }
  }

  /** The Silver inputs under the view names the SQL resources read. */
  private static void bind(Inputs silver, List<String> views) {
    view(silver.factOrderLine(), "fact_order_line", views);
    view(silver.factOrder(), "fact_order", views);
    view(silver.dimCustomer(), "dim_customer", views);
    view(silver.dimProduct(), "product", views);
    view(silver.dimEmployee(), "employee", views);
  }

  /**
   * Drops the temp views the SQL resources read, leaving the caches of the Datasets behind them:
   * {@code Catalog.dropTempView} also uncaches the view's plan, which dropped every cached base
   * before any Gold table was materialised, so each table recomputed its bases from Silver (a
   * profile at scale 100: rfm_segment re-joined orders and customers seven times).
   */
  private static void dropViews(SparkSession spark, List<String> views) {
    SessionCatalog catalog =
        ((org.apache.spark.sql.classic.SparkSession) spark).sessionState().catalog();
    views.forEach(catalog::dropTempView);
  }

  private static Dataset<Row> view(Dataset<Row> ds, String name, List<String> views) {
    ds.createOrReplaceTempView(name);
    views.add(name);
    return ds;
  }

  /** Persists a base that several queries read; {@code cached} keeps it for unpersisting. */
  private static Dataset<Row> cache(Dataset<Row> ds, List<Dataset<Row>> cached) {
    Dataset<Row> persisted = ds.persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(persisted);
    return persisted;
  }

  /**
   * Bytes of the Silver tables Gold reads (missing ones count 0; {@link #silverVersions} reports
   * them).
   */
  private static long inputBytes(SparkSession spark, Lake lake) {
    return SILVER_INPUTS.stream().mapToLong(n -> lake.bytes(spark, TableId.silver(n))).sum();
  }

  /**
   * The current Delta version of each Silver input (a missing table is a usage error), listed
   * between Silver's units of commits ({@link CommitUnits}): never one fact table written and the
   * other not.
   */
  static Map<String, Long> silverVersions(SparkSession spark, Lake lake) {
    return CommitUnits.cut(() -> listVersions(spark, lake));
  }

  private static Map<String, Long> listVersions(SparkSession spark, Lake lake) {
    Map<String, Long> versions = new LinkedHashMap<>();
    for (String name : SILVER_INPUTS) {
      TableId id = TableId.silver(name);
      if (!lake.exists(spark, id)) {
        throw LakehouseErrors.tableNotFound(id.qualified(), java.net.URI.create(lake.location(id)));
      }
      // From the log's file names: history(1) would cost one Spark job per table.
      versions.put(name, lake.version(spark, id));
    }
    return versions;
  }

  /** e.g. {@code fact_order_line@4,fact_order@4,dim_customer@2,dim_product@1,dim_employee@1}. */
  static String format(Map<String, Long> versions) {
    StringJoiner j = new StringJoiner(",");
    versions.forEach((k, v) -> j.add(k + "@" + v));
    return j.toString();
  }

  /** A Gold commit's {@code userMetadata}: the Silver versions it was computed from. */
  private static String marker(String silverVersion) {
    return SILVER_MARKER + silverVersion;
  }

  /**
   * The Silver versions a Gold commit's {@code userMetadata} records (the inverse of {@link
   * #marker}); empty for a commit without them (written before they were recorded).
   */
  static Optional<Map<String, Long>> parse(String userMetadata) {
    if (!userMetadata.startsWith(SILVER_MARKER)) {
      return Optional.empty();
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (String part : userMetadata.substring(SILVER_MARKER.length()).split(",")) {
      int at = part.lastIndexOf('@');
      if (at < 1) {
        return Optional.empty();
      }
      try {
        out.put(part.substring(0, at), Long.parseLong(part.substring(at + 1)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.of(out);
  }

  /** Reads a Silver table at the version recorded, so a concurrent Silver commit cannot mix in. */
  static Dataset<Row> readAt(
      SparkSession spark, Lake lake, String name, Map<String, Long> versions) {
    return SparkSessions.planned(lake.readAt(spark, TableId.silver(name), versions.get(name)));
  }

  /**
   * Whether every Gold table exists and the last kpi_summary row was computed from these versions.
   */
  static boolean upToDate(SparkSession spark, Lake lake, String silverVersion) {
    for (String name : GoldTables.NAMES) {
      if (!lake.exists(spark, TableId.gold(name))) {
        return false;
      }
    }
    return computedFrom(spark, lake, silverVersion);
  }

  /**
   * Whether the last kpi_summary row was computed from these Silver versions: its commit carries
   * them as userMetadata, read from the Delta log without a Spark job.
   */
  private static boolean computedFrom(SparkSession spark, Lake lake, String silverVersion) {
    return marker(silverVersion)
        .equals(
            lake.lastCommit(spark, TableId.gold("kpi_summary"))
                .map(DeltaLog.Commit::userMetadata)
                .orElse(""));
  }

  /**
   * Runs the table's plan into its cache. A {@code noop} write reads every row without the extra
   * aggregation and shuffle a count() adds.
   */
  private static void materialise(Dataset<Row> table) {
    table.write().format("noop").mode(SaveMode.Overwrite).save();
  }

  /**
   * One Gold table's commit: an overwrite (kpi_summary, an append, is written apart), recording the
   * Silver versions it was computed from, where {@link AdditiveRefresh} reads them.
   */
  private static Void write(
      Lake lake, String name, Dataset<Row> rows, String silverVersion, Map<String, Long> writeMs) {
    long t = System.nanoTime();
    rows.write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("overwriteSchema", "true")
        .option("userMetadata", marker(silverVersion))
        // Gold tables are a few rows to a few thousand: optimizeWrite's extra shuffle only costs
        // time.
        .option("optimizeWrite", "false")
        .save(lake.location(TableId.gold(name)));
    synchronized (writeMs) {
      writeMs.put(name, millisSince(t));
    }
    return null;
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
