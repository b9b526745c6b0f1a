package dev.northwind.lakehouse.silver;

import static dev.northwind.lakehouse.silver.SilverTransforms.key;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.CommitUnits;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.quality.CheckedRows;
import dev.northwind.lakehouse.quality.Expectations;
import dev.northwind.lakehouse.silver.SilverWrites.Guard;
import dev.northwind.lakehouse.stream.StreamJob;
import dev.northwind.lakehouse.stream.StreamTransforms;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * The Silver job: Bronze → cleaned, conformed dimensions and facts, through the data-quality {@link
 * Expectations}. Every expectation of every table is checked before anything is written, so a FAIL
 * expectation stops the run with Silver unchanged. Writes are MERGEs of changed rows only
 * (dim_customer as SCD2), so a re-run over unchanged Bronze creates no new table versions.
 *
 * <p>An order is one unit: when the order or any of its lines fails a DROP expectation, the order
 * and all its lines go to quarantine, so the facts never hold a partial or empty order. An order is
 * judged on its latest version: a bad version withdraws the version Silver held (of the same
 * source), a later good version lands normally.
 *
 * <p>Bronze full tables (customers, products, categories, suppliers, employees) are read as the
 * latest snapshot; incremental tables (orders, order_details) as the latest row per key by {@code
 * _ingested_at}.
 */
public final class SilverJob {

  public static final TableId DIM_CUSTOMER = TableId.silver("dim_customer");
  public static final TableId DIM_PRODUCT = TableId.silver("dim_product");
  public static final TableId DIM_EMPLOYEE = TableId.silver("dim_employee");
  public static final TableId DIM_DATE = TableId.silver("dim_date");
  public static final TableId FACT_ORDER_LINE = TableId.silver("fact_order_line");
  public static final TableId FACT_ORDER = TableId.silver("fact_order");
  public static final TableId QUARANTINE = TableId.silver("quarantine");
  public static final TableId QUALITY_RESULTS = TableId.silver("quality_results");

  /** The Silver tables this job builds, in write order. */
  public static final List<TableId> TABLES =
      List.of(
          DIM_CUSTOMER,
          DIM_PRODUCT,
          DIM_EMPLOYEE,
          DIM_DATE,
          FACT_ORDER_LINE,
          FACT_ORDER,
          QUARANTINE,
          QUALITY_RESULTS);

  /** The Silver tables {@link #mergeStreamOrders} looks orders up in: they must exist first. */
  public static final List<TableId> STREAM_LOOKUPS = List.of(DIM_CUSTOMER, DIM_PRODUCT);

  private static final List<String> LINE_KEYS = List.of("order_id", "product_id");
  private static final List<String> ORDER_KEYS = List.of("order_id");

  private SilverJob() {}

  /**
   * Builds or updates every Silver table from Bronze.
   *
   * @param runId stored in facts, quarantine and quality results
   * @throws dev.northwind.lakehouse.LakehouseException when a FAIL expectation fails (Silver
   *     unchanged) or a Bronze table is missing
   */
  public static SilverReport run(SparkSession caller, Lake lake, String runId, Progress progress) {
    return run(caller, lake, runId, progress, Map.of());
  }

