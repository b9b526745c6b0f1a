package dev.northwind.lakehouse.bronze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.LakehouseException;
import dev.northwind.lakehouse.Parallel;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.bronze.BronzeReport.TableRun;
import dev.northwind.lakehouse.bronze.SourceCatalog.SourceTable;
import dev.northwind.lakehouse.lake.DeltaLog;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.source.JdbcSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Bronze: lands every base table of the source schema at {@code bronze.<table>} with lineage
 * columns, partitioned by {@code _ingestion_date}.
 *
 * <ul>
 *   <li>Full tables are replaced by the current snapshot in one overwrite commit, with {@code
 *       overwriteSchema}: a column added to (or removed from) the source shows up in Bronze on the
 *       next run.
 *   <li>Incremental tables ({@link BronzeOptions#incremental()}) read only rows whose numeric
 *       watermark exceeds Bronze's maximum and append them in one commit, with {@code mergeSchema}:
 *       a column added to the source becomes a new nullable column (older rows read null), nothing
 *       is silently dropped; an incompatible type change fails the table loudly. No new rows:
 *       nothing is written (status UNCHANGED, no empty commit).
 *   <li>All tables of a run read one exported PostgreSQL snapshot (REPEATABLE READ, imported by
 *       every Spark JDBC connection through {@code sessionInitStatement}), so counts and rows agree
 *       and tables are mutually consistent. After each commit the rows written (Delta's
 *       numOutputRows) must equal the snapshot's count, or the commit is undone and the table
 *       fails.
 *   <li>A failing table keeps its previous version (Delta commits are atomic; a commit that does
 *       not reconcile is restored away), is recorded FAILED, and the other tables go on.
 *   <li>{@code bronze._runs} gets one row per table, in one commit at the end of the run.
 * </ul>
 */
public final class BronzeJob {

  /**
   * A full snapshot's content fingerprint: its columns (names and types, so a column added to an
   * empty table counts as a change) and the md5 of its rows, or {@code empty}.
   */
  static String fingerprint(SourceTable t, String rowsMd5) {
    String columns = new java.util.TreeMap<>(t.columns()).toString();
    try {
      byte[] md5 =
          java.security.MessageDigest.getInstance("MD5")
              .digest(columns.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return FINGERPRINT
          + java.util.HexFormat.of().formatHex(md5)
          + ":"
          + (rowsMd5 == null ? "empty" : rowsMd5);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }

  /** Prefix of the content fingerprint a full snapshot's commit carries as its userMetadata. */
  static final String FINGERPRINT = "source-md5:";

  private BronzeJob() {}

  /**
   * Runs one Bronze ingestion.
   *
   * @return one result per table; tables that failed are in {@link BronzeReport#failed()}
   * @throws LakehouseException when the source is unreachable (job) or a requested table does not
   *     exist (usage); per-table failures are reported, not thrown
   */
  public static BronzeReport run(
      SparkSession spark, Lake lake, JdbcSource source, BronzeOptions options, Progress progress) {
    Lineage lineage = Lineage.start(source.system());
    List<SourceTable> tables;
    try (Connection c = source.connect()) {
      tables = SourceCatalog.discover(c, options.schema(), options.tables());
    } catch (SQLException e) {
      throw LakehouseErrors.sourceUnreachable(source.url(), e);
    }
    List<TableRun> runs;
    try (SourceSnapshot snapshot = SourceSnapshot.open(source)) {
      runs =
          ingestAll(
              new Ingestion(
                  spark,
                  lake,
                  source,
                  options,
                  lineage,
                  snapshot,
                  progress,
                  tables.size(),
                  new AtomicInteger()),
              tables);
    } catch (SQLException e) {
      throw LakehouseErrors.sourceUnreachable(source.url(), e);
    }
    RunLog.append(spark, lake, lineage.runId(), runs);
    return new BronzeReport(lineage.runId(), lineage.ingestedAt(), Instant.now(), runs);
  }

  private static List<TableRun> ingestAll(Ingestion ingestion, List<SourceTable> tables) {
    // ingestion.table catches everything per table: a failure here is a bug, not a table's.
    return Parallel.map(
        "Bronze", "bronze-ingest", ingestion.options.threads(), tables, ingestion::table);
  }

  /**
   * The read options of one table: the same snapshot, fetch size, and key ranges for large reads.
   */
  static Map<String, String> readOptions(
      JdbcSource source,
      BronzeOptions options,
      String dbtable,
      String sessionInit,
      String partitionColumn,
      SourceSnapshot.Counted counted) {
    Map<String, String> o = new LinkedHashMap<>();
    source.properties().forEach((k, v) -> o.put(k.toString(), v.toString()));
    o.put("url", source.url());
    o.put("dbtable", dbtable);
    o.put("fetchsize", Integer.toString(options.fetchSize()));
    o.put("sessionInitStatement", sessionInit);
    if (partitionColumn != null
        && counted.rows() >= options.partitionMinRows()
        && counted.min() != null
        && options.readPartitions() > 1
        && counted.max() > counted.min()) {
      o.put("partitionColumn", partitionColumn);
      o.put("lowerBound", Long.toString(counted.min()));
      // Spark's upper bound is exclusive for the stride only; rows at max land in the last
      // partition.
      o.put("upperBound", Long.toString(counted.max()));
      o.put("numPartitions", Integer.toString(options.readPartitions()));
    }
    return o;
  }

  /**
   * A watermark read from our own table as an exact decimal; only integers and decimals qualify.
   */
  static BigDecimal watermark(Object max) {
    if (max == null) {
      return null;
    }
    if (max instanceof Short
        || max instanceof Integer
        || max instanceof Long
        || max instanceof Byte) {
      return BigDecimal.valueOf(((Number) max).longValue());
    }
    if (max instanceof BigInteger b) {
      return new BigDecimal(b);
    }
    if (max instanceof BigDecimal d) {
      return d;
    }
    throw new IllegalArgumentException(
        "watermark must be an integer or decimal, got " + max.getClass().getSimpleName());
  }

  /** The watermark as a SQL literal: digits, an optional sign and point, nothing else. */
  static String literal(BigDecimal watermark) {
    String s = watermark.toPlainString();
    if (!s.matches("-?[0-9]+(\\.[0-9]+)?")) {
      throw new IllegalArgumentException("not a plain decimal: " + s);
    }
    return s;
  }

  /**
   * A one-line error for bronze._runs and progress: the database's own words when there are some.
   */
  static String errorLine(Throwable e, String password) {
    String line = null;
    for (Throwable c = e; c != null && line == null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof LakehouseException le) {
        line = le.problem();
      } else if (c instanceof SQLException && c.getMessage() != null) {
        line = LakehouseErrors.firstLine(c);
      }
    }
    if (line == null) {
      // A task's failure reaches the driver as text when its exception is not sent back whole:
      // the database's words are then only in the message, after the exception's class name, with
      // no SQLException (nor any Spark error condition) in the chain to read them from.
      line = LakehouseErrors.firstLine(e);
      int at = line.indexOf("PSQLException: ");
      if (at >= 0) {
        line = line.substring(at + "PSQLException: ".length());
      }
    }
    line = line.replaceAll("\\s+", " ").trim();
    if (LakehouseErrors.hasCondition(e, "DELTA_FAILED_TO_MERGE_FIELDS")) {
      // Delta's error for a column whose type changed in the source since Bronze last took it.
      line =
          "a column changed type in the source and Bronze keeps the type it has ("
              + line
              + "); see Schema drift in docs/tables.md";
    }
    if (password != null && !password.isEmpty()) {
      line = line.replace(password, "***");
    }
    return line;
  }

  /**
   * Everything one run shares across its tables; {@link #table} never throws.
   *
   * @param total the run's tables
   * @param done tables finished so far, for progress lines
   */
  private record Ingestion(
      SparkSession spark,
      Lake lake,
      JdbcSource source,
      BronzeOptions options,
      Lineage lineage,
      SourceSnapshot snapshot,
      Progress progress,
      int total,
      AtomicInteger done) {

    TableRun table(SourceTable t) {
      SparkSession.setActiveSession(spark);
      spark.sparkContext().setJobDescription("bronze " + t.name());
      Instant started = now();
      String wm = options.incremental().get(t.name());
      IngestMode mode = wm == null ? IngestMode.FULL : IngestMode.INCREMENTAL;
      String from = null;
      Long rowsRead = null;
      long rowsWritten = 0;
      long previous = Reconciliation.NO_TABLE;
      TableId id = null;
      boolean undone = false;
      TableStatus status;
      String error = null;
      try {
        id = bronzeId(t.name());
        String location = lake.location(id);
        if (wm != null) {
          checkWatermark(t, wm);
        }
        previous = lake.version(spark, id);
        BigDecimal watermark = null;
        if (wm != null && previous != Reconciliation.NO_TABLE) {
          watermark =
              watermark(
                  spark.read().format("delta").load(location).agg(max(col(wm))).first().get(0));
          from = watermark == null ? null : literal(watermark);
        }
        String key =
            wm != null && SourceCatalog.INTEGER_TYPES.contains(t.columns().get(wm))
                ? wm
                : t.integerKey();
        SourceSnapshot.Counted counted = snapshot.count(t, key, wm, watermark);
        rowsRead = counted.rows();
        String fingerprint =
            mode == IngestMode.FULL ? fingerprint(t, snapshot.fingerprint(t)) : null;
        // Nothing to write: no new incremental rows, or a snapshot with exactly the rows (and
        // columns) Bronze took last time. No new version, so nothing downstream looks stale.
        boolean unchanged =
            previous != Reconciliation.NO_TABLE
                && (mode == IngestMode.INCREMENTAL
                    ? counted.rows() == 0
                    : fingerprint.equals(
                        lake.lastCommit(spark, id).map(DeltaLog.Commit::userMetadata).orElse("")));
        if (unchanged) {
          status = TableStatus.UNCHANGED;
        } else {
          String dbtable =
              watermark == null
                  ? t.qualified()
                  : "(SELECT * FROM "
                      + t.qualified()
                      + " WHERE "
                      + SourceCatalog.quote(wm)
                      + " > "
                      + literal(watermark)
                      + ") bronze_src";
          Map<String, String> read =
              readOptions(source, options, dbtable, snapshot.sessionInitStatement(), key, counted);
          Dataset<Row> rows = spark.read().format("jdbc").options(read).load();
          Dataset<Row> out = lineage.apply(rows, t.schema() + "." + t.name());
          DataFrameWriter<Row> writer =
              out.write().format("delta").partitionBy(Lineage.INGESTION_DATE);
          if (!read.containsKey("numPartitions")) {
            // One read partition already gives one file: optimizeWrite's extra shuffle would only
            // cost time.
            writer.option("optimizeWrite", "false");
          }
          if (mode == IngestMode.FULL) {
            writer.option("userMetadata", fingerprint);
            writer.mode(SaveMode.Overwrite).option("overwriteSchema", "true").save(location);
          } else {
            writer.mode(SaveMode.Append).option("mergeSchema", "true").save(location);
          }
          DeltaLog.Commit commit =
              lake.lastCommit(spark, id)
                  .orElseThrow(() -> new IllegalStateException("no Delta table at " + location));
          rowsWritten = commit.outputRows().orElseGet(() -> countRun(location, commit.version()));
          Reconciliation.Action action =
              Reconciliation.afterCommit(rowsRead, rowsWritten, previous, commit.version());
          if (action != Reconciliation.Action.KEEP) {
            undo(action, id, previous);
            undone = true;
            throw LakehouseErrors.bronzeReconciliation(t.name(), rowsRead, rowsWritten);
          }
          status = TableStatus.SUCCEEDED;
        }
      } catch (Exception e) {
        error = errorLine(e, source.password());
        if (id != null && !undone) {
          error = undoAfterFailure(id, previous, error);
        }
        status = TableStatus.FAILED;
      }
      TableRun run =
          new TableRun(
              t.name(), mode, wm, from, started, now(), rowsRead, rowsWritten, status, error);
      report(run);
      return run;
    }

    private void checkWatermark(SourceTable t, String wm) {
      String type = t.columns().get(wm);
      if (type == null) {
        throw LakehouseErrors.watermarkColumnInvalid(
            t.name(),
            wm,
            "does not exist (columns: " + String.join(", ", t.columns().keySet()) + ")");
      }
      if (!SourceCatalog.WATERMARK_TYPES.contains(type)) {
        throw LakehouseErrors.watermarkColumnInvalid(
            t.name(), wm, "has type " + type + ", not an integer or numeric");
      }
    }

    /** Counts this run's rows in the committed version, when Delta did not record numOutputRows. */
    private long countRun(String location, long version) {
      return spark
          .read()
          .format("delta")
          .option("versionAsOf", version)
          .load(location)
          .filter(col(Lineage.RUN_ID).equalTo(lineage.runId()))
          .count();
    }

    private void undo(Reconciliation.Action action, TableId id, long previous) {
      switch (action) {
        // A new commit whose content is the previous version's.
        case RESTORE_PREVIOUS -> lake.delta(spark, id).restoreToVersion(previous);
        case DELETE_TABLE -> lake.delete(spark, id);
        case KEEP, NOTHING_TO_UNDO -> {}
      }
    }

    /** Best effort: a commit this run made must not stay behind a FAILED status. */
    private String undoAfterFailure(TableId id, long previous, String error) {
      try {
        long current = lake.version(spark, id);
        undo(Reconciliation.afterFailure(previous, current), id, previous);
        return error;
      } catch (Exception undoFailure) {
        return error
            + " (and undoing the commit failed: "
            + errorLine(undoFailure, source.password())
            + ")";
      }
    }

    private void report(TableRun r) {
      int i = done.incrementAndGet();
      String line =
          r.status() == TableStatus.FAILED
              ? String.format(
                  Locale.ROOT,
                  "[%d/%d] %s: %s, FAILED: %s (%.1f s)",
                  i,
                  total,
                  r.table(),
                  r.mode().id(),
                  r.error(),
                  r.seconds())
              : String.format(
                  Locale.ROOT,
                  "[%d/%d] %s: %s, %d rows read, %d written (%.1f s)%s",
                  i,
                  total,
                  r.table(),
                  r.mode().id(),
                  r.rowsRead(),
                  r.rowsWritten(),
                  r.seconds(),
                  r.status() == TableStatus.UNCHANGED ? ", unchanged" : "");
      progress.report(line);
    }
  }

  private static TableId bronzeId(String sourceTable) {
    try {
      return TableId.bronze(sourceTable);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "source table name "
              + sourceTable
              + " is not a valid lake table name (lower-case letters, digits and '_')");
    }
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
