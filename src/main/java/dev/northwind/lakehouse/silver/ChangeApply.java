package dev.northwind.lakehouse.silver;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.Resources;
import dev.northwind.lakehouse.cdc.CdcBronzeJob;
import dev.northwind.lakehouse.lake.CommitUnits;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.quality.CheckedRows;
import dev.northwind.lakehouse.quality.Expectations;
import dev.northwind.lakehouse.quality.Quality;
import dev.northwind.lakehouse.silver.SilverWrites.Guard;
import dev.northwind.lakehouse.stream.StreamJob;
import java.sql.Timestamp;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Silver from captured changes (AUTO CDC semantics), once the lake has switched to change data
 * capture ({@code bronze.cdc_changes} exists). Two steps, each idempotent:
 *
 * <ol>
 *   <li>The latest change per source row ({@link ChangeTransforms#latestPerKey}) is merged into
 *       {@code silver.cdc_state} only when its sequence is higher than the stored one ({@code
 *       sql/cdc/apply_state.sql}); deletes stay as tombstones.
 *   <li>Silver's dimensions and facts are computed from the live rows of every captured table with
 *       the batch transforms and expectations ({@link SilverTransforms}, {@link Quality}), and the
 *       tables are made equal to them: changed rows upserted, rows whose source row is gone
 *       deleted. {@code dim_customer} keeps a version per captured change of a tracked attribute
 *       ({@link ChangeTransforms#customerVersions}), after the versions the batch built.
 * </ol>
 *
 * <p>Step 2 is computed from the whole state, not from the changes of this run, so a run that died
 * between the steps (or a change that arrived late, out of order or twice) is made good by the next
 * one. A refresh of the pipeline graph, which knows the change table's version Silver last
 * consumed, redoes only the orders the changes since then touched when they are all of orders and
 * order lines (the common case: orders shipped, lines corrected); those orders are still recomputed
 * from every row the state holds for them, so the result is the same. Source tables that are not
 * captured are read from their Bronze batch tables, as {@link SilverJob} does.
 */
public final class ChangeApply {

  /** The applied state: the latest change per captured source row, deletes as tombstones. */
  public static final TableId STATE = TableId.silver("cdc_state");

  private static final List<String> STATE_KEYS = List.of("source_schema", "source_table", "key");
  private static final List<String> LINE_KEYS = List.of("order_id", "product_id");
  private static final List<String> ORDER_KEYS = List.of("order_id");

  private ChangeApply() {}

  /**
   * Whether Silver is built from captured changes: once {@code lakehouse cdc} has written {@code
   * bronze.cdc_changes}. Its first capture is a snapshot of every captured table taken at the
   * replication slot's starting point, so from then on the changes alone are the whole source.
   */
  public static boolean active(SparkSession spark, Lake lake) {
    return lake.exists(spark, CdcBronzeJob.CHANGES);
  }

  /**
   * Applies the captured changes to {@code silver.cdc_state} and brings every Silver table in line
   * with the state (and with the batch Bronze tables of source tables that are not captured).
   *
   * @throws dev.northwind.lakehouse.LakehouseException when a FAIL expectation fails (Silver's
   *     dimensions and facts unchanged)
   */
  public static SilverReport run(SparkSession caller, Lake lake, String runId, Progress progress) {
    return run(caller, lake, runId, progress, Map.of());
  }

  /**
   * {@link #run(SparkSession, Lake, String, Progress)}, from what {@code bronze.cdc_changes} gained
   * since {@code consumed}, the Bronze versions Silver's last refresh read. The state takes only
   * the changes appended since then. When those changes are all of orders and order lines, no other
   * input moved, and every Silver table exists, only the orders they touch (and the orders the
   * order-event stream appended since) are checked and written: every fact row of an order depends
   * only on that order's rows and on the dimensions, so redoing just those orders, with every row
   * the state holds for them, gives what recomputing from the whole state gives. Otherwise Silver
   * is compared with the whole state.
   *
   * @param consumed qualified Bronze table name → the version Silver last consumed; empty for a
   *     comparison with the whole state
   */
  public static SilverReport run(
      SparkSession caller, Lake lake, String runId, Progress progress, Map<String, Long> consumed) {
    SparkSession spark =
        SparkSessions.nonAdaptive(caller, lake.bytes(caller, CdcBronzeJob.CHANGES));
    Timestamp at = SilverJob.now();
    long started = System.nanoTime();
    Dataset<Row> changes = SilverJob.bronze(spark, lake, CdcBronzeJob.CHANGES.name());
    Optional<Dataset<Row>> added =
        added(spark, lake, consumed, progress).map(a -> a.persist(StorageLevel.MEMORY_AND_DISK()));
    try {
      Optional<Dataset<Row>> touched =
          SparkSessions.step(
              spark,
              "silver cdc: what changed",
              () -> added.flatMap(a -> touchedOrders(spark, lake, a, consumed, progress)));
      progress.report(
          "silver: run "
              + runId
              + (touched.isPresent()
                  ? " (applying captured changes to the orders they touched)"
                  : " (applying captured changes)"));
      Map<String, Long> changed = new LinkedHashMap<>();
      changed.put(
          STATE.name(),
          SparkSessions.step(
              spark, "silver cdc: state", () -> applyState(spark, lake, added.orElse(changes))));
      Apply run = new Apply(spark, lake, runId, progress, at, started, changed);
      if (touched.isPresent()) {
        Dataset<Row> ids = touched.get().persist(StorageLevel.MEMORY_AND_DISK());
        try {
          return applyToOrders(run, ids);
        } finally {
          ids.unpersist(false);
        }
      }
      return applyAll(run, changes);
    } finally {
      added.ifPresent(a -> a.unpersist(false));
    }
  }

  /** What one apply works with: the session, the lake, the run, and the changes it counts. */
  private record Apply(
      SparkSession spark,
      Lake lake,
      String runId,
      Progress progress,
      Timestamp at,
      long started,
      Map<String, Long> changed) {}

  /** Silver made equal to the whole state (and to the batch Bronze tables not captured). */
  private static SilverReport applyAll(Apply a, Dataset<Row> changes) {
    SparkSession spark = a.spark();
    Lake lake = a.lake();
    Map<String, Long> changed = a.changed();
    Dataset<Row> state = lake.read(spark, STATE).persist(StorageLevel.MEMORY_AND_DISK());
    try (SilverChecks checks = new SilverChecks(a.runId(), a.at(), a.progress())) {
      Set<String> captured = captured(state);
      Sources sources = new Sources(spark, lake, state, captured);
      CheckedRows customers =
          checks.dimension(sources.table("customers"), Expectations.DIM_CUSTOMER);
      CheckedRows products = checks.dimension(sources.table("products"), Expectations.DIM_PRODUCT);
      CheckedRows employees =
          checks.dimension(sources.table("employees"), Expectations.DIM_EMPLOYEE);
      Dataset<Row> customerIds = SilverTransforms.customerIds(customers.good());
      Dataset<Row> productIds = SilverTransforms.productIds(products.good());
      SilverChecks.Orders checkedOrders =
          checks.orders(
              sources.table("orders"), sources.table("order_details"), customerIds, productIds);

      // Every check passed: from here on Silver is written.
      changed.put(
          SilverJob.DIM_CUSTOMER.name(),
          captured.contains("customers")
              ? writeCustomers(spark, lake, changes, sources.like("customers"))
              : SilverWrites.mergeCustomers(
                  spark, lake, SilverTransforms.customerRows(customers.good()), a.at()));
      Dataset<Row> dimProduct =
          SilverTransforms.dimProduct(
              products.good(),
              sources.table("categories").drop("picture"),
              sources.table("suppliers"));
      changed.put(
          SilverJob.DIM_PRODUCT.name(),
          replaceDimension(
              spark,
              lake,
              SilverJob.DIM_PRODUCT,
              dimProduct,
              "product_id",
              captured.contains("products")));
      Dataset<Row> dimEmployee = SilverTransforms.dimEmployee(employees.good());
      changed.put(
          SilverJob.DIM_EMPLOYEE.name(),
          replaceDimension(
              spark,
              lake,
              SilverJob.DIM_EMPLOYEE,
              dimEmployee,
              "employee_id",
              captured.contains("employees")));

      // Every line and order the source no longer has goes (rows from the order-event stream stay).
      replaceFacts(
          a,
          checkedOrders,
          t -> t.where(batchRows(captured.contains("order_details"))),
          t -> t.where(batchRows(captured.contains("orders"))));
      Dataset<Row> orderDates = lake.read(spark, SilverJob.FACT_ORDER).select("order_date");
      changed.put(
          SilverJob.DIM_DATE.name(),
          SilverJob.upsertAll(
              spark,
              lake,
              SilverJob.DIM_DATE,
              SilverTransforms.dimDate(orderDates),
              List.of("date_key")));

      return finish(
          a,
          checks,
          events -> events,
          " from captured changes (" + String.join(", ", sorted(captured)) + ")");
    } finally {
      state.unpersist(false);
    }
  }

  /** The captured source tables: those the state holds rows of. */
  private static Set<String> captured(Dataset<Row> state) {
    Set<String> captured = new HashSet<>();
    state
        .select("source_table")
        .distinct()
        .collectAsList()
        .forEach(r -> captured.add(r.getString(0)));
    return captured;
  }

  /**
   * The changes {@code bronze.cdc_changes} appended since the version Silver last consumed, or
   * empty when the whole table must be read: nothing consumed, no state yet, or a commit since then
   * rewrote rows ({@link Lake#appended}).
   */
  private static Optional<Dataset<Row>> added(
      SparkSession spark, Lake lake, Map<String, Long> consumed, Progress progress) {
    Long from = consumed.get(CdcBronzeJob.CHANGES.qualified());
    if (from == null || !lake.exists(spark, STATE)) {
      return Optional.empty();
    }
    Optional<Dataset<Row>> added =
        lake.appended(spark, CdcBronzeJob.CHANGES, from, lake.version(spark, CdcBronzeJob.CHANGES));
    if (added.isEmpty()) {
      whole(progress, CdcBronzeJob.CHANGES.qualified() + " was rewritten since the last run");
    }
    return added;
  }

  /** The source tables whose changes touch only the orders they name. */
  private static final Set<String> ORDER_TABLES = Set.of("orders", "order_details");

  /**
   * The ids of the orders Silver must redo (column {@code order_id}), or empty when Silver must be
   * compared with the whole state: a Silver table is missing, an input other than the change and
   * event tables moved since {@code consumed}, a change of {@code added} is not of an order or an
   * order line, or the order-event table was rewritten.
   */
  private static Optional<Dataset<Row>> touchedOrders(
      SparkSession spark,
      Lake lake,
      Dataset<Row> added,
      Map<String, Long> consumed,
      Progress progress) {
    for (TableId t : SilverJob.TABLES) {
      if (!t.equals(SilverJob.QUARANTINE)
          && !t.equals(SilverJob.QUALITY_RESULTS)
          && !lake.exists(spark, t)) {
        return whole(progress, t.qualified() + " does not exist yet");
      }
    }
    Set<String> moving =
        Set.of(CdcBronzeJob.CHANGES.qualified(), StreamJob.ORDER_EVENTS.qualified());
    for (Map.Entry<String, Long> e : consumed.entrySet()) {
      long now = TableId.parse(e.getKey()).map(t -> lake.version(spark, t)).orElse(Long.MIN_VALUE);
      if (!moving.contains(e.getKey()) && now != e.getValue()) {
        return whole(progress, e.getKey() + " changed since the last run");
      }
    }
    Set<String> tables = captured(added);
    if (!ORDER_TABLES.containsAll(tables)) {
      return whole(progress, "changes of " + String.join(", ", sorted(tables)));
    }
    Dataset<Row> ids = added.select(orderId(coalesce(col("after"), col("before"))));
    Long from = consumed.get(StreamJob.ORDER_EVENTS.qualified());
    long to = lake.version(spark, StreamJob.ORDER_EVENTS);
    if (to >= 0 && (from == null || from != to)) {
      Optional<Dataset<Row>> events =
          from == null ? Optional.empty() : lake.appended(spark, StreamJob.ORDER_EVENTS, from, to);
      if (events.isEmpty()) {
        return whole(progress, StreamJob.ORDER_EVENTS.qualified() + " was rewritten");
      }
      ids = ids.unionByName(events.get().select(SilverTransforms.key("order_id").as("order_id")));
    }
    return Optional.of(ids.where(col("order_id").isNotNull()).distinct());
  }

  /** No touched orders: Silver is compared with the whole state, for the reason said. */
  private static Optional<Dataset<Row>> whole(Progress progress, String reason) {
    progress.report("silver: comparing Silver with the whole captured state (" + reason + ")");
    return Optional.empty();
  }

  /** The order id of a row image of an order or an order line, as Silver types it. */
  private static Column orderId(Column row) {
    return get_json_object(row, "$.order_id").cast(DataTypes.IntegerType).as("order_id");
  }

  /**
   * Silver's facts redone for the orders {@code ids} only (their rows in the state, the current
   * dimensions as lookups), with their stream events merged again; dimensions are not written (no
   * change of theirs was captured since the last run).
   */
  private static SilverReport applyToOrders(Apply a, Dataset<Row> ids) {
    SparkSession spark = a.spark();
    Lake lake = a.lake();
    Dataset<Row> state = lake.read(spark, STATE);
    Set<String> captured = captured(state);
    try (SilverChecks checks = new SilverChecks(a.runId(), a.at(), a.progress())) {
      Sources sources = new Sources(spark, lake, state, captured);
      // The lookups are Silver's dimensions, as the stream's merge has them: no change of a
      // customer or a product was captured since the run that wrote them, so their current rows
      // are the good rows a comparison with the whole state would check again (a deleted or
      // dropped customer has no current version, a deleted product no row).
      SilverChecks.Orders checkedOrders =
          SparkSessions.step(
              spark,
              "silver cdc: expectations of the touched orders",
              () ->
                  checks.orders(
                      sources.orders("orders", ids),
                      sources.orders("order_details", ids),
                      SilverJob.currentCustomerIds(spark, lake),
                      SilverJob.productIds(spark, lake)));

      // Every check passed: from here on Silver is written.
      UnaryOperator<Dataset<Row>> touched = t -> t.join(broadcast(ids), "order_id", "left_semi");
      replaceFacts(
          a,
          checkedOrders,
          inScope(touched, captured.contains("order_details")),
          inScope(touched, captured.contains("orders")));
      a.changed()
          .put(
              SilverJob.DIM_DATE.name(),
              SilverJob.upsertCalendar(spark, lake, SilverJob.orderDates(checkedOrders)));
      return finish(a, checks, touched, " from captured changes (the orders they touched)");
    }
  }

  /**
   * The end of an apply: the quarantine written, the streamed orders of {@code events} (a selection
   * of {@code bronze.order_events}) merged again (the batch wins), the expectations' results.
   */
  private static SilverReport finish(
      Apply a, SilverChecks checks, UnaryOperator<Dataset<Row>> events, String from) {
    SparkSession spark = a.spark();
    Lake lake = a.lake();
    Map<String, Long> changed = a.changed();
    long dropped = checks.dropped();
    changed.put(SilverJob.QUARANTINE.name(), checks.writeQuarantine(spark, lake));
    if (lake.exists(spark, StreamJob.ORDER_EVENTS)) {
      dropped +=
          SilverJob.mergeStreamEvents(
              spark,
              lake,
              events.apply(lake.read(spark, StreamJob.ORDER_EVENTS)),
              a.runId(),
              SilverJob.Calendar.NOW,
              changed);
    }
    return checks.finish(spark, lake, changed, dropped, a.started(), from);
  }

  /**
   * Makes the facts equal to the checked orders: their rows upserted into {@code fact_order_line}
   * and {@code fact_order}, and the stored rows each scope keeps that they no longer have deleted.
   */
  private static void replaceFacts(
      Apply a,
      SilverChecks.Orders checked,
      UnaryOperator<Dataset<Row>> lineScope,
      UnaryOperator<Dataset<Row>> orderScope) {
    SparkSession spark = a.spark();
    Lake lake = a.lake();
    Map<String, Long> changed = a.changed();
    Dataset<Row> goodLines = checked.lines().good();
    Dataset<Row> goodOrders = checked.orders().good();
    Dataset<Row> factLines =
        SilverTransforms.factOrderLines(goodLines, goodOrders, Source.BATCH, a.runId(), a.at());
    Dataset<Row> factOrders =
        SilverTransforms.factOrders(goodOrders, goodLines, Source.BATCH, a.runId(), a.at());
    // One unit: Gold in this JVM lists the facts' versions before or after both commits.
    CommitUnits.together(
        () -> {
          changed.put(
              SilverJob.FACT_ORDER_LINE.name(),
              SparkSessions.step(
                  spark,
                  "silver cdc: merge fact_order_line",
                  () ->
                      replace(
                          spark,
                          lake,
                          SilverJob.FACT_ORDER_LINE,
                          factLines,
                          LINE_KEYS,
                          SilverJob.compared(SilverTransforms.FACT_ORDER_LINE_COLUMNS),
                          lineScope)));
          changed.put(
              SilverJob.FACT_ORDER.name(),
              SparkSessions.step(
                  spark,
                  "silver cdc: merge fact_order",
                  () ->
                      replace(
                          spark,
                          lake,
                          SilverJob.FACT_ORDER,
                          factOrders,
                          ORDER_KEYS,
                          SilverJob.compared(SilverTransforms.FACT_ORDER_COLUMNS),
                          orderScope)));
          return null;
        });
  }

  /** The rows the database gave, when their source table is captured (else none). */
  private static Column batchRows(boolean captured) {
    return col("source").equalTo(Source.BATCH.id()).and(lit(captured));
  }

  /**
   * The stored batch rows of the touched orders, where their source table is captured: the rows
   * that go when the state no longer has them (rows from the order-event stream stay).
   */
  private static UnaryOperator<Dataset<Row>> inScope(
      UnaryOperator<Dataset<Row>> touched, boolean captured) {
    return t -> touched.apply(t.where(batchRows(captured)));
  }

  /**
   * Merges the latest change per row into {@code silver.cdc_state} (created by the first run).
   *
   * @return the number of state rows inserted or replaced (0: no commit)
   */
  static long applyState(SparkSession spark, Lake lake, Dataset<Row> changes) {
    Dataset<Row> latest = ChangeTransforms.latestPerKey(changes);
    if (!lake.exists(spark, STATE)) {
      SilverWrites.create(latest, lake.location(STATE), STATE_KEYS);
      return lake.lastCommitMetrics(spark, STATE).getOrDefault("numOutputRows", 0L);
    }
    // Only rows whose change is not stored yet: a run with nothing new commits nothing.
    Dataset<Row> stored = lake.read(spark, STATE).select("source_table", "key", "change_id");
    Dataset<Row> fresh =
        SilverWrites.cachedApart(
            latest.join(stored, scala(List.of("source_table", "key", "change_id")), "left_anti"));
    try {
      long n = fresh.count();
      if (n == 0) {
        return 0;
      }
      String view = "cdc_latest_" + UUID.randomUUID().toString().replace('-', '_');
      String sql = Resources.sql("cdc", "apply_state");
      fresh.createOrReplaceTempView(view);
      try {
        lake.registerReferenced(spark, sql);
        spark.sql(sql.replace("cdc_latest", view)).collect();
      } finally {
        spark.catalog().dropTempView(view);
      }
      return lake.lastCommitMetrics(spark, STATE).getOrDefault("numTargetRowsUpdated", 0L)
          + lake.lastCommitMetrics(spark, STATE).getOrDefault("numTargetRowsInserted", 0L);
    } finally {
      fresh.unpersist(false);
    }
  }

  /** dim_customer made equal to {@link ChangeTransforms#customerHistory}; versions written. */
  private static long writeCustomers(
      SparkSession spark, Lake lake, Dataset<Row> changes, StructType like) {
    Dataset<Row> customerChanges = changes.where(col("source_table").equalTo("customers"));
    Row first = customerChanges.agg(min("commit_time")).first();
    Timestamp cutover = first.getTimestamp(0);
    Dataset<Row> versions = ChangeTransforms.customerVersions(customerChanges, like);
    Dataset<Row> existing =
        lake.exists(spark, SilverJob.DIM_CUSTOMER)
            ? lake.read(spark, SilverJob.DIM_CUSTOMER)
            : spark.createDataFrame(List.of(), dimCustomerSchema());
    Dataset<Row> desired =
        ChangeTransforms.customerHistory(existing, versions, lit(cutover))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<String> keys = List.of("customer_id", "valid_from");
      List<String> compared =
          ChangeTransforms.DIM_CUSTOMER_COLUMNS.stream()
              .filter(c -> !c.equals("customer_sk"))
              .toList();
      return replace(spark, lake, SilverJob.DIM_CUSTOMER, desired, keys, compared, t -> t);
    } finally {
      desired.unpersist(false);
    }
  }

  /**
   * Makes {@code table} hold {@code desired}: rows that differ are upserted, and the stored rows
   * {@code scope} keeps whose key is not among the desired rows are deleted.
   *
   * @return rows changed
   */
  private static long replace(
      SparkSession spark,
      Lake lake,
      TableId table,
      Dataset<Row> desired,
      List<String> keys,
      List<String> compared,
      UnaryOperator<Dataset<Row>> scope) {
    if (!lake.exists(spark, table)) {
      return SilverWrites.upsert(spark, lake, table, desired, keys, compared, Guard.ANY);
    }
    Dataset<Row> gone =
        scope
            .apply(lake.read(spark, table))
            .join(
                desired.select(keys.stream().map(k -> col(k)).toArray(Column[]::new)),
                scala(keys),
                "left_anti");
    return SilverWrites.upsert(
        spark, lake, table, SilverWrites.withDeletes(desired, gone), keys, compared, Guard.ANY);
  }

  /**
   * {@link #replace} for a dimension, every column compared; rows whose source row is gone are
   * deleted only when its source table is {@code captured} (else it is read from batch Bronze).
   */
  private static long replaceDimension(
      SparkSession spark,
      Lake lake,
      TableId table,
      Dataset<Row> rows,
      String key,
      boolean captured) {
    return replace(
        spark,
        lake,
        table,
        rows,
        List.of(key),
        List.of(rows.columns()),
        t -> captured ? t : t.limit(0));
  }

  private static scala.collection.immutable.Seq<String> scala(List<String> columns) {
    return scala.jdk.javaapi.CollectionConverters.asScala(columns).toSeq();
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  private static StructType dimCustomerSchema() {
    StructType t = new StructType().add("customer_sk", DataTypes.LongType);
    for (String c : ChangeTransforms.DIM_CUSTOMER_COLUMNS.subList(1, 12)) {
      t = t.add(c, DataTypes.StringType);
    }
    return t.add("valid_from", DataTypes.TimestampType)
        .add("valid_to", DataTypes.TimestampType)
        .add("is_current", DataTypes.BooleanType);
  }

  /** Where each source table's current rows come from: its live captured rows, or batch Bronze. */
  private static final class Sources {
    private final SparkSession spark;
    private final Lake lake;
    private final Dataset<Row> state;
    private final Set<String> captured;

    Sources(SparkSession spark, Lake lake, Dataset<Row> state, Set<String> captured) {
      this.spark = spark;
      this.lake = lake;
      this.state = state;
      this.captured = captured;
    }

    Dataset<Row> table(String name) {
      if (captured.contains(name)) {
        return ChangeTransforms.liveRows(state, name, like(name));
      }
      return latest(name, SilverJob.bronze(spark, lake, name));
    }

    /** A Bronze batch table's current rows: the latest row per key of the order tables. */
    private static Dataset<Row> latest(String name, Dataset<Row> bronze) {
      return switch (name) {
        case "orders" -> SilverTransforms.latestPerKey(bronze, "order_id");
        case "order_details" -> SilverTransforms.latestPerKey(bronze, "order_id", "product_id");
        default -> bronze;
      };
    }

    /** {@link #table} of an order table, only the rows of the orders {@code ids}. */
    Dataset<Row> orders(String name, Dataset<Row> ids) {
      Dataset<Row> keep = broadcast(ids.select(col("order_id").as("__oid")));
      if (captured.contains(name)) {
        Dataset<Row> rows =
            state
                .where(col("source_table").equalTo(name))
                .join(keep, orderId(col("row")).equalTo(col("__oid")), "left_semi");
        return ChangeTransforms.liveRows(rows, name, like(name));
      }
      return latest(
          name,
          SilverJob.bronze(spark, lake, name)
              .join(keep, SilverTransforms.key("order_id").equalTo(col("__oid")), "left_semi"));
    }

    /**
     * The columns of a captured table and their types: those of its Bronze batch table when there
     * is one (so values are typed as the batch reads them), else inferred from the row images (JSON
     * numbers as BIGINT or DOUBLE, everything else as text: a {@code real} arrives as its shortest
     * decimal text, which the Silver money rule reads exactly).
     */
    StructType like(String name) {
      TableId batch = TableId.bronze(name);
      if (lake.exists(spark, batch)) {
        StructType out = new StructType();
        for (StructField f : lake.read(spark, batch).schema().fields()) {
          if (!f.name().startsWith("_")) {
            out = out.add(f);
          }
        }
        return out;
      }
      return spark
          .read()
          .json(state.where(col("source_table").equalTo(name)).select("row").as(Encoders.STRING()))
          .schema();
    }
  }
}