  /**
   * Updates Silver from what Bronze gained since {@code consumed}, the Bronze versions Silver's
   * last refresh read. When no dimension's Bronze input moved and the order tables were only
   * appended to since then ({@link Lake#appended}), only the orders those appends touched are
   * checked and merged: every fact row of an order depends only on the Bronze rows of that order
   * (its latest order row, its lines, its stream events) and on the dimensions, so redoing just
   * those orders, with every Bronze row they have, gives what a full run gives. Otherwise (a
   * dimension changed, a table was overwritten, nothing recorded) every Bronze row is compared as
   * in {@link #run(SparkSession, Lake, String, Progress)}.
   *
   * @param consumed qualified Bronze table name → the version Silver last consumed; empty for a
   *     full comparison
   */
  public static SilverReport run(
      SparkSession caller, Lake lake, String runId, Progress progress, Map<String, Long> consumed) {
    if (ChangeApply.active(caller, lake)) {
      // Switched to change data capture: the captured tables come from their changes.
      return ChangeApply.run(caller, lake, runId, progress, consumed);
    }
    // Sized by the Bronze tables that drive the shuffles (the facts' sources).
    SparkSession spark =
        SparkSessions.nonAdaptive(
            caller,
            lake.bytes(caller, TableId.bronze("orders"))
                + lake.bytes(caller, TableId.bronze("order_details"))
                + lake.bytes(caller, StreamJob.ORDER_EVENTS));
    Timestamp at = now();
    long started = System.nanoTime();
    Optional<Dataset<Row>> touched = touchedOrders(spark, lake, consumed);
    progress.report(
        "silver: run "
            + runId
            + (touched.isPresent()
                ? " (the orders Bronze appended since the last run)"
                : " (checking Bronze)"));
    try (SilverChecks checks = new SilverChecks(runId, at, progress)) {
      // Customers and products are checked in every run: the facts' lookups are the good rows of
      // Bronze's current snapshot, exactly as a full run sees them.
      CheckedRows customers =
          checks.dimension(bronze(spark, lake, "customers"), Expectations.DIM_CUSTOMER);
      CheckedRows products =
          checks.dimension(bronze(spark, lake, "products"), Expectations.DIM_PRODUCT);
      Dataset<Row> customerIds = SilverTransforms.customerIds(customers.good());
      Dataset<Row> productIds = SilverTransforms.productIds(products.good());
      CheckedRows employees = null;
      Dataset<Row> orders;
      Dataset<Row> details;
      if (touched.isPresent()) {
        // No dimension moved: only the touched orders, with every Bronze row they have.
        Dataset<Row> ids =
            org.apache.spark.sql.functions.broadcast(touched.get().select(col("order_id")));
        orders =
            SilverTransforms.latestPerKey(
                bronze(spark, lake, "orders").join(ids, "order_id", "left_semi"), "order_id");
        details =
            SilverTransforms.latestPerKey(
                bronze(spark, lake, "order_details").join(ids, "order_id", "left_semi"),
                "order_id",
                "product_id");
      } else {
        employees = checks.dimension(bronze(spark, lake, "employees"), Expectations.DIM_EMPLOYEE);
        orders = SilverTransforms.latestPerKey(bronze(spark, lake, "orders"), "order_id");
        details =
            SilverTransforms.latestPerKey(
                bronze(spark, lake, "order_details"), "order_id", "product_id");
      }
      SilverChecks.Orders checkedOrders = checks.orders(orders, details, customerIds, productIds);

      // Every check passed: from here on Silver is written.
      Map<String, Long> changed = new LinkedHashMap<>();
      if (touched.isEmpty()) {
        changed.put(
            DIM_CUSTOMER.name(),
            SilverWrites.mergeCustomers(
                spark, lake, SilverTransforms.customerRows(customers.good()), at));
        Dataset<Row> dimProduct =
            SilverTransforms.dimProduct(
                products.good(),
                bronze(spark, lake, "categories").drop("picture"),
                bronze(spark, lake, "suppliers"));
        changed.put(
            DIM_PRODUCT.name(),
            upsertAll(spark, lake, DIM_PRODUCT, dimProduct, List.of("product_id")));
        changed.put(
            DIM_EMPLOYEE.name(),
            upsertAll(
                spark,
                lake,
                DIM_EMPLOYEE,
                SilverTransforms.dimEmployee(employees.good()),
                List.of("employee_id")));
      }

      FactChanges facts =
          CommitUnits.together(
              () -> writeFacts(spark, lake, checkedOrders, Source.BATCH, runId, at));
      changed.put(FACT_ORDER_LINE.name(), facts.lines());
      changed.put(FACT_ORDER.name(), facts.orders());

      long dropped = checks.dropped();
      changed.put(QUARANTINE.name(), checks.writeQuarantine(spark, lake));
      if (lake.exists(spark, StreamJob.ORDER_EVENTS)) {
        // Silver is rebuilt from Bronze alone: streamed orders in Bronze are merged again
        // (idempotent), which also covers events streamed before Silver first existed.
        Dataset<Row> events = lake.read(spark, StreamJob.ORDER_EVENTS);
        if (touched.isPresent()) {
          // Every event of every touched order (a late event must lose to a newer one).
          events =
              events.join(
                  org.apache.spark.sql.functions.broadcast(touched.get().select(col("order_id"))),
                  "order_id",
                  "left_semi");
        }
        dropped += mergeStreamEvents(spark, lake, events, runId, Calendar.LATER, changed);
      }
      // After both merges: the calendar covers every order in the facts, batch and stream alike,
      // so a Silver built in one run equals one built batch by batch.
      changed.put(
          DIM_DATE.name(),
          upsertCalendar(spark, lake, lake.read(spark, FACT_ORDER).select("order_date")));
      return checks.finish(spark, lake, changed, dropped, started, "");
    }
  }

