package dev.northwind.lakehouse.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.round;
import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.gold.GoldDatasets;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Layer;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.stream.OrderEvent;
import dev.northwind.lakehouse.stream.OrderEventProducer;
import dev.northwind.lakehouse.stream.OrderEvents;
import dev.northwind.lakehouse.stream.ReferenceData;
import dev.northwind.lakehouse.stream.SilverSink;
import dev.northwind.lakehouse.stream.StreamJob;
import dev.northwind.lakehouse.testing.GoldenLake;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/**
 * Incremental refresh equals a full recompute, as a property: a seeded random sequence of source
 * inserts (new orders with lines), customer and product updates, streamed orders (with a duplicate
 * and a late event) and re-runs is applied to a copy of the golden lake through the runner and the
 * stream's micro-batch path; after every step every Silver and Gold table equals, row for row and
 * exactly (DECIMAL money, so to the cent and beyond), a Silver and Gold built from scratch with
 * {@code --full-refresh} over the same Bronze (a re-run over an unchanged source instead writes no
 * Silver or Gold version at all), and a run with nothing new writes nothing.
 *
 * <p>Integration tier: each step is an incremental run plus a full build (about a minute per step
 * on two cores). The seed is {@code -Dproperty.seed=N} (default fixed), and is in every message.
 */
class IncrementalPropertyIT {

  /** Stream orders get ids far above the source's, so batch and stream never share an order. */
  private static final int STREAM_IDS = 5_000_000;

  /**
   * Columns that legitimately differ between an incremental lake and a fresh build: lineage of the
   * run that wrote a row (run_id, updated_at, computed_at, silver_version), and dim_customer's SCD2
   * bookkeeping (customer_sk, valid_from, valid_to): the incremental lake keeps the history of
   * every customer change, a fresh build only the current version, so only current rows compare.
   */
  private static final Set<String> RUN_COLUMNS =
      Set.of(
          "run_id",
          "updated_at",
          "computed_at",
          "silver_version",
          "customer_sk",
          "valid_from",
          "valid_to");

  /**
   * Silver tables that are logs, not functions of the inputs: quality_results gains rows per run,
   * and quarantine keeps every row ever rejected (a row rejected before a fix stays there).
   */
  private static final Set<String> LOGS = Set.of("silver.quality_results", "silver.quarantine");

  private enum Step {
    INSERT_ORDERS,
    UPDATE_CUSTOMER,
    UPDATE_PRODUCT,
    STREAM,
    RERUN
  }

