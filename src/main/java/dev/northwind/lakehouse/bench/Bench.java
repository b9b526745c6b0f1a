package dev.northwind.lakehouse.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.northwind.lakehouse.Folders;
import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.Threads;
import dev.northwind.lakehouse.bronze.BronzeJob;
import dev.northwind.lakehouse.bronze.BronzeOptions;
import dev.northwind.lakehouse.bronze.BronzeReport;
import dev.northwind.lakehouse.cdc.SourceKind;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.dashboard.DashboardData;
import dev.northwind.lakehouse.dashboard.DashboardFeed;
import dev.northwind.lakehouse.dashboard.DashboardServer;
import dev.northwind.lakehouse.gold.GoldJob;
import dev.northwind.lakehouse.gold.GoldReport;
import dev.northwind.lakehouse.gold.GoldSummary;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.RunIds;
import dev.northwind.lakehouse.pipeline.PipelineRunner;
import dev.northwind.lakehouse.pipeline.RefreshMode;
import dev.northwind.lakehouse.pipeline.RunReport;
import dev.northwind.lakehouse.pipeline.StreamRefresh;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.silver.SilverReport;
import dev.northwind.lakehouse.silver.Source;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.source.LoadReport;
import dev.northwind.lakehouse.source.NorthwindGenerator;
import dev.northwind.lakehouse.status.PipelineStatus;
import dev.northwind.lakehouse.stream.OrderEventProducer;
import dev.northwind.lakehouse.stream.SilverSink;
import dev.northwind.lakehouse.stream.StreamBatchReport;
import dev.northwind.lakehouse.stream.StreamJob;
import dev.northwind.lakehouse.stream.StreamTrigger;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The benchmark: per generator scale, in this one process, load the source, then Bronze, Silver and
 * Gold on a fresh lake folder ({@code <benchRoot>/scale-N/run-i}), the same jobs re-run on
 * unchanged data, the stream's throughput into Bronze (N events at the maximum rate), its latency
 * to Silver (events at a set rate while it runs), and the Gold figures as plain SQL in PostgreSQL.
 * Every stage runs {@code repeat} times and the median is reported.
 */
public final class Bench {

  /** What the bench needs from the process that runs it. */
  public record Setup(
      SparkSession spark,
      JdbcSource source,
      SourceKind sourceKind,
      String kafkaBootstrap,
      String topic,
      LakehouseConfig config,
      URI benchRoot,
      BiFunction<Lake, Consumer<SilverSink.Batch>, SilverSink> silverSink,
      Progress progress) {}

  private final Setup setup;
  private final StageMeter meter;
  private final List<BenchStage> stages = new ArrayList<>();

  private final Plan plan;
  private final CdcBench cdc;

  private Bench(Setup setup, StageMeter meter, Plan plan) {
    this.setup = setup;
    this.meter = meter;
    this.plan = plan;
    this.cdc =
        new CdcBench(
            setup,
            meter,
            new CdcBench.Plan(plan.cdcChanges(), plan.cdcRate(), plan.cdcSeconds()),
            this::add,
            this::bronze);
  }

  /**
   * What the bench runs, one value per {@code lakehouse bench} option.
   *
   * @param scales generator scales, each ≥ 1
   * @param repeat measured runs per stage (≥ 1); with more than 1, a warm-up pipeline run at the
   *     first scale comes first and is not counted
   * @param parts which stages run ({@link BenchPart})
   * @param streamEvents events produced at the maximum rate and streamed into Bronze, per run (0:
   *     no throughput stage)
   * @param streamRate events per second produced while the stream merges into Silver, for {@link
   *     Bench#LATENCY_SECONDS} per run (0: no latency stage)
   * @param dashboard the load on the dashboard's JSON endpoints while Gold refreshes, once per
   *     scale (not repeated: it is a fixed-time run); {@code seconds = 0} skips it
   * @param cdcChanges changes committed and then captured into Bronze, per run (0: no CDC
   *     throughput stage)
   * @param cdcRate changes per second committed while capture, Bronze and the apply run (0: no CDC
   *     latency stage)
   * @param cdcSeconds how long that writer commits, per run
   */
  public record Plan(
      List<Integer> scales,
      int repeat,
      Set<BenchPart> parts,
      int streamEvents,
      double streamRate,
      DashboardLoad.Plan dashboard,
      int cdcChanges,
      double cdcRate,
      int cdcSeconds) {
    public Plan {
      scales = List.copyOf(scales);
      parts = Set.copyOf(parts);
    }
  }