  /**
   * Merges the streamed orders of {@code events} (again: idempotent) and records the change.
   *
   * @return rows the merge dropped
   */
  static long mergeStreamEvents(
      SparkSession spark,
      Lake lake,
      Dataset<Row> events,
      String runId,
      Calendar calendar,
      Map<String, Long> changed) {
    StreamMergeResult streamed =
        mergeStreamOrders(
            spark,
            lake,
            StreamTransforms.toOrders(events),
            StreamTransforms.toLines(events),
            runId,
            calendar);
    changed.put("fact_order (streamed orders)", streamed.ordersChanged());
    return streamed.rowsDropped();
  }

  /** The Bronze tables the dimensions are built from: when one moved, Silver compares all. */
  private static final List<String> DIMENSION_INPUTS =
      List.of("customers", "products", "categories", "suppliers", "employees");

  /** The Bronze tables the facts are built from, read by what they appended. */
  private static final List<TableId> ORDER_INPUTS =
      List.of(TableId.bronze("orders"), TableId.bronze("order_details"), StreamJob.ORDER_EVENTS);

  /**
   * The ids of the orders Bronze's order tables gained rows for since {@code consumed}, or empty
   * when Silver must compare all of Bronze: nothing consumed, a Silver table missing, a dimension
   * input or an input this job does not know moved, or an order table was rewritten.
   */
  private static Optional<Dataset<Row>> touchedOrders(
      SparkSession spark, Lake lake, Map<String, Long> consumed) {
    if (consumed.isEmpty()) {
      return Optional.empty();
    }
    for (TableId t :
        List.of(DIM_CUSTOMER, DIM_PRODUCT, DIM_EMPLOYEE, FACT_ORDER_LINE, FACT_ORDER)) {
      if (!lake.exists(spark, t)) {
        return Optional.empty();
      }
    }
    List<String> incremental = ORDER_INPUTS.stream().map(TableId::qualified).toList();
    for (Map.Entry<String, Long> e : consumed.entrySet()) {
      if (incremental.contains(e.getKey())) {
        continue;
      }
      long now = TableId.parse(e.getKey()).map(t -> lake.version(spark, t)).orElse(Long.MIN_VALUE);
      if (now != e.getValue()) {
        return Optional.empty();
      }
    }
    for (String d : DIMENSION_INPUTS) {
      if (!consumed.containsKey("bronze." + d)) {
        return Optional.empty();
      }
    }
    Dataset<Row> ids = null;
    for (TableId t : ORDER_INPUTS) {
      Long from = consumed.get(t.qualified());
      long to = lake.version(spark, t);
      if (to < 0 || (from != null && from == to)) {
        continue;
      }
      Optional<Dataset<Row>> added =
          from == null || from < 0
              ? Optional.of(lake.read(spark, t))
              : lake.appended(spark, t, from, to);
      if (added.isEmpty()) {
        return Optional.empty();
      }
      Dataset<Row> some = added.get().select(col("order_id"));
      ids = ids == null ? some : ids.unionByName(some);
    }
    if (ids == null) {
      ids = lake.read(spark, FACT_ORDER).select(col("order_id")).limit(0);
    }
    return Optional.of(ids.distinct());
  }

