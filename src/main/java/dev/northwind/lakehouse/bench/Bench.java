package dev.northwind.lakehouse.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.bronze.BronzeJob;
import dev.northwind.lakehouse.bronze.BronzeOptions;
import dev.northwind.lakehouse.bronze.BronzeReport;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.gold.GoldJob;
import dev.northwind.lakehouse.gold.GoldReport;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.silver.SilverReport;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.source.LoadReport;
import dev.northwind.lakehouse.source.NorthwindGenerator;
import dev.northwind.lakehouse.stream.OrderEventProducer;
import dev.northwind.lakehouse.stream.SilverSink;
import dev.northwind.lakehouse.stream.StreamBatchReport;
import dev.northwind.lakehouse.stream.StreamJob;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark: per generator scale, in this one process, load the source, then Bronze, Silver
 * and Gold on a fresh lake folder ({@code <benchRoot>/scale-N/run-i}) {@code repeat} times (median),
 * the same jobs re-run on unchanged data, the stream (N events at max rate, then the stream until
 * idle with the Silver sink), and the Gold figures as plain SQL in PostgreSQL.
 */
public final class Bench {

  /** What the bench needs from the process that runs it. */
  public record Setup(SparkSession spark, JdbcSource source, String kafkaBootstrap, String topic,
      LakehouseConfig config, URI benchRoot, Function<Lake, SilverSink> silverSink, Progress progress) {}

  private final Setup setup;
  private final StageMeter meter;
  private final List<BenchStage> stages = new ArrayList<>();

  private Bench(Setup setup, StageMeter meter) {
    this.setup = setup;
    this.meter = meter;
  }

  /**
   * Runs the bench.
   *
   * @param scales generator scales, each ≥ 1
   * @param repeat measured runs per stage (≥ 1); with more than 1, a warm-up pipeline run at the
   *     first scale comes first and is not counted
   * @param streamEvents events produced and streamed per scale (0: no stream stage)
   */
  public static List<BenchStage> run(Setup setup, List<Integer> scales, int repeat, int streamEvents) throws Exception {
    try (StageMeter meter = new StageMeter(setup.spark())) {
      Bench b = new Bench(setup, meter);
      for (int i = 0; i < scales.size(); i++) {
        b.scale(scales.get(i), repeat, streamEvents, i == 0 && repeat > 1);
      }
      return List.copyOf(b.stages);
    }
  }

  private void scale(int scale, int repeat, int streamEvents, boolean warmUp) throws Exception {
    Progress p = setup.progress();
    String scaleRoot = folder("scale-" + scale);
    DeltaLogs.delete(setup.spark(), scaleRoot);
    p.report("bench: scale " + scale + " (lakes under " + scaleRoot + ")");
    StageMeter.Measured<LoadReport> load = meter.measure(null, () -> generate(scale));
    add(scale, "load source (generator)", load.value().total(), List.of(load.sample()), Map.of());
    if (warmUp) {
      p.report("bench: warm-up run (not measured)");
      Lake lake = new Lake(URI.create(scaleRoot + "/warm-up"));
      bronze(lake);
      silver(lake);
      gold(lake);
    }
    List<StageMeter.Sample> bronze = new ArrayList<>();
    List<StageMeter.Sample> silver = new ArrayList<>();
    List<StageMeter.Sample> gold = new ArrayList<>();
    long bronzeRows = 0;
    long silverRows = 0;
    long goldRows = 0;
    Lake lake = null;
    for (int r = 1; r <= repeat; r++) {
      lake = new Lake(URI.create(scaleRoot + "/run-" + r));
      String at = lake.root().toString();
      StageMeter.Measured<BronzeReport> b = meter.measure(at, () -> bronze(setup.spark(), lake(at)));
      bronze.add(b.sample());
      bronzeRows = b.value().tables().stream().mapToLong(BronzeReport.TableRun::rowsWritten).sum();
      StageMeter.Measured<SilverReport> s = meter.measure(at, () -> silver(lake(at)));
      silver.add(s.sample());
      silverRows = s.value().changedRows().values().stream().mapToLong(Long::longValue).sum();
      StageMeter.Measured<GoldReport> g = meter.measure(at, () -> gold(lake(at)));
      gold.add(g.sample());
      goldRows = g.value().tables().stream().mapToLong(GoldReport.TableRows::rows).sum();
    }
    add(scale, "bronze", bronzeRows, bronze, Map.of());
    add(scale, "silver", silverRows, silver, Map.of());
    add(scale, "gold", goldRows, gold, Map.of());
    double goldSeconds = median(gold);

    // Re-runs on unchanged data take the incremental / skip paths: reported separately.
    String at = lake.root().toString();
    StageMeter.Measured<BronzeReport> b2 = meter.measure(at, () -> bronze(setup.spark(), lake(at)));
    add(scale, "bronze re-run (unchanged source)", bronzeRows, List.of(b2.sample()), Map.of("rows_written",
        b2.value().tables().stream().mapToLong(BronzeReport.TableRun::rowsWritten).sum()));
    StageMeter.Measured<SilverReport> s2 = meter.measure(at, () -> silver(lake(at)));
    add(scale, "silver re-run (unchanged Bronze)", silverRows, List.of(s2.sample()), Map.of("rows_changed",
        s2.value().changedRows().values().stream().mapToLong(Long::longValue).sum()));
    StageMeter.Measured<GoldReport> g2 = meter.measure(at, () -> gold(lake(at)));
    add(scale, "gold re-run (unchanged Silver)", goldRows, List.of(g2.sample()), Map.of("outcome",
        g2.value().outcome().name()));

    if (streamEvents > 0) {
      stream(scale, lake(at), streamEvents);
    }

    List<StageMeter.Sample> pg = new ArrayList<>();
    long pgRows = 0;
    for (int r = 0; r < repeat; r++) {
      StageMeter.Measured<Long> m = meter.measure(null, () -> PostgresBaseline.run(setup.source()));
      pg.add(m.sample());
      pgRows = m.value();
    }
    double pgSeconds = median(pg);
    Map<String, Object> ratio = new LinkedHashMap<>();
    ratio.put("queries", String.join(",", PostgresBaseline.QUERIES));
    ratio.put("spark_gold_over_postgres", pgSeconds <= 0 ? null : round(goldSeconds / pgSeconds, 1));
    add(scale, "postgres baseline (gold figures as SQL)", pgRows, pg, ratio);
  }

