package dev.northwind.lakehouse.status;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.DatasetKind;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.lake.DeltaLog;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Refresh;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.pipeline.DatasetStatus;
import dev.northwind.lakehouse.pipeline.PipelineRunner;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the pipeline's state. Freshness comes from the runner ({@link PipelineRunner#status()}:
 * {@code _delta_log} listings and refresh records, no Spark). Spark is started only when a table
 * exists, and each Spark read (a table's row count and schema, the run, stream, CDC and quality log
 * tables) is kept per table version: a second read of an unchanged lake runs no Spark job. So it is
 * cheap enough to poll every second (the dashboard) and to use as a health check. Thread-safe.
 */
public final class PipelineStatus {

  /** How much is read. */
  public enum Detail {
    /** What {@code lakehouse status} prints. */
    SUMMARY,
    /** Also each table's schema, quarantined row samples and the histories the page draws. */
    FULL
  }

  /** A stream or CDC whose last micro-batch is older than this is reported as not running. */
  public static final Duration RUNNING_WITHIN = Duration.ofMinutes(2);

  /** Runs kept in the history (newest first). */
  static final int HISTORY = 50;

  /** Micro-batches kept for the lag chart. */
  static final int LAG_POINTS = 120;

  /** Quarantined rows shown per table. */
  static final int QUARANTINE_SAMPLE = 5;

  static final TableId RUNS = TableId.bronze("_runs");
  static final TableId STREAM_BATCHES = TableId.bronze("_stream_batches");
  static final TableId CDC_BATCHES = TableId.bronze("_cdc_batches");
  static final TableId QUALITY = TableId.silver("quality_results");
  static final TableId QUARANTINE = TableId.silver("quarantine");
  static final TableId KPI_SUMMARY = TableId.gold("kpi_summary");

  private final PipelineRunner runner;
  private final Configuration hadoop;
  private final Lake lake;
  private final Supplier<SparkSession> spark;
  private final Clock clock;

  /** Spark-read values by {@code what:table@version}; small (one entry per table and kind). */
  private final Map<String, Object> cache = new ConcurrentHashMap<>();

  /**
   * The status of the Northwind graph over a lake.
   *
   * @param spark started on first need only (an empty lake never starts it)
   */
  public PipelineStatus(LakehouseConfig config, Lake lake, Supplier<SparkSession> spark) {
    this(config, lake, spark, Clock.systemUTC());
  }

  PipelineStatus(LakehouseConfig config, Lake lake, Supplier<SparkSession> spark, Clock clock) {
    // Status runs no flow, so it never opens the source.
    this.runner =
        PipelineRunner.northwind(
            config,
            spark,
            lake,
            () -> {
              throw new IllegalStateException("the status reads no source");
            },
            Progress.NONE);
    this.hadoop = SparkSessions.hadoop(config);
    this.lake = lake;
    this.spark = spark;
    this.clock = clock;
  }