  /**
   * Merges candidate orders from the stream into the facts through the same expectations as the
   * batch (customer and product lookups against the current Silver dimensions). Rows are tagged
   * source = 'stream' with their event_id. An order the facts already hold from the batch is
   * ignored (the batch is the system of record); re-merging the same events changes nothing; a
   * newer event of a stream order replaces its lines. When several events of one order arrive
   * together, the latest (event_time, then event_id) wins. An order is one unit: when it or any of
   * its lines fails a DROP expectation, the order and all its lines go to quarantine, and a version
   * of it that Silver holds from an earlier event is withdrawn.
   *
   * @param orders candidate orders: Bronze {@code orders} column names plus {@code event_id} (and
   *     optionally {@code event_time})
   * @param lines candidate lines: Bronze {@code order_details} column names plus {@code event_id}
   * @throws dev.northwind.lakehouse.LakehouseException when a FAIL expectation fails (nothing
   *     written) or the Silver dimensions do not exist yet
   */
  public static StreamMergeResult mergeStreamOrders(
      SparkSession spark, Lake lake, Dataset<Row> orders, Dataset<Row> lines, String runId) {
    return mergeStreamOrders(spark, lake, orders, lines, runId, Calendar.NOW);
  }

  /**
   * The stream's micro-batch merge: {@link #mergeStreamOrders} over every event Bronze holds for
   * the batch's orders, not only the batch's own. An event that arrives late (an older event_time
   * than one already merged) then loses to the newer one, as it does when Silver merges all of
   * Bronze; the batch's events are in Bronze by the time this runs (Bronze is written first).
   *
   * @param orders the batch's {@link StreamTransforms#toOrders} rows (their order ids are used)
   * @param lines the batch's lines (used only when Bronze has no events table yet)
   */
  public static StreamMergeResult mergeStreamBatch(
      SparkSession spark, Lake lake, Dataset<Row> orders, Dataset<Row> lines, String runId) {
    if (!lake.exists(spark, StreamJob.ORDER_EVENTS)) {
      return mergeStreamOrders(spark, lake, orders, lines, runId);
    }
    Dataset<Row> ids = orders.select(col("order_id").as("__oid")).distinct();
    Dataset<Row> events =
        lake.read(spark, StreamJob.ORDER_EVENTS)
            .join(
                org.apache.spark.sql.functions.broadcast(ids),
                col("order_id").equalTo(col("__oid")),
                "left_semi");
    return mergeStreamOrders(
        spark,
        lake,
        StreamTransforms.toOrders(events),
        StreamTransforms.toLines(events),
        runId,
        Calendar.NOW);
  }

  /**
   * The current customers' and the products' ids a stream merge checks orders against, and the
   * calendar's first and last day, kept while their table's version is the same: a micro-batch then
   * neither reads nor plans a dimension again (two scans, their file listings and a shuffle each
   * per batch before).
   */
  private static final ByVersion<Dataset<Row>> CUSTOMER_IDS =
      new ByVersion<>(ids -> ids.unpersist(false));

  private static final ByVersion<Dataset<Row>> PRODUCT_IDS =
      new ByVersion<>(ids -> ids.unpersist(false));

  private static final ByVersion<Row> CALENDAR_RANGE = new ByVersion<>(range -> {});

  /** The ids of {@code dim_customer}'s current versions (kept while its version is the same). */
  static Dataset<Row> currentCustomerIds(SparkSession spark, Lake lake) {
    return CUSTOMER_IDS.get(
        spark,
        lake,
        DIM_CUSTOMER,
        v ->
            lookup(
                SilverTransforms.customerIds(
                    lake.readAt(spark, DIM_CUSTOMER, v).where(col("is_current")))));
  }

  /** The ids of {@code dim_product} (kept while its version is the same). */
  static Dataset<Row> productIds(SparkSession spark, Lake lake) {
    return PRODUCT_IDS.get(
        spark,
        lake,
        DIM_PRODUCT,
        v -> lookup(SilverTransforms.productIds(lake.readAt(spark, DIM_PRODUCT, v))));
  }

