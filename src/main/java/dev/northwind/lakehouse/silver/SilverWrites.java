package dev.northwind.lakehouse.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.lake.TableId;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * The writing edge of Silver: Delta MERGEs that change only rows that differ, and skip the MERGE
 * (no new table version) when nothing differs, so re-runs are idempotent and cheap. Table locations
 * come from {@link Lake#location} only.
 */
final class SilverWrites {

  /** Column that marks source rows of {@link #upsert}: {@code upsert} or {@code delete}. */
  static final String ACTION = "__action";

  static final String UPSERT = "upsert";
  static final String DELETE = "delete";

  /**
   * The Delta table property naming the columns whose min/max statistics each data file records: a
   * table is created with its keys there, which reads filter on (statistics on every amount and
   * name were a fifth of the time to write the facts at scale 1000).
   */
  private static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

  /**
   * The Delta table property that lets MERGE, UPDATE and DELETE mark the rows they replace in a
   * deletion vector instead of rewriting every data file that holds one: an apply of a few thousand
   * captured updates of order lines spread over the whole table rewrote nearly all of {@code
   * fact_order_line} and {@code cdc_state} at scale 1000.
   */
  private static final String DELETION_VECTORS = "delta.enableDeletionVectors";

  /**
   * Creates a table Silver MERGEs into from its first rows: statistics on its {@code keys} only,
   * deletion vectors on.
   */
  static void create(Dataset<Row> rows, String location, List<String> keys) {
    rows.write()
        .format("delta")
        .mode("append")
        .option(STATS_COLUMNS, String.join(",", keys))
        .option(DELETION_VECTORS, "true")
        .save(location);
  }

  /**
   * Source rows for {@link #upsert}: {@code upserts} to insert or update, and {@code deletes}
   * (reduced to the upserts' columns) to remove.
   */
  static Dataset<Row> withDeletes(Dataset<Row> upserts, Dataset<Row> deletes) {
    Column[] columns = Arrays.stream(upserts.columns()).map(c -> col(c)).toArray(Column[]::new);
    return upserts
        .withColumn(ACTION, lit(UPSERT))
        .unionByName(deletes.select(columns).withColumn(ACTION, lit(DELETE)));
  }

  /** Which target rows an upsert may update or delete. */
  enum Guard {
    /** Any matched row. */
    ANY,
    /** Only rows with source = 'stream' (the stream never overwrites batch rows). */
    STREAM_ROWS_ONLY
  }

  private SilverWrites() {}

  /**
   * Upserts {@code source} into the table on {@code keys}: matched rows are updated only when a
   * {@code compared} column differs (null-safe), unmatched rows are inserted, and source rows with
   * {@link #ACTION} = delete remove their matched row. Source columns are the table's columns, plus
   * optionally {@link #ACTION}. Creates the table from the upserts when it does not exist.
   *
   * @return the number of source rows that change the table (0: nothing written)
   */
  static long upsert(
      SparkSession spark,
      Lake lake,
      TableId table,
      Dataset<Row> source,
      List<String> keys,
      List<String> compared,
      Guard guard) {
    Dataset<Row> tagged =
        List.of(source.columns()).contains(ACTION)
            ? source
            : source.withColumn(ACTION, lit(UPSERT));
    String location = lake.location(table);
    if (!lake.exists(spark, table)) {
      return created(
          spark, lake, table, tagged.where(col(ACTION).equalTo(UPSERT)).drop(ACTION), keys);
    }
    Dataset<Row> target = spark.read().format("delta").load(location);
    // Keep only upserts that differ from the target: an unchanged re-run then writes nothing.
    Column same = lit(true);
    for (String c : compared) {
      same = same.and(col("s." + c).eqNullSafe(col("t." + c)));
    }
    Dataset<Row> changedUpserts =
        tagged.where(col(ACTION).equalTo(UPSERT)).as("s").join(target.as("t"), same, "left_anti");
    Dataset<Row> changes =
        cachedApart(changedUpserts.unionByName(tagged.where(col(ACTION).equalTo(DELETE))));
    try {
      long n = changes.count();
      if (n == 0) {
        return 0;
      }
      String on =
          keys.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
      String guardSql = guard == Guard.STREAM_ROWS_ONLY ? " AND t.source = 'stream'" : "";
      String differs =
          compared.stream()
              .map(c -> "t." + c + " <=> s." + c)
              .collect(Collectors.joining(" AND ", "NOT (", ")"));
      Map<String, String> set = new LinkedHashMap<>();
      for (String c : target.columns()) {
        set.put(c, "s." + c);
      }
      DeltaTable.forPath(spark, location)
          .as("t")
          .merge(changes.as("s"), on)
          .whenMatched("s." + ACTION + " = '" + DELETE + "'" + guardSql)
          .delete()
          .whenMatched("s." + ACTION + " = '" + UPSERT + "' AND " + differs + guardSql)
          .updateExpr(set)
          .whenNotMatched("s." + ACTION + " = '" + UPSERT + "'")
          .insertExpr(set)
          .execute();
      return n;
    } finally {
      changes.unpersist(false);
    }
  }

  /**
   * {@code rows} cached (executors' storage, recomputed from their lineage if lost) under a plan
   * that reads no table: the RDD of their planned query ({@link SparkSessions#planned}). After it
   * commits, Delta's MERGE plans again every cached Dataset whose plan reads its target ({@code
   * CacheManager.recacheByPlan}), and the changes a MERGE applies read it (the upserts not already
   * in the target, the deletes of its rows): cached as they were, they were planned again, a Delta
   * snapshot and a scan, just before being dropped (about a second per MERGE at scale 100).
   */
  static Dataset<Row> cachedApart(Dataset<Row> rows) {
    return SparkSessions.planned(rows).persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * SCD2 MERGE of {@code dim_customer}: a new customer inserts a current version; a changed
   * row_hash closes the current version (valid_to = at, is_current = false) and inserts a new one;
   * unchanged customers are untouched. When nothing changed no MERGE runs (no new table version).
   *
   * @param rows {@link SilverTransforms#customerRows} of the current snapshot
   * @return the number of versions inserted
   */
  static long mergeCustomers(SparkSession spark, Lake lake, Dataset<Row> rows, Timestamp at) {
    TableId table = TableId.silver("dim_customer");
    String location = lake.location(table);
    if (!lake.exists(spark, table)) {
      return upsert(
          spark,
          lake,
          table,
          versions(rows, lit(0L), at),
          List.of("customer_sk"),
          List.of("customer_sk"),
          Guard.ANY);
    }
    Dataset<Row> current = spark.read().format("delta").load(location).where(col("is_current"));
    Dataset<Row> changed =
        cachedApart(
            rows.as("s")
                .join(current.as("t"), col("s.customer_id").equalTo(col("t.customer_id")), "left")
                .where(
                    col("t.customer_id").isNull().or(col("t.row_hash").notEqual(col("s.row_hash"))))
                .select(col("s.*"), col("t.customer_id").isNotNull().as("__has_current")));
    try {
      long n = changed.count();
      if (n == 0) {
        return 0;
      }
      Row maxSk = spark.read().format("delta").load(location).agg(max("customer_sk")).first();
      long base = maxSk.isNullAt(0) ? 0 : maxSk.getLong(0);
      Dataset<Row> inserts =
          versions(changed.drop("__has_current"), lit(base), at)
              .withColumn("__merge_key", lit(null).cast(DataTypes.StringType));
      // Rows keyed by customer_id match the current version and close it; NULL-keyed rows insert.
      Dataset<Row> closes =
          versions(changed.where(col("__has_current")).drop("__has_current"), lit(base), at)
              .withColumn("__merge_key", col("customer_id"));
      Map<String, String> insert = new LinkedHashMap<>();
      for (String c : current.columns()) {
        insert.put(c, "s." + c);
      }
      DeltaTable.forPath(spark, location)
          .as("t")
          .merge(
              closes.unionByName(inserts).as("s"), "t.customer_id = s.__merge_key AND t.is_current")
          .whenMatched("t.row_hash <> s.row_hash")
          .updateExpr(Map.of("is_current", "false", "valid_to", "s.valid_from"))
          .whenNotMatched("s.__merge_key IS NULL")
          .insertExpr(insert)
          .execute();
      return n;
    } finally {
      changed.unpersist(false);
    }
  }

  /** New current versions with surrogate keys base+1, base+2, … in customer_id order. */
  private static Dataset<Row> versions(Dataset<Row> rows, Column base, Timestamp at) {
    Column sk =
        base.plus(row_number().over(Window.orderBy("customer_id")))
            .cast(DataTypes.LongType)
            .as("customer_sk");
    Column[] body =
        SilverTransforms.customerVersion(
            lit(at).as("valid_from"),
            lit(null).cast(DataTypes.TimestampType).as("valid_to"),
            lit(true).as("is_current"));
    Column[] all = new Column[body.length + 1];
    all[0] = sk;
    System.arraycopy(body, 0, all, 1, body.length);
    return rows.select(all);
  }

  /**
   * Appends rows whose keys the table does not hold (the caller knows), in the table's column
   * order; creates the table as {@link #create} does when it does not exist.
   *
   * @return rows written, from the commit's metrics (no count of the rows first)
   */
  static long appendNew(
      SparkSession spark, Lake lake, TableId table, Dataset<Row> rows, List<String> keys) {
    if (!lake.exists(spark, table)) {
      return created(spark, lake, table, rows, keys);
    }
    Column[] columns =
        Arrays.stream(lake.read(spark, table).columns()).map(c -> col(c)).toArray(Column[]::new);
    rows.select(columns).write().format("delta").mode("append").save(lake.location(table));
    return rowsWritten(spark, lake, table);
  }

  /** Creates the table from {@code rows} ({@link #create}); the rows written. */
  private static long created(
      SparkSession spark, Lake lake, TableId table, Dataset<Row> rows, List<String> keys) {
    create(rows, lake.location(table), keys);
    return rowsWritten(spark, lake, table);
  }

  /**
   * The rows the table's last commit wrote, from its metrics: a count() first would run the whole
   * plan (joins, quality checks) a second time just to report it.
   */
  private static long rowsWritten(SparkSession spark, Lake lake, TableId table) {
    return lake.lastCommitMetrics(spark, table).getOrDefault("numOutputRows", 0L);
  }

  /** Appends rows (no-op when {@code expectRows} is 0, so no empty commit). */
  static void append(Lake lake, TableId table, Dataset<Row> rows, long expectRows) {
    if (expectRows > 0) {
      rows.write().format("delta").mode("append").save(lake.location(table));
    }
  }
}