  /** Runs the bench. */
  public static List<BenchStage> run(Setup setup, Plan plan) throws Exception {
    try (StageMeter meter = new StageMeter(setup.spark())) {
      Bench b = new Bench(setup, meter, plan);
      int repeat = plan.repeat();
      for (int i = 0; i < plan.scales().size(); i++) {
        b.scale(plan.scales().get(i), repeat, i == 0 && repeat > 1);
      }
      return List.copyOf(b.stages);
    }
  }

  /**
   * A stage measured several times.
   *
   * @param samples one per run
   * @param last the last run's result
   */
  private record Repeated<T>(List<StageMeter.Sample> samples, T last) {}

  /** Measures {@code work} {@code repeat} times (commits counted under {@code lakeFolder}). */
  private <T> Repeated<T> repeated(int repeat, String lakeFolder, Callable<T> work)
      throws Exception {
    List<StageMeter.Sample> samples = new ArrayList<>();
    T last = null;
    for (int r = 0; r < repeat; r++) {
      StageMeter.Measured<T> m = meter.measure(lakeFolder, work);
      samples.add(m.sample());
      last = m.value();
    }
    return new Repeated<>(samples, last);
  }

  private void scale(int scale, int repeat, boolean warmUp) throws Exception {
    Progress p = setup.progress();
    String scaleRoot = folder("scale-" + scale);
    Folders.delete(URI.create(scaleRoot), setup.spark().sparkContext().hadoopConfiguration());
    p.report("bench: scale " + scale + " (lakes under " + scaleRoot + ")");
    // Each run replaces the source with the same seeded data.
    Repeated<LoadReport> loads = repeated(repeat, null, () -> generate(scale));
    add(scale, "load source (generator)", loads.last().total(), loads.samples(), Map.of());
    if (plan.parts().contains(BenchPart.PIPELINE)) {
      pipeline(scale, scaleRoot, repeat, warmUp);
    }
    // Last: it changes the source the pipeline's stages measure.
    if (plan.parts().contains(BenchPart.CDC) && cdc.enabled()) {
      cdc.scale(scale, scaleRoot, repeat);
    }
  }