  /** {@code ids} planned once and cached (executors' storage), to be looked up by many merges. */
  private static Dataset<Row> lookup(Dataset<Row> ids) {
    return SparkSessions.planned(ids).persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** When a stream merge extends {@code dim_date} with its orders' dates. */
  enum Calendar {
    /** In the merge: a micro-batch leaves Silver whole. */
    NOW,
    /** The caller does (the batch run, once after both of its merges). */
    LATER
  }

  private static StreamMergeResult mergeStreamOrders(
      SparkSession spark,
      Lake lake,
      Dataset<Row> orders,
      Dataset<Row> lines,
      String runId,
      Calendar calendar) {
    Timestamp at = now();
    Column latestFirst =
        List.of(orders.columns()).contains("event_time")
            ? col("event_time").desc_nulls_last()
            : col("event_id").desc_nulls_last();
    Dataset<Row> latest =
        orders
            .withColumn(
                "__rn",
                row_number()
                    .over(
                        Window.partitionBy("order_id")
                            .orderBy(latestFirst, col("event_id").desc_nulls_last())))
            .where(col("__rn").equalTo(1))
            .drop("__rn");
    Dataset<Row> candidates = latest;
    long ignored = 0;
    Write write = Write.MERGE;
    if (lake.exists(spark, FACT_ORDER)) {
      Dataset<Row> stored =
          lake.read(spark, FACT_ORDER)
              .select(col("order_id").as("__bid"), col("source").as("__src"));
      Column owned = key("order_id").equalTo(col("__bid"));
      // Marked and checkpointed once, so the rows the checks cache below do not depend on
      // fact_order: the fact_order MERGE re-caches every plan that reads its target, which dropped
      // those rows and made the calendar step recompute every check (41-52 Spark jobs, a fifth of
      // a micro-batch in the profile). fact_order holds each order_id once, so nothing doubles.
      Dataset<Row> marked =
          SparkSessions.step(
              spark,
              "silver stream: orders the batch owns",
              () ->
                  latest
                      .join(stored, owned, "left_outer")
                      .withColumn("__stored", col("__bid").isNotNull())
                      .withColumn(
                          "__owned", coalesce(col("__src").equalTo(Source.BATCH.id()), lit(false)))
                      .drop("__bid", "__src")
                      .localCheckpoint());
      candidates = marked.where(not(col("__owned"))).drop("__owned", "__stored");
      Row counts =
          marked.agg(count(lit(1)), count_if(col("__owned")), count_if(col("__stored"))).first();
      ignored = counts.getLong(1);
      if (counts.getLong(2) == ignored) {
        // No candidate is in the facts yet (new orders: the usual micro-batch), so nothing can
        // match, replace or withdraw a stored row, and appending the good ones is what the MERGEs
        // would do, without comparing with both whole fact tables first (about 60 Spark jobs and
        // 5 s of a micro-batch at scale 1 in the session-17 profile).
        write = Write.APPEND;
      }
      if (ignored == counts.getLong(0)) {
        // Every order is the batch's (a run whose new batch orders replace streamed ones, or whose
        // touched orders were never streamed):
        // nothing is checked or written, which saves the checks, MERGEs and calendar of a merge
        // of no candidates (about 80 short Spark jobs, 11 s of 38 s in the bench at scale 100).
        return new StreamMergeResult(0, 0, ignored, 0, List.of());
      }
    }
    Dataset<Row> customerIds = currentCustomerIds(spark, lake);
    Dataset<Row> productIds = productIds(spark, lake);
    Dataset<Row> checked = candidates;
    try (SilverChecks checks = new SilverChecks(runId, at, Progress.NONE)) {
      Dataset<Row> ev = checked.select(key("order_id").as("__oid"), col("event_id").as("__eid"));
      Dataset<Row> eventLines =
          lines.join(
              ev,
              key("order_id").equalTo(col("__oid")).and(col("event_id").equalTo(col("__eid"))),
              "left_semi");
      SilverChecks.Orders checkedOrders =
          SparkSessions.step(
              spark,
              "silver stream: expectations",
              () -> checks.orders(checked, eventLines, customerIds, productIds));
      Write how = write;
      FactChanges facts =
          CommitUnits.together(
              () ->
                  how == Write.APPEND
                      ? appendFacts(spark, lake, checkedOrders, runId, at)
                      : writeFacts(spark, lake, checkedOrders, Source.STREAM, runId, at));
      if (calendar == Calendar.NOW) {
        SparkSessions.step(
            spark,
            "silver stream: dim_date",
            () -> upsertCalendar(spark, lake, orderDates(checkedOrders)));
      }
      long dropped = checks.dropped();
      SparkSessions.step(
          spark, "silver stream: quarantine", () -> checks.writeQuarantine(spark, lake));
      SparkSessions.step(
          spark, "silver stream: quality results", () -> checks.writeResults(spark, lake));
      return new StreamMergeResult(
          facts.orders(), facts.lines(), ignored, dropped, checks.results());
    }
  }

  /** How a stream merge writes the facts. */
  private enum Write {
    /** MERGE on the keys: candidates may replace or withdraw stored stream rows. */
    MERGE,
    /** Append: no candidate order is in the facts yet. */
    APPEND
  }

  /**
   * Appends the facts of checked stream orders none of which is in the facts yet. {@code
   * fact_order} is written first: a crash between the two commits leaves the order stored without
   * its lines, and the batch, run again, then takes the MERGE path, which adds them. (Lines first
   * would leave lines of an order not stored, and the append run again would add them twice.)
   */
  private static FactChanges appendFacts(
      SparkSession spark, Lake lake, SilverChecks.Orders checked, String runId, Timestamp at) {
    if (checked.lines().keptOrders() == 0) {
      return new FactChanges(0, 0);
    }
    Dataset<Row> goodOrders = checked.orders().good();
    Dataset<Row> goodLines = checked.lines().good();
    long orders =
        SparkSessions.step(
            spark,
            "silver: append fact_order",
            () ->
                SilverWrites.appendNew(
                    spark,
                    lake,
                    FACT_ORDER,
                    SilverTransforms.factOrders(goodOrders, goodLines, Source.STREAM, runId, at),
                    ORDER_KEYS));
    long lines =
        SparkSessions.step(
            spark,
            "silver: append fact_order_line",
            () ->
                SilverWrites.appendNew(
                    spark,
                    lake,
                    FACT_ORDER_LINE,
                    SilverTransforms.factOrderLines(
                        goodLines, goodOrders, Source.STREAM, runId, at),
                    LINE_KEYS));
    return new FactChanges(lines, orders);
  }

  /**
   * Rows changed by {@link #writeFacts}.
   *
   * @param lines in {@code fact_order_line}
   * @param orders in {@code fact_order}
   */
  private record FactChanges(long lines, long orders) {}

  /**
   * Upserts the facts of the checked orders of one source, with deletes for the lines and orders of
   * that source they replace or withdraw. Stream writes never touch a batch row.
   */
  private static FactChanges writeFacts(
      SparkSession spark,
      Lake lake,
      SilverChecks.Orders checked,
      Source source,
      String runId,
      Timestamp at) {
    Guard guard = source == Source.STREAM ? Guard.STREAM_ROWS_ONLY : Guard.ANY;
    Dataset<Row> goodOrders = checked.orders().good();
    Dataset<Row> factLines =
        SilverTransforms.factOrderLines(checked.lines().good(), goodOrders, source, runId, at);
    Dataset<Row> withdrawn =
        SilverTransforms.withdrawnOrderIds(checked.orders().cached(), goodOrders);
    long lines =
        SparkSessions.step(
            spark,
            "silver: merge fact_order_line",
            () ->
                SilverWrites.upsert(
                    spark,
                    lake,
                    FACT_ORDER_LINE,
                    withDeletes(
                        spark,
                        lake,
                        FACT_ORDER_LINE,
                        factLines,
                        stored -> lineDeletes(stored, factLines, goodOrders, withdrawn, source)),
                    LINE_KEYS,
                    compared(SilverTransforms.FACT_ORDER_LINE_COLUMNS),
                    guard));
    Dataset<Row> factOrders =
        SilverTransforms.factOrders(goodOrders, checked.lines().good(), source, runId, at);
    long orders =
        SparkSessions.step(
            spark,
            "silver: merge fact_order",
            () ->
                SilverWrites.upsert(
                    spark,
                    lake,
                    FACT_ORDER,
                    withDeletes(
                        spark,
                        lake,
                        FACT_ORDER,
                        factOrders,
                        stored -> withdrawn(stored, withdrawn, source)),
                    ORDER_KEYS,
                    compared(SilverTransforms.FACT_ORDER_COLUMNS),
                    guard));
    return new FactChanges(lines, orders);
  }

  /**
   * The fact lines to delete: lines the facts hold for these orders that the new lines no longer
   * have (a stream order replaced by the batch, or by a newer event), and every line of a withdrawn
   * order (only rows of this source: the other keeps its own version).
   */
  private static Dataset<Row> lineDeletes(
      Dataset<Row> stored,
      Dataset<Row> factLines,
      Dataset<Row> goodOrders,
      Dataset<Row> withdrawn,
      Source source) {
    Dataset<Row> target =
        source == Source.STREAM ? stored.where(col("source").equalTo(Source.STREAM.id())) : stored;
    Dataset<Row> orderIds = goodOrders.select(key("order_id").as("order_id")).distinct();
    Dataset<Row> replaced =
        target
            .join(orderIds, "order_id", "left_semi")
            .join(
                factLines.select("order_id", "product_id"),
                scala.jdk.javaapi.CollectionConverters.asScala(LINE_KEYS).toSeq(),
                "left_anti");
    return replaced.unionByName(withdrawn(target, withdrawn, source));
  }

  /** This source's rows of the withdrawn orders. */
  private static Dataset<Row> withdrawn(
      Dataset<Row> stored, Dataset<Row> withdrawn, Source source) {
    return stored
        .where(col("source").equalTo(source.id()))
        .join(withdrawn, "order_id", "left_semi");
  }

  /**
   * The rows to upsert into {@code table}, with {@code deletes} of its stored rows when it exists.
   */
  private static Dataset<Row> withDeletes(
      SparkSession spark,
      Lake lake,
      TableId table,
      Dataset<Row> upserts,
      java.util.function.UnaryOperator<Dataset<Row>> deletes) {
    return lake.exists(spark, table)
        ? SilverWrites.withDeletes(upserts, deletes.apply(lake.read(spark, table)))
        : upserts;
  }

  /**
   * Extends {@code dim_date} to cover the given order dates (one row per day between the earliest
   * day it holds and the latest); days already there are unchanged, so nothing is committed when
   * the range did not grow.
   */
  static long upsertCalendar(SparkSession spark, Lake lake, Dataset<Row> orderDates) {
    Dataset<Row> dates = orderDates;
    if (lake.exists(spark, DIM_DATE)) {
      // dim_date is one row per day from its first day to its last: dates inside that range add
      // nothing. Two one-row aggregates instead of the MERGE's comparison of the whole calendar
      // (45 Spark jobs, a fifth of a stream micro-batch in the profile); the calendar's is kept
      // while dim_date's version is the same.
      Row days =
          CALENDAR_RANGE.get(
              spark, lake, DIM_DATE, v -> range(lake.readAt(spark, DIM_DATE, v), "date"));
      if (within(range(orderDates, "order_date"), days)) {
        return 0;
      }
      dates = dates.unionByName(lake.read(spark, DIM_DATE).select(col("date").as("order_date")));
    }
    return upsertAll(spark, lake, DIM_DATE, SilverTransforms.dimDate(dates), List.of("date_key"));
  }

  /** The order dates (as dates, column {@code order_date}) of the checked orders kept. */
  static Dataset<Row> orderDates(SilverChecks.Orders checked) {
    return checked
        .orders()
        .good()
        .select(col("order_date").cast(DataTypes.DateType).as("order_date"));
  }

  /** The first and last day of a date column: [min, max], both null when it has no rows. */
  private static Row range(Dataset<Row> rows, String column) {
    Column day = col(column).cast(DataTypes.DateType);
    return rows.agg(min(day), max(day)).first();
  }

  /** Whether every day of {@code inner} lies in {@code outer} (an empty inner always does). */
  static boolean within(Row inner, Row outer) {
    if (inner.isNullAt(0)) {
      return true;
    }
    return !outer.isNullAt(0)
        && !inner.getDate(0).before(outer.getDate(0))
        && !inner.getDate(1).after(outer.getDate(1));
  }

  static long upsertAll(
      SparkSession spark, Lake lake, TableId table, Dataset<Row> rows, List<String> keys) {
    return SilverWrites.upsert(spark, lake, table, rows, keys, List.of(rows.columns()), Guard.ANY);
  }

  /** The columns compared to decide whether a fact row changed: all but updated_at and run_id. */
  static List<String> compared(List<String> columns) {
    return columns.stream().filter(c -> !c.equals("updated_at") && !c.equals("run_id")).toList();
  }

  /** A Bronze table (which Silver never writes), planned once for all the queries that read it. */
  static Dataset<Row> bronze(SparkSession spark, Lake lake, String table) {
    return SparkSessions.planned(lake.read(spark, TableId.bronze(table)));
  }

  static Timestamp now() {
    // Microseconds: what Delta stores, so values read back compare equal.
    return Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS));
  }
}
