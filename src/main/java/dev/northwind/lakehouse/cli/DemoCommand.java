package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.Threads;
import dev.northwind.lakehouse.dashboard.DashboardData;
import dev.northwind.lakehouse.dashboard.DashboardExport;
import dev.northwind.lakehouse.dashboard.DashboardFeed;
import dev.northwind.lakehouse.dashboard.DashboardServer;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.pipeline.StreamRefresh;
import dev.northwind.lakehouse.services.Mode;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.source.LoadReport;
import dev.northwind.lakehouse.source.NorthwindLoader;
import dev.northwind.lakehouse.status.PipelineStatus;
import dev.northwind.lakehouse.stream.OrderEventProducer;
import dev.northwind.lakehouse.stream.OrderEvents;
import dev.northwind.lakehouse.stream.StreamJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The one-command demo: everything embedded, stage by stage, with timings. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole lakehouse embedded: start PostgreSQL and Kafka, load Northwind (generator scale 1 or --northwind-sql),",
      "Bronze, Silver, Gold, produce order events and stream them in, rebuild Gold, export the dashboard, and print the",
      "KPI summary and segment table. --serve keeps the live dashboard up (with --stream-rate N new orders/s) until Ctrl-C.",
      "A second run reuses what exists; --fresh starts clean."
    })
final class DemoCommand extends JobCommand {

  @Mixin SourceOptions what = new SourceOptions();

  @Option(
      names = "--fresh",
      description =
          "Start clean: wipe the embedded services' data, the lake, and reload the source.")
  boolean fresh;

  @Option(
      names = "--events",
      paramLabel = "N",
      description = "Order events produced and streamed in (default ${DEFAULT-VALUE}).")
  int events = 50;

  @Option(
      names = "--serve",
      description = "Keep the live dashboard up after the demo, until Ctrl-C.")
  boolean serve;