  /** Every stage but change data capture, at one scale whose source is loaded. */
  private void pipeline(int scale, String scaleRoot, int repeat, boolean warmUp) throws Exception {
    Progress p = setup.progress();
    if (warmUp) {
      p.report("bench: warm-up run (not measured)");
      Lake lake = new Lake(URI.create(scaleRoot + "/warm-up"));
      bronze(lake);
      silver(lake);
      gold(lake);
    }
    Pipeline first = new Pipeline();
    Lake lake = null;
    for (int r = 1; r <= repeat; r++) {
      lake = new Lake(URI.create(scaleRoot + "/run-" + r));
      first.measure(lake.root().toString());
    }
    add(scale, "bronze", first.bronzeRows, first.bronze, Map.of());
    add(scale, "silver", first.silverRows, first.silver, Map.of());
    add(scale, "gold", first.goldRows, first.gold, Map.of());
    double goldSeconds = median(first.gold);

    // Re-runs on unchanged data take the incremental / skip paths: reported separately.
    String at = lake.root().toString();
    Pipeline again = new Pipeline();
    for (int r = 0; r < repeat; r++) {
      again.measure(at);
    }
    add(
        scale,
        "bronze re-run (unchanged source)",
        first.bronzeRows,
        again.bronze,
        Map.of("rows_written", again.bronzeRows));
    add(
        scale,
        "silver re-run (unchanged Bronze)",
        first.silverRows,
        again.silver,
        Map.of("rows_changed", again.silverRows));
    add(
        scale,
        "gold re-run (unchanged Silver)",
        first.goldRows,
        again.gold,
        Map.of("outcome", again.goldOutcome));

    // The pipeline runner on the same lake: one run records what every dataset consumed; then
    // Silver and Gold with nothing new are decided from those records and skipped.
    PipelineRunner runner =
        PipelineRunner.northwind(
            setup.config(), setup::spark, lake(at), setup::source, Progress.NONE);
    runner.run(runner.graph().select("*"), RefreshMode.INCREMENTAL, RunIds::next);
    Repeated<RunReport> idle =
        repeated(
            repeat,
            at,
            () ->
                runner.run(
                    runner.graph().select("silver.*+"), RefreshMode.INCREMENTAL, RunIds::next));
    long refreshed =
        idle.last().count(RunReport.Outcome.WRITTEN)
            + idle.last().count(RunReport.Outcome.UNCHANGED);
    add(
        scale,
        "silver + gold refresh, nothing new (pipeline runner)",
        0,
        idle.samples(),
        Map.of("datasets_refreshed", refreshed));

    if (plan.dashboard().enabled()) {
      dashboardLoad(scale, lake(at), runner);
    }

    if (plan.streamEvents() > 0 || plan.streamRate() > 0) {
      String topic = setup.topic() + "-bench-" + scale + "-" + System.currentTimeMillis();
      createTopic(topic);
      if (plan.streamEvents() > 0) {
        streamThroughput(scale, lake(at), topic, repeat);
      }
      if (plan.streamRate() > 0) {
        streamLatency(scale, lake(at), topic, repeat, runner);
      }
    }

    Repeated<Long> pg = repeated(repeat, null, () -> PostgresBaseline.run(setup.source()));
    double pgSeconds = median(pg.samples());
    Map<String, Object> ratio = new LinkedHashMap<>();
    ratio.put("queries", String.join(",", PostgresBaseline.QUERIES));
    ratio.put(
        "spark_gold_over_postgres", pgSeconds <= 0 ? null : round(goldSeconds / pgSeconds, 1));
    add(scale, "postgres baseline (gold figures as SQL)", pg.last(), pg.samples(), ratio);

    // A small change through the runner: Bronze appends the new orders, Silver takes only them,
    // Gold recomputes what reads the facts. Last, since it changes the source the stages above
    // measure.
    List<StageMeter.Sample> small = new ArrayList<>();
    long silverWritten = 0;
    // This runner reports each flow's time, so the stage's figure can be split by layer.
    PipelineRunner reporting =
        PipelineRunner.northwind(
            setup.config(), setup::spark, lake(at), setup::source, setup.progress());
    for (int r = 0; r < repeat; r++) {
      insertOrders(NEW_ORDERS);
      StageMeter.Measured<RunReport> m =
          meter.measure(
              at,
              () ->
                  reporting.run(
                      reporting.graph().select("*"), RefreshMode.INCREMENTAL, RunIds::next));
      small.add(m.sample());
      silverWritten =
          m.value().datasets().stream()
              .filter(
                  e ->
                      e.dataset().startsWith("silver.") && e.outcome() == RunReport.Outcome.WRITTEN)
              .count();
    }
    add(
        scale,
        NEW_ORDERS + " new orders in the source, then run (pipeline runner)",
        NEW_ORDERS,
        small,
        Map.of("silver_datasets_written", silverWritten));
  }

  /** Orders the small-change stage adds to the source before each run. */
  static final int NEW_ORDERS = 50;

  /**
   * Adds {@code n} orders to the source, each a copy (with its lines) of an existing order under
   * the next free id, as an application appending orders would.
   */
  private void insertOrders(int n) throws SQLException {
    try (Connection c = setup.source().connect();
        java.sql.Statement s = c.createStatement()) {
      String schema = setup.config().source().schema();
      s.execute("SET search_path TO " + schema);
      s.execute(
          "CREATE TEMP TABLE bench_o AS SELECT * FROM orders ORDER BY order_id DESC LIMIT " + n);
      s.execute(
          "CREATE TEMP TABLE bench_d AS SELECT d.* FROM order_details d JOIN bench_o o"
              + " ON o.order_id = d.order_id");
      s.execute(
          "CREATE TEMP TABLE bench_shift AS SELECT max(order_id) - min(order_id) + 1 AS k"
              + " FROM bench_o");
      s.execute("UPDATE bench_d SET order_id = order_id + (SELECT k FROM bench_shift)");
      s.execute("UPDATE bench_o SET order_id = order_id + (SELECT k FROM bench_shift)");
      s.execute("INSERT INTO orders SELECT * FROM bench_o");
      s.execute("INSERT INTO order_details SELECT * FROM bench_d");
      s.execute("DROP TABLE bench_o, bench_d, bench_shift");
    }
  }