  private final SparkSession spark = TestSpark.spark();
  private final long seed = Long.getLong("property.seed", 20261129L);
  private final Random random = new Random(seed);
  private String url;
  private Lake lake;
  private PipelineRunner runner;
  private String topic;
  private final List<OrderEvent> streamed = new ArrayList<>();
  private final List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Test
  void everyStepEqualsAFullRecompute() throws Exception {
    GoldenLake golden = GoldenLake.shared();
    url = golden.sourceCopy(IncrementalPropertyIT.class);
    lake = golden.lakeCopy();
    runner = runner(lake);
    topic = TestKafka.newTopic("property", 1);
    // The golden lake was built by the jobs directly: this run records what every dataset read.
    run("*");

    // Every kind of step once, in a seeded order.
    List<Step> steps = new ArrayList<>(Arrays.asList(Step.values()));
    Collections.shuffle(steps, random);
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      String at = "seed " + seed + ", step " + i + " " + step;
      said.clear();
      Map<String, Long> before = versions(lake);
      apply(step, i);
      assertIncrementalWhereItCanBe(step, at);
      assertNothingNewWritesNothing(at);
      if (step == Step.RERUN) {
        // A re-run over an unchanged source writes no Silver or Gold version, so the tables are
        // those already compared with a full build after the step before (or built in full, for
        // the golden lake): a full build here would check nothing new.
        assertThat(versions(lake)).as(at + ": versions after a re-run").isEqualTo(before);
      } else {
        assertEqualsAFullBuild(at);
      }
    }
  }

  private void apply(Step step, int i) throws Exception {
    switch (step) {
      case INSERT_ORDERS -> {
        insertOrders(1 + random.nextInt(3));
        run("*");
      }
      case UPDATE_CUSTOMER -> {
        sql(
            "UPDATE customers SET city = 'City "
                + i
                + "', country = '"
                + List.of("Iceland", "Norway", "Peru").get(random.nextInt(3))
                + "' WHERE customer_id = (SELECT customer_id FROM customers ORDER BY customer_id"
                + " OFFSET "
                + random.nextInt(20)
                + " LIMIT 1)");
        run("*");
      }
      case UPDATE_PRODUCT -> {
        sql(
            "UPDATE products SET unit_price = unit_price + 1, category_id = (SELECT max(category_id)"
                + " FROM categories) WHERE product_id = (SELECT product_id FROM products ORDER BY"
                + " product_id OFFSET "
                + random.nextInt(20)
                + " LIMIT 1)");
        run("*");
      }
      case STREAM -> stream(i);
      case RERUN -> run("*");
    }
  }

  /** New source orders: copies of random existing orders (with their lines) under new ids. */
  private void insertOrders(int n) throws Exception {
    try (Connection c = TestPostgres.connect(url);
        Statement s = c.createStatement()) {
      for (int k = 0; k < n; k++) {
        int max;
        int count;
        try (ResultSet r = s.executeQuery("SELECT max(order_id), count(*) FROM orders")) {
          r.next();
          max = r.getInt(1);
          count = r.getInt(2);
        }
        int offset = random.nextInt(count);
        s.execute("DROP TABLE IF EXISTS o; DROP TABLE IF EXISTS d");
        s.execute(
            "CREATE TEMP TABLE o AS SELECT * FROM orders ORDER BY order_id OFFSET "
                + offset
                + " LIMIT 1");
        s.execute(
            "CREATE TEMP TABLE d AS SELECT * FROM order_details WHERE order_id = (SELECT order_id"
                + " FROM o)");
        s.execute("UPDATE d SET order_id = " + (max + 1));
        s.execute("UPDATE o SET order_id = " + (max + 1));
        s.execute("INSERT INTO orders SELECT * FROM o");
        s.execute("INSERT INTO order_details SELECT * FROM d");
      }
    }
  }

  /**
   * Two micro-batches through the stream's Silver path (as `lakehouse stream`): new orders plus a
   * duplicate of one, then a late event (older event time, other lines) for an order streamed
   * before, plus the duplicate again. Gold is refreshed by the runner after each batch.
   */
  private void stream(int step) {
    ReferenceData catalog = ReferenceData.read(TestPostgres.source(url));
    List<OrderEvent> fresh =
        OrderEvents.generate(
            catalog,
            STREAM_IDS + streamed.size(),
            3,
            seed + step,
            Instant.parse("2025-01-01T00:00:00Z").plusSeconds(3600L * step));
    List<OrderEvent> first = new ArrayList<>(fresh);
    first.add(fresh.get(random.nextInt(fresh.size())));
    streamed.addAll(fresh);
    send(first);
    streamUntilIdle();

    OrderEvent target = streamed.get(random.nextInt(streamed.size()));
    OrderEvent other =
        OrderEvents.generate(catalog, target.orderId(), 1, seed + 1000 + step, target.eventTime())
            .get(0);
    OrderEvent late =
        new OrderEvent(
            UUID.randomUUID().toString(),
            target.eventTime().minus(Duration.ofHours(1)),
            target.orderId(),
            other.customerId(),
            other.employeeId(),
            other.orderDate(),
            other.requiredDate(),
            other.shippedDate(),
            other.shipVia(),
            other.freight(),
            other.shipName(),
            other.shipAddress(),
            other.shipCity(),
            other.shipRegion(),
            other.shipPostalCode(),
            other.shipCountry(),
            other.lines());
    send(List.of(late, first.get(first.size() - 1)));
    streamUntilIdle();
  }

  private void send(List<OrderEvent> events) {
    try (OrderEventProducer p = new OrderEventProducer(TestKafka.bootstrap(), topic)) {
      p.send(events, 0);
    }
  }

  /** The stream with the same Silver sink as `lakehouse stream` (StreamCommand.silverSink). */
  private void streamUntilIdle() {
    try (StreamRefresh gold =
        new StreamRefresh(runner, "gold.*", f -> f + "-" + System.nanoTime(), Progress.NONE)) {
      SilverSink merge =
          new SilverSink() {
            @Override
            public void merge(SparkSession s, Dataset<Row> orders, Dataset<Row> lines, String id) {
              merge(s, new SilverSink.Batch(orders, lines, id, -1, -1));
            }

            @Override
            public void merge(SparkSession s, SilverSink.Batch batch) {
              SilverJob.mergeStreamBatch(s, lake, batch.orders(), batch.lines(), batch.runId());
              gold.merged(batch);
            }
          };
      LakehouseConfig.Stream settings =
          new LakehouseConfig.Stream("1 second", 1000, LakehouseConfig.StreamSilver.MERGE);
      new StreamJob(spark, lake, TestKafka.bootstrap(), topic, settings, Progress.NONE)
          .withSilver(
              SilverSink.when(
                  settings.silver(), lake, SilverJob.STREAM_LOOKUPS, merge, Progress.NONE))
          .runUntilIdle();
    }
  }

  /**
   * New orders alone take Silver's incremental path (what the equality then checks); a customer or
   * product change compares all of Bronze; a streamed batch leaves Silver nothing to redo.
   */
  private void assertIncrementalWhereItCanBe(Step step, String at) {
    List<String> silverRuns = said.stream().filter(l -> l.startsWith("silver: run ")).toList();
    List<String> goldAdded = said.stream().filter(l -> l.contains("(new orders added)")).toList();
    switch (step) {
      case INSERT_ORDERS -> {
        assertThat(silverRuns)
            .as(at + ": Silver read only what Bronze appended")
            .singleElement()
            .matches(l -> l.contains("appended since the last run"));
        assertThat(goldAdded)
            .as(at + ": Silver only gained orders, the additive Gold tables add them")
            .hasSize(GoldDatasets.additive().size());
      }
      case UPDATE_CUSTOMER, UPDATE_PRODUCT -> {
        assertThat(silverRuns)
            .as(at + ": a dimension moved, Silver compares all")
            .singleElement()
            .matches(l -> l.contains("checking Bronze"));
        assertThat(goldAdded).as(at + ": a dimension moved, Gold recomputes").isEmpty();
      }
      case STREAM, RERUN -> assertThat(silverRuns).as(at + ": no Silver run").isEmpty();
    }
  }

  /** A run with nothing new decides everything is up to date and commits nothing. */
  private void assertNothingNewWritesNothing(String at) {
    Map<String, Long> before = versions(lake);
    RunReport report = run("silver.*+");
    assertThat(report.datasets())
        .as(at + ": a run with nothing new")
        .allMatch(e -> e.outcome() == RunReport.Outcome.UP_TO_DATE);
    assertThat(versions(lake)).as(at + ": versions after a run with nothing new").isEqualTo(before);
  }

  /** Silver and Gold of the incremental lake equal a fresh full build over a copy of its Bronze. */
  private void assertEqualsAFullBuild(String at) {
    Lake full = TestSpark.newLake();
    copy(Path.of(lake.root()).resolve(Layer.BRONZE.id()), Path.of(full.root()).resolve("bronze"));
    PipelineRunner fullRunner = runner(full);
    fullRunner.run(
        fullRunner.graph().select("silver.*+"), RefreshMode.FULL_REFRESH, f -> f + "-full");
    List<String> differ = new ArrayList<>();
    for (DatasetSpec d : runner.graph().datasets()) {
      if (d.table().isEmpty() || LOGS.contains(d.name()) || d.name().startsWith("bronze.")) {
        continue;
      }
      TableId t = d.table().get();
      boolean incremental = lake.exists(spark, t);
      if (incremental != full.exists(spark, t)) {
        differ.add(d.name() + " (built in only one of the two lakes)");
        continue;
      }
      if (!incremental) {
        // Built by neither: a dataset of a feed this lake does not use (CDC's silver.cdc_state).
        continue;
      }
      long diff = difference(comparable(lake, t), comparable(full, t));
      if (diff != 0) {
        differ.add(d.name() + " (" + diff + " rows)");
      }
    }
    assertThat(differ).as(at + ": tables that differ from a full recompute").isEmpty();
  }

  /** The table's rows as compared: lineage dropped, current customers only, the last KPI row. */
  private Dataset<Row> comparable(Lake in, TableId t) {
    Dataset<Row> rows = in.read(spark, t);
    if (t.equals(SilverJob.DIM_CUSTOMER)) {
      rows = rows.where(col("is_current"));
    }
    if (t.equals(TableId.gold("kpi_summary"))) {
      rows = rows.orderBy(col("computed_at").desc()).limit(1);
    }
    List<Column> kept = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      if (RUN_COLUMNS.contains(f.name())) {
        continue;
      }
      // DOUBLE shares (stream_share) are quotients of exact DECIMAL sums; compared to 1e-9.
      kept.add(
          f.dataType().equals(DataTypes.DoubleType)
              ? round(col(f.name()), 9).as(f.name())
              : col(f.name()));
    }
    return rows.select(kept.toArray(Column[]::new));
  }

  private static long difference(Dataset<Row> a, Dataset<Row> b) {
    return a.exceptAll(b).count() + b.exceptAll(a).count();
  }

  private RunReport run(String selector) {
    return runner.run(
        runner.graph().select(selector), RefreshMode.INCREMENTAL, f -> f + "-" + System.nanoTime());
  }

  private PipelineRunner runner(Lake l) {
    return PipelineRunner.northwind(
        TestSpark.config(Path.of(l.root())),
        TestSpark::spark,
        l,
        () -> new JdbcSource(url, TestPostgres.user(), "postgres"),
        said::add);
  }

  private Map<String, Long> versions(Lake l) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (DatasetSpec d : runner.graph().datasets()) {
      if (!d.name().startsWith("bronze.")) {
        d.table().ifPresent(t -> out.put(d.name(), l.version(spark, t)));
      }
    }
    return out;
  }

  private void sql(String statement) {
    TestPostgres.execute(url, statement);
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