  @Option(
      names = "--stream-rate",
      paramLabel = "N",
      description =
          "With --serve: keep producing N orders per second and streaming them in, so the charts move (default ${DEFAULT-VALUE}: none).")
  double streamRate;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "With --serve: dashboard port (dashboard.port).")
  Integer port;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where the dashboard HTML file is written (default: <lake parent>/dashboard).")
  Path out;

  @Override
  Mode servicesMode() {
    return fresh ? Mode.FRESH : Mode.REUSE;
  }

  @Override
  Map<String, String> extraFlags() {
    return port == null ? Map.of() : Map.of("dashboard.port", port.toString());
  }

  @Override
  int run(Context ctx) throws Exception {
    what.validate();
    if (events < 0 || streamRate < 0 || Double.isNaN(streamRate)) {
      throw LakehouseErrors.badProduceArgument(
          events < 0 ? "--events" : "--stream-rate",
          events < 0 ? events : streamRate,
          "is 0 or more");
    }
    Progress out = ctx.progress();
    Stages stages = new Stages(out);
    Lake lake = ctx.lake();
    if (fresh) {
      stages.run("wipe lake", () -> LakeFolders.wipe(ctx.config()));
    }
    JdbcSource source =
        stages.run(
            "services",
            () -> {
              JdbcSource s = ctx.source();
              ctx.kafkaBootstrap();
              out.report("  PostgreSQL " + s.url() + ", Kafka " + ctx.kafkaBootstrap());
              return s;
            });
    stages.run("load source", () -> loadSource(ctx, source));
    SparkSession spark = stages.run("spark", ctx::spark);
    stages.run("bronze", () -> Pipeline.bronze(ctx));
    stages.run("silver", () -> Pipeline.silver(ctx));
    stages.run("gold", () -> Pipeline.gold(ctx));
    if (events > 0) {
      stages.run("produce " + events + " events", () -> produce(ctx, events, 0));
      // Each batch's Silver merge is recorded, so the refresh after it redoes Gold, not Silver.
      StreamJob stream =
          StreamCommand.streamJob(ctx, StreamRefresh.recorder(Pipeline.runner(ctx), out));
      stages.run("stream", stream::runUntilIdle);
      stages.run("gold (with streamed orders)", () -> Pipeline.gold(ctx));
    }
    DashboardData data = new DashboardData(spark, lake);
    Path file =
        stages.run("export dashboard", () -> DashboardExport.export(data, dashboardDir(ctx)));
    out.report("");
    Summary.print(spark, lake, out);
    out.report("");
    out.report("Dashboard file: " + file);
    out.report(stages.summary());
    if (serve) {
      serve(ctx, data);
    }
    return 0;
  }

  private Path dashboardDir(Context ctx) {
    return out != null ? out : ctx.config().servicesDir().resolveSibling("dashboard");
  }

  private void loadSource(Context ctx, JdbcSource source) {
    try (Connection c = source.connect()) {
      Map<String, Long> existing = NorthwindLoader.counts(c);
      if (existing.values().stream().mapToLong(Long::longValue).sum() > 0) {
        ctx.progress()
            .report(
                "  source already loaded ("
                    + existing.getOrDefault("orders", 0L)
                    + " orders): reusing it; --fresh starts clean");
        return;
      }
      LoadReport report = what.load(c, ExistingData.REPLACE);
      ctx.progress()
          .report(
              String.format(
                  "  loaded %s: %,d rows in %d tables",
                  what.description(), report.total(), report.rows().size()));
    } catch (SQLException e) {
      throw LakehouseErrors.sourceUnreachable(source.url(), e);
    }
  }

  private static int produce(Context ctx, int count, double rate) {
    try (OrderEventProducer producer =
        new OrderEventProducer(ctx.kafkaBootstrap(), ctx.config().kafka().topic())) {
      OptionalInt bronzeMax = OrderEventProducer.bronzeMaxOrderId(ctx.spark(), ctx.lake());
      return producer
          .produce(ctx.source(), bronzeMax, count, rate, OrderEvents.randomSeed(), Progress.NONE)
          .size();
    }
  }

  /** Serves the live dashboard; with a stream rate, keeps orders flowing and Gold fresh. */
  private void serve(Context ctx, DashboardData data) throws InterruptedException {
    Progress out = ctx.progress();
    DashboardServer server =
        DashboardServer.start(
            DashboardFeed.primed(
                data, () -> new PipelineStatus(ctx.config(), ctx.lake(), ctx::spark)),
            ctx.config().dashboard().host(),
            ctx.config().dashboard().port(),
            ctx.config().dashboard().token(),
            out);
    out.report("");
    out.report("Live dashboard: " + server.url() + "   (Ctrl-C stops everything the demo started)");
    out.report("Pipeline:       " + server.url() + "pipeline");
    CountDownLatch stop = new CountDownLatch(1);
    ScheduledExecutorService workers =
        Executors.newScheduledThreadPool(3, Threads.daemons("demo-worker"));
    if (streamRate > 0) {
      workers.execute(
          () -> {
            while (stop.getCount() > 0) {
              try {
                // Ten seconds' worth per call keeps order ids continuous and the rate steady.
                produce(ctx, (int) Math.max(1, Math.round(streamRate * 10)), streamRate);
              } catch (RuntimeException e) {
                out.report("producer: " + LakehouseErrors.firstLine(e));
                sleepQuietly(5_000);
              }
            }
          });
      // Each micro-batch merged into Silver refreshes Gold through the pipeline graph.
      StreamRefresh gold = StreamCommand.goldAfterEachBatch(ctx);
      workers.execute(() -> StreamCommand.streamJob(ctx, gold::merged).runUntilStopped());
      out.report(
          String.format(
              "Producing %.1f orders/s; the stream merges them into Silver and refreshes Gold after each batch.",
              streamRate));
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.countDown();
                  server.close();
                  workers.shutdownNow();
                  ctx.close();
                },
                "demo-shutdown"));
    stop.await();
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