  /**
   * Bronze, Silver and Gold measured run after run on a lake: the samples and the last run's
   * figures.
   */
  private final class Pipeline {
    final List<StageMeter.Sample> bronze = new ArrayList<>();
    final List<StageMeter.Sample> silver = new ArrayList<>();
    final List<StageMeter.Sample> gold = new ArrayList<>();
    long bronzeRows;
    long silverRows;
    long goldRows;
    String goldOutcome = "";

    void measure(String at) throws Exception {
      StageMeter.Measured<BronzeReport> b =
          meter.measure(at, () -> bronze(setup.spark(), lake(at)));
      bronze.add(b.sample());
      bronzeRows = b.value().tables().stream().mapToLong(BronzeReport.TableRun::rowsWritten).sum();
      StageMeter.Measured<SilverReport> s = meter.measure(at, () -> silver(lake(at)));
      silver.add(s.sample());
      silverRows = s.value().changedRows().values().stream().mapToLong(Long::longValue).sum();
      StageMeter.Measured<GoldReport> g = meter.measure(at, () -> gold(lake(at)));
      gold.add(g.sample());
      goldRows = g.value().tables().stream().mapToLong(GoldReport.TableRows::rows).sum();
      goldOutcome = g.value().outcome().name();
    }
  }

  /**
   * Throughput into Bronze: {@link Plan#streamEvents} events are produced at the maximum rate, then
   * the stream (stream.silver=off: Bronze only) processes them until idle. Each run adds new events
   * to the same topic and checkpoint, so each run streams only its own events.
   */
  private void streamThroughput(int scale, Lake lake, String topic, int repeat) throws Exception {
    SparkSession spark = setup.spark();
    List<StageMeter.Sample> produce = new ArrayList<>();
    List<StageMeter.Sample> stream = new ArrayList<>();
    long written = 0;
    int batches = 0;
    for (int r = 0; r < repeat; r++) {
      produce.add(
          meter.measure(null, () -> produce(spark, lake, topic, plan.streamEvents(), 0)).sample());
      StreamJob job = streamJob(lake, topic, LakehouseConfig.StreamSilver.OFF);
      String at = lake.root().toString();
      StageMeter.Measured<List<StreamBatchReport>> s = meter.measure(at, job::runUntilIdle);
      stream.add(s.sample());
      written = s.value().stream().mapToLong(StreamBatchReport::rowsWritten).sum();
      batches = s.value().size();
      if (written != plan.streamEvents()) {
        throw new IllegalStateException(
            "bench: the stream wrote " + written + " of " + plan.streamEvents() + " events");
      }
    }
    add(scale, "produce events (Kafka, max rate)", plan.streamEvents(), produce, Map.of());
    add(
        scale,
        "stream into Bronze (stream.silver=off)",
        written,
        stream,
        Map.of("batches", batches));
  }

  /** A quiet stream job of the bench's broker and {@code topic}, with {@code silver}. */
  private StreamJob streamJob(Lake lake, String topic, LakehouseConfig.StreamSilver silver) {
    return new StreamJob(
        setup.spark(),
        lake,
        setup.kafkaBootstrap(),
        topic,
        setup.config().stream().withSilver(silver),
        Progress.NONE);
  }