  /** The state now. */
  public PipelineReport read(Detail detail) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    List<DatasetStatus> statuses = runner.status();
    List<PipelineReport.DatasetState> datasets = new ArrayList<>();
    for (DatasetStatus s : statuses) {
      datasets.add(dataset(s, detail, now));
    }
    List<PipelineReport.Run> history = new ArrayList<>();
    history.addAll(bronzeRuns(version(RUNS)));
    history.addAll(refreshRuns(statuses, history));
    history.addAll(goldRuns(version(KPI_SUMMARY), history));
    List<PipelineReport.Check> checks = quality(version(QUALITY));
    history.addAll(silverRuns(checks, history));
    history.sort(Comparator.comparing(PipelineReport.Run::endedAt).reversed());
    List<PipelineReport.Run> kept =
        List.copyOf(history.subList(0, Math.min(HISTORY, history.size())));
    Optional<PipelineReport.Lag> stream = lag(STREAM_BATCHES, version(STREAM_BATCHES), now, true);
    Optional<PipelineReport.Lag> cdc = lag(CDC_BATCHES, version(CDC_BATCHES), now, false);
    return new PipelineReport(
        lake.root().toString(), now, detail, datasets, kept, stream, cdc, checks);
  }

  private PipelineReport.DatasetState dataset(DatasetStatus s, Detail detail, Instant now) {
    DatasetSpec d = s.spec();
    Optional<TableId> table = d.table();
    long version = s.version();
    PipelineReport.State state = state(s);
    OptionalRows rows = OptionalRows.NONE;
    List<Map<String, Object>> schema = List.of();
    List<Map<String, Object>> sample = List.of();
    if (table.isPresent() && version >= 0) {
      TableId t = table.get();
      // Delta's checksum file has the count and the schema of small tables: no Spark needed.
      Optional<DeltaLog.Summary> summary =
          DeltaLog.of(hadoop, lake.location(t)).summary().filter(x -> x.version() == version);
      rows =
          new OptionalRows(
              summary.isPresent()
                  ? summary.get().rows()
                  : cached("rows", t, version, df -> df.count()));
      if (detail == Detail.FULL) {
        schema =
            summary.isPresent()
                ? schema(summary.get().schema())
                : cached("schema", t, version, PipelineStatus::schema);
        if (d.layer().equals("silver") && version(QUARANTINE) >= 0) {
          sample = quarantined(t.name());
        }
      }
    }
    return new PipelineReport.DatasetState(
        d, version, rows.value(), s.last(), s.inputs(), s.stale(), state(s), schema, sample);
  }

  private PipelineReport.State state(DatasetStatus s) {
    if (s.spec().kind() == DatasetKind.VIEW) {
      return PipelineReport.State.VIEW;
    }
    if (s.stale().isPresent()
        && s.version() >= 0
        && s.last().isPresent()
        && runner.graph().readsExternal(s.spec().name())) {
      // The source has no version to compare with, so the runner always looks again; for people
      // it is fresh as of its last ingestion.
      return PipelineReport.State.FRESH;
    }
    if (s.stale().isPresent()) {
      // A refreshed dataset with nothing to store (no row quarantined) has no table: stale, not
      // unbuilt.
      return s.version() < 0 && s.last().isEmpty()
          ? PipelineReport.State.NOT_BUILT
          : PipelineReport.State.STALE;
    }
    if (s.last().isPresent()) {
      return PipelineReport.State.FRESH;
    }
    // Not stale and never refreshed by a run: fed continuously (the stream, CDC).
    return s.version() >= 0 ? PipelineReport.State.CONTINUOUS : PipelineReport.State.IDLE;
  }

  /** Bronze runs from {@code bronze._runs}, one per run id, newest first. */
  private List<PipelineReport.Run> bronzeRuns(long version) {
    return cachedRows("runs", RUNS, version, PipelineStatus::bronzeRunRows);
  }

  /** Reads {@code bronze._runs}: one run per run id, the last {@link #HISTORY}. */
  private static List<PipelineReport.Run> bronzeRunRows(Dataset<Row> df) {
    List<PipelineReport.Run> out = new ArrayList<>();
    Dataset<Row> runs =
        df.groupBy("run_id")
            .agg(
                min("started_at").as("started_at"),
                max("ended_at").as("ended_at"),
                count(lit(1)).as("tables"),
                sum(when(col("status").equalTo("FAILED"), 1).otherwise(0)).as("failed"),
                sum(col("rows_written")).as("rows_written"),
                first(col("error"), true).as("error"))
            .orderBy(desc("ended_at"))
            .limit(HISTORY);
    for (Row r : runs.collectAsList()) {
      Instant started = ((Timestamp) r.getAs("started_at")).toInstant();
      Instant ended = ((Timestamp) r.getAs("ended_at")).toInstant();
      long failed = ((Number) r.getAs("failed")).longValue();
      long tables = ((Number) r.getAs("tables")).longValue();
      Object written = r.getAs("rows_written");
      String detail =
          Progress.count(tables, "table")
              + ", "
              + (written == null ? 0 : ((Number) written).longValue())
              + " rows written"
              + (failed > 0 ? ", " + failed + " failed: " + r.getAs("error") : "");
      out.add(
          new PipelineReport.Run(
              "bronze",
              r.getAs("run_id"),
              started,
              ended,
              Optional.of(Duration.between(started, ended).toMillis()),
              failed > 0 ? PipelineReport.Outcome.FAILED : PipelineReport.Outcome.SUCCEEDED,
              detail));
    }
    return List.copyOf(out);
  }

  /**
   * The last run of every flow the runner recorded (its refresh records carry the run id, end time
   * and the flow's duration), unless {@code bronze._runs} already has that run.
   */
  private static List<PipelineReport.Run> refreshRuns(
      List<DatasetStatus> statuses, List<PipelineReport.Run> known) {
    Map<String, PipelineReport.Run> byRun = new LinkedHashMap<>();
    for (DatasetStatus s : statuses) {
      if (s.last().isEmpty()) {
        continue;
      }
      Refresh r = s.last().get();
      String flow = s.spec().flow();
      Instant start = r.refreshedAt().minusMillis(r.millis());
      // Bronze's run log names its runs itself: the same run is the one that ended within the
      // flow's time.
      if (known.stream()
          .anyMatch(
              k ->
                  k.runId().equals(r.runId())
                      || (k.command().equals(flow)
                          && !k.endedAt().isBefore(start)
                          && !k.endedAt().isAfter(r.refreshedAt())))) {
        continue;
      }
      byRun.merge(
          r.runId(),
          new PipelineReport.Run(
              flow,
              r.runId(),
              start,
              r.refreshedAt(),
              Optional.of(r.millis()),
              PipelineReport.Outcome.SUCCEEDED,
              "1 dataset " + r.outcome().name().toLowerCase(java.util.Locale.ROOT)),
          (a, b) ->
              new PipelineReport.Run(
                  a.command(),
                  a.runId(),
                  a.startedAt(),
                  a.endedAt().isAfter(b.endedAt()) ? a.endedAt() : b.endedAt(),
                  a.millis(),
                  a.outcome(),
                  (Integer.parseInt(a.detail().split(" ")[0]) + 1) + " datasets refreshed"));
    }
    return List.copyOf(byRun.values());
  }

  /** Gold runs from {@code gold.kpi_summary} (one row per run), when not already known. */
  private List<PipelineReport.Run> goldRuns(long version, List<PipelineReport.Run> known) {
    List<PipelineReport.Run> all =
        cachedRows("gold-runs", KPI_SUMMARY, version, PipelineStatus::goldRunRows);
    return all.stream()
        .filter(g -> known.stream().noneMatch(k -> k.runId().equals(g.runId())))
        .toList();
  }

  /** Reads {@code gold.kpi_summary}: one run per row, the last {@link #HISTORY}. */
  private static List<PipelineReport.Run> goldRunRows(Dataset<Row> df) {
    List<PipelineReport.Run> out = new ArrayList<>();
    for (Row r :
        df.select("run_id", "computed_at")
            .orderBy(desc("computed_at"))
            .limit(HISTORY)
            .collectAsList()) {
      Instant at = ((Timestamp) r.get(1)).toInstant();
      out.add(
          new PipelineReport.Run(
              "gold",
              r.getString(0),
              at,
              at,
              Optional.empty(),
              PipelineReport.Outcome.SUCCEEDED,
              "KPIs computed"));
    }
    return List.copyOf(out);
  }

  /** Silver runs from their expectation results (no duration recorded), when not already known. */
  private static List<PipelineReport.Run> silverRuns(
      List<PipelineReport.Check> checks, List<PipelineReport.Run> known) {
    Map<String, PipelineReport.Run> out = new LinkedHashMap<>();
    for (PipelineReport.Check c : checks) {
      if (out.containsKey(c.runId()) || known.stream().anyMatch(k -> k.runId().equals(c.runId()))) {
        continue;
      }
      long n = checks.stream().filter(x -> x.runId().equals(c.runId())).count();
      out.put(
          c.runId(),
          new PipelineReport.Run(
              "silver",
              c.runId(),
              c.runAt(),
              c.runAt(),
              Optional.empty(),
              PipelineReport.Outcome.SUCCEEDED,
              n + " expectations checked"));
    }
    return List.copyOf(out.values());
  }

  /** The stream's or CDC's last micro-batches, when its batch log exists. */
  private Optional<PipelineReport.Lag> lag(
      TableId batches, long version, Instant now, boolean hasLag) {
    if (version < 0) {
      return Optional.empty();
    }
    List<PipelineReport.Batch> points =
        cached(
            "batches",
            batches,
            version,
            df -> {
              List<String> cols = new ArrayList<>(List.of("batch_id", "committed_at", "rows_in"));
              cols.add("rows_written");
              if (hasLag) {
                cols.add("lag_p50_ms");
                cols.add("lag_max_ms");
              }
              List<PipelineReport.Batch> out = new ArrayList<>();
              for (Row r :
                  df.selectExpr(cols.toArray(String[]::new))
                      .orderBy(desc("committed_at"))
                      .limit(LAG_POINTS)
                      .collectAsList()) {
                out.add(
                    new PipelineReport.Batch(
                        r.getLong(0),
                        ((Timestamp) r.get(1)).toInstant(),
                        r.isNullAt(2) ? 0 : r.getLong(2),
                        r.isNullAt(3) ? 0 : r.getLong(3),
                        hasLag && !r.isNullAt(4) ? Optional.of(r.getLong(4)) : Optional.empty(),
                        hasLag && !r.isNullAt(5) ? Optional.of(r.getLong(5)) : Optional.empty()));
              }
              Collections.reverse(out);
              return List.copyOf(out);
            });
    if (points.isEmpty()) {
      return Optional.empty();
    }
    PipelineReport.Batch last = points.get(points.size() - 1);
    boolean running = Duration.between(last.committedAt(), now).compareTo(RUNNING_WITHIN) <= 0;
    return Optional.of(new PipelineReport.Lag(running, last, points));
  }

  /** Every expectation result of the last Silver runs (newest run first). */
  private List<PipelineReport.Check> quality(long version) {
    return cachedRows("quality", QUALITY, version, PipelineStatus::checkRows);
  }

  /** Reads the expectation results of the last {@link #HISTORY} Silver runs. */
  private static List<PipelineReport.Check> checkRows(Dataset<Row> df) {
    // The last HISTORY runs by their check time.
    Dataset<Row> lastRuns =
        df.groupBy("run_id")
            .agg(max("checked_at").as("run_at"))
            .orderBy(desc("run_at"))
            .limit(HISTORY);
    List<PipelineReport.Check> out = new ArrayList<>();
    for (Row r :
        df.join(lastRuns, "run_id")
            .select(
                "run_id",
                "run_at",
                "table_name",
                "expectation",
                "action",
                "rows_checked",
                "rows_failed")
            .orderBy(desc("run_at"), col("table_name"), col("expectation"))
            .collectAsList()) {
      String table = r.getString(2);
      out.add(
          new PipelineReport.Check(
              r.getString(0),
              ((Timestamp) r.get(1)).toInstant(),
              table.contains(".") ? table : "silver." + table,
              r.getString(3),
              r.getString(4),
              r.isNullAt(5) ? 0 : r.getLong(5),
              r.isNullAt(6) ? 0 : r.getLong(6)));
    }
    return List.copyOf(out);
  }

  /** A few quarantined rows of one Silver table (newest first). */
  private List<Map<String, Object>> quarantined(String table) {
    long v = version(QUARANTINE);
    Map<String, List<Map<String, Object>>> all =
        cached(
            "quarantine",
            QUARANTINE,
            v,
            df -> {
              Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
              Dataset<Row> ranked =
                  df.selectExpr(
                          "table_name",
                          "expectation",
                          "row_json",
                          "run_id",
                          "quarantined_at",
                          "row_number() over (partition by table_name order by quarantined_at desc,"
                              + " row_json) as n")
                      .where(col("n").leq(QUARANTINE_SAMPLE))
                      .drop("n");
              for (Map<String, Object> r : rows(ranked)) {
                String t = String.valueOf(r.remove("table_name"));
                out.computeIfAbsent(t, k -> new ArrayList<>()).add(r);
              }
              return out;
            });
    return all.getOrDefault(table, List.of());
  }

  /** A table's version from its log listing (no Spark). */
  private long version(TableId t) {
    return lake.version(hadoop, t);
  }

  /** A Spark-read value of one table version, read once. */
  @SuppressWarnings("unchecked")
  /** As {@link #cached}, for a list of rows: none while the table does not exist (version -1). */
  private <T> List<T> cachedRows(
      String what, TableId t, long version, Function<Dataset<Row>, List<T>> read) {
    return version < 0 ? List.of() : cached(what, t, version, read);
  }

  private <T> T cached(String what, TableId t, long version, Function<Dataset<Row>, T> read) {
    String key = what + ":" + t.qualified() + "@" + version;
    Object v = cache.get(key);
    if (v == null) {
      // Older versions of the same value are of no use again.
      cache.keySet().removeIf(k -> k.startsWith(what + ":" + t.qualified() + "@"));
      v =
          read.apply(
              spark
                  .get()
                  .read()
                  .format("delta")
                  .option("versionAsOf", version)
                  .load(lake.location(t)));
      cache.put(key, v);
    }
    return (T) v;
  }

  private static List<Map<String, Object>> schema(String json) {
    return schema(DataType.fromJson(json));
  }

  private static List<Map<String, Object>> schema(Dataset<Row> df) {
    return schema(df.schema());
  }

  private static List<Map<String, Object>> schema(DataType type) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (StructField f : ((StructType) type).fields()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", f.name());
      m.put("type", f.dataType().simpleString());
      m.put("nullable", f.nullable());
      out.add(m);
    }
    return List.copyOf(out);
  }

  private static List<Map<String, Object>> rows(Dataset<Row> small) {
    StructField[] fields = small.schema().fields();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : small.collectAsList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < fields.length; i++) {
        Object v = r.get(i);
        if (v instanceof Timestamp ts) {
          v = ts.toInstant().toString();
        } else if (v instanceof BigDecimal b) {
          v = b.toPlainString();
        }
        m.put(fields[i].name(), v);
      }
      out.add(m);
    }
    return out;
  }

  /** A row count when the table exists. */
  private record OptionalRows(Long value) {
    static final OptionalRows NONE = new OptionalRows(null);
  }
}
