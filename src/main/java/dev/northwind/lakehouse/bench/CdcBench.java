package dev.northwind.lakehouse.bench;

import static org.apache.spark.sql.functions.col;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.Threads;
import dev.northwind.lakehouse.cdc.CaptureIntoBronze;
import dev.northwind.lakehouse.cdc.CdcBronzeJob;
import dev.northwind.lakehouse.cdc.CdcCapture;
import dev.northwind.lakehouse.cdc.CdcSettings;
import dev.northwind.lakehouse.cdc.Preflight;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.RunIds;
import dev.northwind.lakehouse.pipeline.PipelineRunner;
import dev.northwind.lakehouse.pipeline.RefreshMode;
import dev.northwind.lakehouse.pipeline.RunReport;
import dev.northwind.lakehouse.stream.KafkaTopics;
import dev.northwind.lakehouse.stream.StreamTrigger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * The change data capture stages of the bench, on their own lake ({@code <scale>/cdc}): the
 * source's Bronze batch tables (so captured rows are typed as the batch reads them), the capture's
 * first snapshot into Bronze and a first apply (not measured); then
 *
 * <ul>
 *   <li><b>capture into Bronze</b>: {@link Plan#changes} updates committed in PostgreSQL in a few
 *       transactions, then {@code cdc --until-idle} as the command runs it (Debezium into Kafka
 *       until idle, then the topics into Bronze with AvailableNow): changes per second;
 *   <li><b>commit → visible in Silver</b>: a writer commits {@link Plan#rate} changes per second
 *       for {@link Plan#seconds} while the capture, the Bronze stream and the apply ({@code
 *       lakehouse run}'s Silver step, back to back) run; per change, from its commit time in
 *       PostgreSQL to the end of the first apply that started after the change was in Bronze.
 * </ul>
 *
 * <p>The slot, publication and stored offsets are the bench's own ({@value #SLOT}) and dropped at
 * the end, so a user's capture on the same database is not touched.
 */
final class CdcBench {

  /** Replication slot and publication of the bench's capture. */
  static final String SLOT = "northwind_bench";

  /** Changes per transaction of the throughput stage's commits. */
  private static final int TRANSACTION_CHANGES = 5_000;

  /** Transactions per second of the latency stage's writer. */
  private static final int WRITER_TRANSACTIONS_PER_SECOND = 20;

  /** Longest wait for the last change to reach Silver once the writer stopped. */
  private static final long DRAIN_NANOS = 900_000_000_000L;

  /**
   * What to run.
   *
   * @param changes changes committed for the throughput stage, per run (0: no throughput stage)
   * @param rate changes per second of the latency stage's writer (0: no latency stage)
   * @param seconds how long that writer runs, per run
   */
  record Plan(int changes, double rate, int seconds) {
    static final Plan DEFAULT = new Plan(20_000, 200, 60);

    boolean enabled() {
      return changes > 0 || rate > 0;
    }
  }

  /** Records a measured stage (Bench's table). */
  interface Stages {
    void add(
        int scale,
        String stage,
        long rows,
        List<StageMeter.Sample> samples,
        Map<String, Object> extra);
  }

  private final Bench.Setup setup;
  private final StageMeter meter;
  private final Plan plan;
  private final Stages stages;
  private final Consumer<Lake> batchBronze;

  CdcBench(
      Bench.Setup setup, StageMeter meter, Plan plan, Stages stages, Consumer<Lake> batchBronze) {
    this.setup = setup;
    this.meter = meter;
    this.plan = plan;
    this.stages = stages;
    this.batchBronze = batchBronze;
  }

  /** Whether any CDC stage runs. */
  boolean enabled() {
    return plan.enabled();
  }

  /** The stages at one scale, on a lake under {@code scaleRoot}. */
  void scale(int scale, String scaleRoot, int repeat) throws Exception {
    Progress p = setup.progress();
    Lake lake = new Lake(URI.create(scaleRoot + "/cdc"));
    String schema = setup.config().source().schema();
    CdcSettings base = CdcSettings.of(setup.config());
    // Topics of their own: Bronze reads only this run's changes.
    CdcSettings settings =
        new CdcSettings(
            SLOT,
            SLOT,
            "northwind.bench.s" + scale + "." + Long.toString(System.currentTimeMillis(), 36),
            base.tables(),
            base.maxLagBytes(),
            base.idle());
    Preflight preflight = new Preflight(setup.source(), schema, settings);
    Path offsets =
        CdcCapture.offsetsFile(
            URI.create(lake.checkpoint("cdc_capture_" + SLOT)), setup.config().servicesDir(), SLOT);
    // Left over by an interrupted bench: start from a new snapshot.
    preflight.drop();
    Files.deleteIfExists(offsets);
    try {
      List<String> tables = preflight.run(setup.sourceKind(), Progress.NONE).tables();
      p.report("bench: cdc on " + lake.root() + " (batch Bronze, snapshot, first apply)");
      batchBronze.accept(lake);
      Run run = new Run(setup, lake, schema, settings, offsets, tables);
      run.capture().run(tables, CdcCapture.Until.IDLE);
      run.bronze().run(StreamTrigger.AVAILABLE_NOW, q -> {});
      apply(lake);
      if (plan.changes() > 0) {
        throughput(scale, run, repeat);
      }
      if (plan.rate() > 0) {
        latency(scale, run, repeat);
      }
    } finally {
      preflight.drop();
      Files.deleteIfExists(offsets);
    }
  }

  /** What a capture and its Bronze stream need. */
  private record Run(
      Bench.Setup setup,
      Lake lake,
      String schema,
      CdcSettings settings,
      Path offsets,
      List<String> tables) {

    CdcCapture capture() {
      return new CdcCapture(
          setup.source(), schema, setup.kafkaBootstrap(), settings, offsets, Progress.NONE);
    }

    CdcBronzeJob bronze() {
      return bronze(setup.config().stream().triggerInterval());
    }

    CdcBronzeJob bronze(String triggerInterval) {
      return new CdcBronzeJob(
          setup.spark(),
          lake,
          KafkaTopics.pattern(setup.kafkaBootstrap(), settings.topicPattern(schema)),
          triggerInterval,
          Progress.NONE);
    }

    String at() {
      return lake.root().toString();
    }
  }

  /**
   * Capture into Bronze: {@link Plan#changes} updates of order lines committed in transactions of
   * {@value #TRANSACTION_CHANGES}, then what {@code cdc --until-idle} does: the capture until idle
   * with the Bronze stream beside it ({@link CaptureIntoBronze}), until Bronze holds every change.
   */
  private void throughput(int scale, Run run, int repeat) throws Exception {
    List<StageMeter.Sample> both = new ArrayList<>();
    List<Double> sendingRate = new ArrayList<>();
    List<Double> captureSeconds = new ArrayList<>();
    long committed = 0;
    for (int r = 0; r < repeat; r++) {
      committed = commitChanges(plan.changes());
      CdcBronzeJob bronze = run.bronze(CdcBronzeJob.UNTIL_IDLE_INTERVAL);
      StageMeter.Measured<CdcCapture.Captured> c =
          meter.measure(
              run.at(),
              () ->
                  CaptureIntoBronze.run(
                      run.capture(), run.tables(), bronze, CdcCapture.Until.IDLE));
      if (c.value().sent() != committed || bronze.written() != committed) {
        throw new IllegalStateException(
            String.format(
                "bench: %d changes committed, %d captured, %d appended to Bronze",
                committed, c.value().sent(), bronze.written()));
      }
      both.add(c.sample());
      captureSeconds.add(c.value().seconds());
      double sending = c.value().sendingSeconds();
      sendingRate.add(sending <= 0 ? Double.NaN : committed / sending);
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("transactions", (committed + TRANSACTION_CHANGES - 1) / TRANSACTION_CHANGES);
    extra.put("idle", run.settings().idle().toMillis() + " ms");
    extra.put("capture_s", Math.round(Bench.middle(captureSeconds) * 100) / 100.0);
    extra.put("sending_changes_per_s", Math.round(Bench.middle(sendingRate)));
    stages.add(
        scale,
        "cdc capture into Bronze, "
            + String.format("%,d", committed)
            + " changes (cdc --until-idle: start-up and idle included)",
        committed,
        both,
        extra);
  }

  /**
   * Commits {@code n} updates of order lines (each line's quantity + 1, lines in random order), in
   * transactions of at most {@value #TRANSACTION_CHANGES} changes; returns the changes committed.
   */
  private long commitChanges(int n) throws SQLException {
    long done = 0;
    try (Connection c = setup.source().connect();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + setup.config().source().schema());
      while (done < n) {
        int k = (int) Math.min(TRANSACTION_CHANGES, n - done);
        int updated =
            s.executeUpdate(
                "UPDATE order_details SET quantity = quantity % 1000 + 1"
                    + " WHERE (order_id, product_id) IN (SELECT order_id, product_id"
                    + " FROM order_details ORDER BY random() LIMIT "
                    + k
                    + ")");
        if (updated == 0) {
          throw new IllegalStateException("bench: the source has no order lines to update");
        }
        done += updated;
      }
    }
    return done;
  }

  /** One apply run: its start (before it reads Bronze) and end, epoch milliseconds. */
  private record Apply(long start, long end) {}

  /**
   * Commit → visible in Silver: capture, Bronze stream (a micro-batch every
   * stream.trigger.interval) and applies back to back run while a writer commits {@link Plan#rate}
   * changes per second for {@link Plan#seconds}; then until every change reached Silver.
   */
  private void latency(int scale, Run run, int repeat) throws Exception {
    SparkSession spark = setup.spark();
    int total = (int) Math.max(1, Math.round(plan.rate() * plan.seconds()));
    List<StageMeter.Sample> samples = new ArrayList<>();
    RunLatencies toSilver = new RunLatencies();
    List<Double> bronzeP50 = new ArrayList<>();
    List<Double> applySeconds = new ArrayList<>();
    int applies = 0;
    for (int r = 0; r < repeat; r++) {
      CdcCapture capture = run.capture();
      CdcBronzeJob bronze = run.bronze();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      AtomicReference<StreamingQuery> query = new AtomicReference<>();
      AtomicBoolean applying = new AtomicBoolean(true);
      List<Apply> done = new CopyOnWriteArrayList<>();
      List<Apply> idle = new CopyOnWriteArrayList<>();
      Thread capturing =
          daemon(
              "bench-cdc-capture",
              failed,
              () -> capture.run(run.tables(), CdcCapture.Until.STOPPED));
      Thread streaming =
          daemon(
              "bench-cdc-bronze",
              failed,
              () -> bronze.run(StreamTrigger.PROCESSING_TIME, query::set));
      Thread applier =
          daemon(
              "bench-cdc-apply",
              failed,
              () -> {
                PipelineRunner runner = runner(run.lake());
                while (applying.get()) {
                  long start = System.currentTimeMillis();
                  if (applied(runner)) {
                    done.add(new Apply(start, System.currentTimeMillis()));
                  } else {
                    // Silver already held all Bronze had at `start`: the run only read Delta logs.
                    idle.add(new Apply(start, System.currentTimeMillis()));
                    Thread.sleep(IDLE_MILLIS);
                  }
                }
              });
      long writtenBefore = bronze.written();
      Timestamp from;
      StageMeter.Measured<Integer> m;
      try {
        capturing.start();
        streaming.start();
        applier.start();
        from = new Timestamp(System.currentTimeMillis());
        m =
            meter.measure(
                run.at(),
                () -> {
                  int sent = write(total, failed);
                  awaitApplied(bronze, writtenBefore + sent, done, idle, failed);
                  return sent;
                });
      } finally {
        applying.set(false);
        capture.stop();
        capturing.join(120_000);
        StreamingQuery q = query.get();
        if (q != null) {
          q.stop();
        }
        streaming.join(120_000);
        applier.join(DRAIN_NANOS / 1_000_000);
      }
      samples.add(m.sample());
      applies = done.size();
      // Read once: both latencies come from the same changes.
      List<Row> arrived = arrivals(spark, run.lake(), from);
      double[] lat = latencies(arrived, done, idle);
      toSilver.add(percentile(lat, 0.5), percentile(lat, 0.99));
      bronzeP50.add(percentile(bronzeLatencies(arrived), 0.5));
      applySeconds.add(
          Bench.middle(done.stream().map(a -> (a.end() - a.start()) / 1000.0).toList()));
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("rate_per_s", plan.rate());
    extra.put("writer_seconds", plan.seconds());
    extra.put("trigger", setup.config().stream().triggerInterval());
    extra.put("applies", applies);
    extra.put("apply_median_s", Bench.round(Bench.middle(applySeconds), 1));
    extra.put("commit_to_bronze_p50_ms", Math.round(Bench.middle(bronzeP50)));
    extra.put("commit_to_silver_p50_ms", toSilver.p50());
    extra.put("commit_to_silver_p99_ms", toSilver.p99());
    stages.add(
        scale,
        "cdc commit → Silver at "
            + Math.round(plan.rate())
            + " changes/s for "
            + plan.seconds()
            + " s (latency)",
        total,
        samples,
        extra);
  }

  /**
   * The writer: {@code total} updates of order lines (quantity + 1, each line in turn), in {@value
   * #WRITER_TRANSACTIONS_PER_SECOND} transactions a second paced from the start, so the rate holds
   * however long a commit takes.
   */
  private int write(int total, AtomicReference<Throwable> failed) throws Exception {
    List<long[]> keys = new ArrayList<>();
    try (Connection c = setup.source().connect();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + setup.config().source().schema());
      try (ResultSet rs =
          s.executeQuery("SELECT order_id, product_id FROM order_details ORDER BY 1, 2")) {
        while (rs.next()) {
          keys.add(new long[] {rs.getLong(1), rs.getLong(2)});
        }
      }
      if (keys.isEmpty()) {
        throw new IllegalStateException("bench: the source has no order lines to update");
      }
      c.setAutoCommit(false);
      int perTransaction =
          (int) Math.max(1, Math.round(plan.rate() / WRITER_TRANSACTIONS_PER_SECOND));
      long intervalNanos = 1_000_000_000L / WRITER_TRANSACTIONS_PER_SECOND;
      long start = System.nanoTime();
      int sent = 0;
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE order_details SET quantity = quantity % 1000 + 1"
                  + " WHERE order_id = ? AND product_id = ?")) {
        for (int t = 0; sent < total; t++) {
          long due = start + t * intervalNanos;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          if (failed.get() != null) {
            throw new IllegalStateException("bench: cdc stopped", failed.get());
          }
          int n = Math.min(perTransaction, total - sent);
          for (int i = 0; i < n; i++) {
            long[] k = keys.get((sent + i) % keys.size());
            ps.setLong(1, k[0]);
            ps.setLong(2, k[1]);
            ps.addBatch();
          }
          ps.executeBatch();
          c.commit();
          sent += n;
        }
      }
      return sent;
    }
  }

  /**
   * Waits until Bronze holds {@code written} changes of this bronze job and then until a refresh
   * that started after that has ended: an apply, or a check that found Silver up to date (the apply
   * that read the last change started before this wait noticed it).
   */
  private static void awaitApplied(
      CdcBronzeJob bronze,
      long written,
      List<Apply> done,
      List<Apply> idle,
      AtomicReference<Throwable> failed)
      throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_NANOS;
    while (bronze.written() < written) {
      check(failed, deadline, "Bronze has " + bronze.written() + " of " + written + " changes");
      Thread.sleep(50);
    }
    long inBronze = System.currentTimeMillis();
    while (done.stream().noneMatch(a -> a.start() >= inBronze)
        && idle.stream().noneMatch(a -> a.start() >= inBronze)) {
      check(failed, deadline, "no apply ran after the last change reached Bronze");
      Thread.sleep(50);
    }
  }

  private static void check(AtomicReference<Throwable> failed, long deadline, String what) {
    if (failed.get() != null) {
      throw new IllegalStateException("bench: cdc stopped: " + what, failed.get());
    }
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("bench: cdc timed out: " + what);
    }
  }

  /**
   * Per change of {@link #arrivals}: milliseconds from its commit in PostgreSQL to the end of the
   * first apply that started after its Bronze micro-batch was committed (so read it; an apply pins
   * Bronze's files when it starts, and a change that reached Bronze during an apply counts for the
   * next one: an upper bound). When no apply started after it (the Bronze time is taken just after
   * the commit, and the apply that read the change started in between), the first check that found
   * Silver up to date after it ends its wait: an upper bound too.
   */
  private static double[] latencies(List<Row> rows, List<Apply> applies, List<Apply> idle) {
    List<Apply> byStart =
        applies.stream().sorted((a, b) -> Long.compare(a.start(), b.start())).toList();
    List<Apply> checks =
        idle.stream().sorted((a, b) -> Long.compare(a.start(), b.start())).toList();
    double[] out = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      long committed = rows.get(i).getTimestamp(0).getTime();
      long inBronze = rows.get(i).getTimestamp(1).getTime();
      Apply a =
          byStart.stream()
              .filter(x -> x.start() >= inBronze)
              .findFirst()
              .or(() -> checks.stream().filter(x -> x.start() >= inBronze).findFirst())
              .orElseThrow(
                  () -> new IllegalStateException("bench: a change reached Silver in no apply"));
      out[i] = a.end() - committed;
    }
    return out;
  }

  /** Per change of {@link #arrivals}: milliseconds from its commit to its Bronze batch. */
  private static double[] bronzeLatencies(List<Row> rows) {
    return rows.stream()
        .mapToDouble(r -> r.getTimestamp(1).getTime() - r.getTimestamp(0).getTime())
        .toArray();
  }

  /** (commit time, Bronze batch committed at) of every change committed since {@code from}. */
  private static List<Row> arrivals(SparkSession spark, Lake lake, Timestamp from) {
    return lake.read(spark, CdcBronzeJob.CHANGES)
        .where(col("commit_time").geq(from))
        .select(col("commit_time"), col("_run_id"))
        .join(
            lake.read(spark, CdcBronzeJob.BATCHES)
                .select(col("run_id").as("_run_id"), col("committed_at")),
            "_run_id")
        .select("commit_time", "committed_at")
        .collectAsList();
  }

  private static double percentile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    return v[(int) Math.min(v.length - 1, Math.ceil(q * v.length) - 1)];
  }

  /** Work that may throw, for a bench thread. */
  private interface Work {
    void run() throws Exception;
  }

  private static Thread daemon(String name, AtomicReference<Throwable> failed, Work work) {
    return Threads.daemon(
        () -> {
          try {
            work.run();
          } catch (Throwable e) {
            failed.compareAndSet(null, e);
          }
        },
        name);
  }

  private void apply(Lake lake) {
    applied(runner(lake));
  }

  /**
   * Silver's refresh through the pipeline graph, as {@code lakehouse run --select 'silver.*'} does
   * it: from the change table's version the last refresh consumed.
   */
  private PipelineRunner runner(Lake lake) {
    return PipelineRunner.northwind(
        setup.config(), setup::spark, lake, setup::source, Progress.NONE);
  }

  /** Refreshes Silver; whether its flow ran (false: no input moved since the last refresh). */
  private static boolean applied(PipelineRunner runner) {
    RunReport r =
        runner.run(runner.graph().select("silver.*"), RefreshMode.INCREMENTAL, RunIds::next);
    return r.count(RunReport.Outcome.WRITTEN) + r.count(RunReport.Outcome.UNCHANGED) > 0;
  }

  /** The applier's pause when Silver was up to date. */
  private static final long IDLE_MILLIS = 100;
}