  /**
   * Latency to Silver and to Gold, as `lakehouse stream` runs: the stream merges each micro-batch
   * into Silver (stream.silver=merge, trigger stream.trigger.interval) and then refreshes Gold
   * ({@link StreamRefresh}, {@code gold.*}), while events are produced at {@link Plan#streamRate}
   * per second for {@link #LATENCY_SECONDS}. Per event, from its event_time (stamped when produced)
   * to the commit of its micro-batch, which comes after the Silver merge, and to the commit of the
   * first {@code gold.kpi_summary} row that counts its order.
   */
  private void streamLatency(int scale, Lake lake, String topic, int repeat, PipelineRunner runner)
      throws Exception {
    SparkSession spark = setup.spark();
    int events = (int) Math.max(1, Math.round(plan.streamRate() * LATENCY_SECONDS));
    List<StageMeter.Sample> samples = new ArrayList<>();
    RunLatencies toSilver = new RunLatencies();
    RunLatencies toGold = new RunLatencies();
    long goldRefreshes = 0;
    int batches = 0;
    for (int r = 0; r < repeat; r++) {
      // Gold has counted every stream order Silver holds before the events of this run.
      runner.run(runner.graph().select("gold.*"), RefreshMode.INCREMENTAL, RunIds::next);
      long streamOrdersBefore = streamOrders(spark, lake);
      long kpiVersionBefore = lake.version(spark, GoldSummary.KPI_SUMMARY);
      StreamRefresh gold = new StreamRefresh(runner, "gold.*", RunIds::next, Progress.NONE);
      StreamJob job =
          streamJob(lake, topic, LakehouseConfig.StreamSilver.MERGE)
              .withSilver(setup.silverSink().apply(lake, gold::merged));
      StreamingQuery q = job.start(StreamTrigger.PROCESSING_TIME);
      List<StreamBatchReport> reports;
      StageMeter.Measured<Integer> m;
      try {
        // The query's start-up is not part of an event's latency in a running stream.
        awaitActive(q);
        m =
            meter.measure(
                lake.root().toString(),
                () -> {
                  int sent = produce(spark, lake, topic, events, plan.streamRate());
                  awaitWritten(q, job, sent);
                  // The last batch's offsets are committed after its foreachBatch returned: stop
                  // once they are, so the next repeat does not start by replaying it.
                  q.processAllAvailable();
                  // Then the refresh in flight and the one asked for by the last batch.
                  q.stop();
                  gold.close();
                  return sent;
                });
      } finally {
        q.stop();
        gold.close();
      }
      reports = job.reports();
      samples.add(m.sample());
      batches = reports.size();
      List<String> runIds = reports.stream().map(StreamBatchReport::runId).toList();
      Dataset<Row> sent =
          lake.read(spark, StreamJob.ORDER_EVENTS)
              .where(col("_run_id").isin(runIds.toArray()))
              .select(col("_run_id"), col("order_id"), col("event_time"));
      toSilver.add(
          sent.join(
                  lake.read(spark, StreamJob.BATCHES)
                      .select(col("run_id").as("_run_id"), col("committed_at")),
                  "_run_id")
              .select(expr("unix_millis(committed_at) - unix_millis(event_time)").as("ms")));
      GoldLatency kpi =
          goldLatency(spark, lake, sent, runIds, streamOrdersBefore, kpiVersionBefore);
      toGold.add(kpi.latencies());
      goldRefreshes = kpi.refreshes();
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("rate_per_s", plan.streamRate());
    extra.put("trigger", setup.config().stream().triggerInterval());
    extra.put("batches", batches);
    extra.put("event_to_silver_p50_ms", toSilver.p50());
    extra.put("event_to_silver_p99_ms", toSilver.p99());
    extra.put("event_to_gold_p50_ms", toGold.p50());
    extra.put("event_to_gold_p99_ms", toGold.p99());
    extra.put("gold_refreshes", goldRefreshes);
    add(
        scale,
        "stream to Silver and Gold at " + fmt(plan.streamRate()) + " events/s (latency)",
        events,
        samples,
        extra);
  }

  /** Orders the stream put in Silver so far. */
  private static long streamOrders(SparkSession spark, Lake lake) {
    return lake.read(spark, SilverJob.FACT_ORDER)
        .where(col("source").equalTo(Source.STREAM.id()))
        .count();
  }

  /**
   * When each event's order became visible in {@code gold.kpi_summary}: its micro-batch is visible
   * from the first kpi_summary row (one appended per Gold refresh, rows in commit order) whose
   * stream_orders reaches the stream orders Silver held before this run plus the orders of every
   * batch up to this one (events of one Kafka partition arrive in order). The row's time is its
   * Delta commit's. Events of a batch no kpi row reached get no figure (percentiles of the rest).
   */
  private static GoldLatency goldLatency(
      SparkSession spark,
      Lake lake,
      Dataset<Row> sent,
      List<String> runIds,
      long streamOrdersBefore,
      long kpiVersionBefore) {
    // Small: one row per batch and one per Gold refresh of this run.
    Map<String, Long> ordersByBatch = new LinkedHashMap<>();
    sent.groupBy("_run_id")
        .agg(expr("count(DISTINCT order_id)"))
        .collectAsList()
        .forEach(row -> ordersByBatch.put(row.getString(0), row.getLong(1)));
    List<Row> commits =
        lake.delta(spark, GoldSummary.KPI_SUMMARY)
            .history()
            .where(col("version").gt(kpiVersionBefore))
            .orderBy("version")
            .select(expr("unix_millis(timestamp)"))
            .collectAsList();
    List<Row> rows =
        lake.read(spark, GoldSummary.KPI_SUMMARY)
            .orderBy(col("computed_at").desc())
            .limit(commits.size())
            .orderBy("computed_at")
            .select("stream_orders")
            .collectAsList();
    List<long[]> visible = new ArrayList<>();
    for (int i = 0; i < commits.size() && i < rows.size(); i++) {
      visible.add(new long[] {rows.get(i).getLong(0), commits.get(i).getLong(0)});
    }
    List<Row> batchVisible = new ArrayList<>();
    long cumulative = streamOrdersBefore;
    for (String runId : runIds) {
      cumulative += ordersByBatch.getOrDefault(runId, 0L);
      for (long[] v : visible) {
        if (v[0] >= cumulative) {
          batchVisible.add(RowFactory.create(runId, v[1]));
          break;
        }
      }
    }
    Dataset<Row> when =
        spark.createDataFrame(
            batchVisible,
            new StructType()
                .add("_run_id", DataTypes.StringType)
                .add("visible_ms", DataTypes.LongType));
    return new GoldLatency(
        sent.join(when, "_run_id").select(expr("visible_ms - unix_millis(event_time)").as("ms")),
        visible.size());
  }

  /** Event → gold.kpi_summary latencies (column ms) of one run, and the Gold refreshes it saw. */
  private record GoldLatency(Dataset<Row> latencies, long refreshes) {}

  /** The JSON endpoints the dashboard's pages poll, requested round-robin by the load. */
  static final List<String> DASHBOARD_PATHS =
      List.of(
          "api/dashboard",
          "api/summary",
          "api/countries",
          "api/segments",
          "api/months",
          "api/cumulative?country=ALL",
          "api/pipeline");

  /**
   * The dashboard under load: its server on loopback over this scale's lake (Gold and the Pipeline
   * page), {@link Plan#dashboard} clients requesting its JSON endpoints while Gold is refreshed
   * again and again (full refreshes by the pipeline runner), so requests meet snapshot swaps.
   */
  private void dashboardLoad(int scale, Lake lake, PipelineRunner runner) throws Exception {
    SparkSession spark = setup.spark();
    DashboardFeed feed =
        DashboardFeed.primed(
            new DashboardData(spark, lake),
            () -> new PipelineStatus(setup.config(), lake, () -> spark));
    try (DashboardServer server =
        DashboardServer.start(feed, DashboardServer.DEFAULT_HOST, 0, "", Progress.NONE)) {
      // The Pipeline page's first read is part of starting, not of the load.
      long until = System.nanoTime() + 600_000_000_000L;
      while (feed.pipeline().orElseThrow().loading() && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      AtomicBoolean loading = new AtomicBoolean(true);
      AtomicInteger refreshes = new AtomicInteger();
      Thread refresher =
          Threads.daemon(
              () -> {
                while (loading.get()) {
                  runner.run(
                      runner.graph().select("gold.*"), RefreshMode.FULL_REFRESH, RunIds::next);
                  refreshes.incrementAndGet();
                }
              },
              "bench-gold-refresher");
      StageMeter.Measured<DashboardLoad.Result> m;
      refresher.start();
      try {
        m =
            meter.measure(
                lake.root().toString(),
                () -> DashboardLoad.run(server.url(), DASHBOARD_PATHS, plan.dashboard()));
      } finally {
        loading.set(false);
        refresher.join(600_000);
      }
      DashboardLoad.Result r = m.value();
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("clients", plan.dashboard().clients());
      extra.put("requests_per_s", round(r.requestsPerSecond(), 1));
      extra.put("p50_ms", round(r.p50Ms(), 2));
      extra.put("p95_ms", round(r.p95Ms(), 2));
      extra.put("p99_ms", round(r.p99Ms(), 2));
      extra.put("max_ms", round(r.maxMs(), 2));
      extra.put("errors", r.errors());
      extra.put("gold_refreshes", refreshes.get());
      add(
          scale,
          "dashboard JSON endpoints, "
              + plan.dashboard().clients()
              + " clients for "
              + plan.dashboard().seconds()
              + " s while Gold refreshes",
          r.requests(),
          List.of(m.sample()),
          extra);
    }
  }

  /** Seconds of paced events per latency run. */
  public static final int LATENCY_SECONDS = 20;

  private int produce(SparkSession spark, Lake lake, String topic, int events, double rate) {
    try (OrderEventProducer producer = new OrderEventProducer(setup.kafkaBootstrap(), topic)) {
      return producer
          .produce(
              setup.source(),
              OrderEventProducer.bronzeMaxOrderId(spark, lake),
              events,
              rate,
              NorthwindGenerator.DEFAULT_SEED + System.nanoTime(),
              Progress.NONE)
          .size();
    }
  }

  private static void awaitActive(StreamingQuery q) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    // The first trigger has run when the query reports progress (or when it has no data yet).
    while (q.lastProgress() == null && q.isActive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    if (!q.isActive()) {
      throw stopped(q, "bench: the stream stopped before any event was sent");
    }
  }

  private static void awaitWritten(StreamingQuery q, StreamJob job, int events)
      throws InterruptedException {
    long deadline = System.nanoTime() + 600_000_000_000L;
    for (long written = written(job); written < events; written = written(job)) {
      if (!q.isActive() || System.nanoTime() > deadline) {
        throw stopped(q, "bench: the stream wrote " + written + " of " + events + " events");
      }
      Thread.sleep(20);
    }
  }

  /** The failure of a latency run's query, with its cause's first line (the CLI shows one line). */
  private static IllegalStateException stopped(StreamingQuery q, String what) {
    Throwable cause = q.exception().isDefined() ? q.exception().get() : null;
    return new IllegalStateException(
        cause == null ? what : what + ": " + LakehouseErrors.firstLine(cause), cause);
  }

  private static long written(StreamJob job) {
    return job.reports().stream().mapToLong(StreamBatchReport::rowsWritten).sum();
  }

  static double middle(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static String fmt(double rate) {
    return rate == Math.rint(rate) ? String.format("%,d", (long) rate) : String.valueOf(rate);
  }

  private void createTopic(String topic) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, setup.kafkaBootstrap());
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    } catch (Exception e) {
      // The broker auto-creates topics on first use when this fails (e.g. it already exists).
    }
  }