  private void stream(int scale, Lake lake, int events) throws Exception {
    String topic = setup.topic() + "-bench-" + scale + "-" + System.currentTimeMillis();
    createTopic(topic);
    SparkSession spark = setup.spark();
    StageMeter.Measured<Integer> produced = meter.measure(null, () -> {
      try (OrderEventProducer producer = new OrderEventProducer(setup.kafkaBootstrap(), topic)) {
        return producer.produce(setup.source(), OrderEventProducer.bronzeMaxOrderId(spark, lake), events, 0,
            NorthwindGenerator.DEFAULT_SEED, Progress.NONE).size();
      }
    });
    add(scale, "produce events (Kafka, max rate)", produced.value(), List.of(produced.sample()), Map.of());
    StreamJob job = new StreamJob(spark, lake, setup.kafkaBootstrap(), topic, setup.config().stream(), setup.progress())
        .withSilver(setup.silverSink().apply(lake));
    String at = lake.root().toString();
    StageMeter.Measured<List<StreamBatchReport>> s = meter.measure(at, job::runUntilIdle);
    long written = s.value().stream().mapToLong(StreamBatchReport::rowsWritten).sum();
    // Per event: from its event_time (stamped when produced) to the commit of its batch, which
    // comes after the Silver merge. Events produced before the query started wait in Kafka, so
    // this includes queueing and the query's start-up.
    Row lat = lake.read(spark, StreamJob.ORDER_EVENTS).select(col("_run_id"), col("event_time"))
        .join(lake.read(spark, StreamJob.BATCHES).select(col("run_id").as("_run_id"), col("committed_at")), "_run_id")
        .select(expr("unix_millis(committed_at) - unix_millis(event_time)").as("ms"))
        .agg(expr("percentile(ms, 0.5)"), expr("percentile(ms, 0.99)")).first();
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("batches", s.value().size());
    extra.put("event_to_silver_p50_ms", lat.isNullAt(0) ? null : Math.round(lat.getDouble(0)));
    extra.put("event_to_silver_p99_ms", lat.isNullAt(1) ? null : Math.round(lat.getDouble(1)));
    add(scale, "stream (Kafka -> Bronze -> Silver)", written, List.of(s.sample()), extra);
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
      return NorthwindGenerator.generate(c, scale, NorthwindGenerator.DEFAULT_SEED, ExistingData.REPLACE);
    } catch (SQLException e) {
      throw LakehouseErrors.sourceUnreachable(setup.source().url(), e);
    }
  }

  private BronzeReport bronze(Lake lake) {
    return bronze(setup.spark(), lake);
  }

  private BronzeReport bronze(SparkSession spark, Lake lake) {
    BronzeReport r = BronzeJob.run(spark, lake, setup.source(), BronzeOptions.from(setup.config(), List.of()), Progress.NONE);
    if (!r.failed().isEmpty()) {
      throw LakehouseErrors.bronzeTablesFailed(setup.source().system(), r.failed().stream().map(t -> t.table() + " (" + t.error() + ")").toList());
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

  private void add(int scale, String stage, long rows, List<StageMeter.Sample> samples, Map<String, Object> extra) {
    StageMeter.Sample last = samples.get(samples.size() - 1);
    long peak = samples.stream().mapToLong(StageMeter.Sample::peakHeapBytes).max().orElse(0);
    BenchStage s = new BenchStage(scale, stage, rows, median(samples), samples.size(), last.jobs(), last.sparkStages(),
        last.deltaCommits(), peak / (1024 * 1024), extra);
    stages.add(s);
    setup.progress().report(BenchReport.line(s));
  }

  static double median(List<StageMeter.Sample> samples) {
    double[] v = samples.stream().mapToDouble(StageMeter.Sample::seconds).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