  private LoadReport generate(int scale) {
    try (Connection c = setup.source().connect()) {
      return NorthwindGenerator.generate(
          c, scale, NorthwindGenerator.DEFAULT_SEED, ExistingData.REPLACE);
    } catch (SQLException e) {
      throw LakehouseErrors.sourceUnreachable(setup.source().url(), e);
    }
  }

  private BronzeReport bronze(Lake lake) {
    return bronze(setup.spark(), lake);
  }

  private BronzeReport bronze(SparkSession spark, Lake lake) {
    BronzeReport r =
        BronzeJob.run(
            spark,
            lake,
            setup.source(),
            BronzeOptions.from(setup.config(), List.of()),
            Progress.NONE);
    if (!r.failed().isEmpty()) {
      throw LakehouseErrors.bronzeTablesFailed(
          setup.source().system(),
          r.failed().stream().map(t -> t.table() + " (" + t.error() + ")").toList());
    }
    return r;
  }

  private SilverReport silver(Lake lake) {
    return SilverJob.run(setup.spark(), lake, "bench-silver-" + System.nanoTime(), Progress.NONE);
  }

  private GoldReport gold(Lake lake) {
    return GoldJob.run(setup.spark(), lake, "bench-gold-" + System.nanoTime(), Progress.NONE);
  }

  private static Lake lake(String root) {
    return new Lake(URI.create(root));
  }

  private String folder(String name) {
    String root = setup.benchRoot().toString();
    return (root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + "/" + name;
  }

  private void add(
      int scale,
      String stage,
      long rows,
      List<StageMeter.Sample> samples,
      Map<String, Object> extra) {
    StageMeter.Sample last = samples.get(samples.size() - 1);
    long peak = samples.stream().mapToLong(StageMeter.Sample::peakHeapBytes).max().orElse(0);
    BenchStage s =
        new BenchStage(
            scale,
            stage,
            rows,
            median(samples),
            samples.size(),
            last.jobs(),
            last.sparkStages(),
            last.deltaCommits(),
            peak / (1024 * 1024),
            extra);
    stages.add(s);
    setup.progress().report(BenchReport.line(s));
  }

  static double median(List<StageMeter.Sample> samples) {
    return middle(samples.stream().map(StageMeter.Sample::seconds).toList());
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
