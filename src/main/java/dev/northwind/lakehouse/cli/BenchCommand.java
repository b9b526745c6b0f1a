package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.bench.Bench;
import dev.northwind.lakehouse.bench.BenchPart;
import dev.northwind.lakehouse.bench.BenchReport;
import dev.northwind.lakehouse.bench.BenchStage;
import dev.northwind.lakehouse.bench.DashboardLoad;
import dev.northwind.lakehouse.cdc.CdcCapture;
import dev.northwind.lakehouse.cdc.SourceKind;
import dev.northwind.lakehouse.config.LakehouseConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `lakehouse bench`: times load, Bronze, Silver, Gold, the stream and a PostgreSQL baseline per
 * scale.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark the pipeline in this one process: for each scale, REPLACE the source with the generator's data,",
      "then time Bronze, Silver and Gold on a fresh lake folder (<lake parent>/bench/scale-N), their re-runs on unchanged",
      "data, the stream's throughput into Bronze (events produced at max rate) and its latency to Silver (events at",
      "--stream-rate while it runs), the dashboard's JSON endpoints under --dashboard-clients concurrent clients for",
      "--dashboard-seconds while Gold refreshes (p50/p95/p99, requests/s, errors), and the same Gold figures as plain SQL",
      "in PostgreSQL; and change data capture (--parts cdc): --cdc-changes committed then captured into Bronze (changes/s),",
      "and commit -> visible in Silver (p50/p99) while a writer commits --cdc-rate changes/s for --cdc-seconds.",
      "Every stage runs --repeat times and the median is reported. Prints a table; --out writes Markdown and JSON."
    })
final class BenchCommand extends JobCommand {

  @Option(
      names = "--scales",
      split = ",",
      paramLabel = "N[,N...]",
      description = "Generator scales (default ${DEFAULT-VALUE}).")
  List<Integer> scales = new ArrayList<>(List.of(1, 10, 100));

  @Option(
      names = "--repeat",
      paramLabel = "R",
      description =
          "Measured runs per stage; the median is reported. Above 1, a warm-up run comes first (default ${DEFAULT-VALUE}).")
  int repeat = 3;

  @Option(
      names = "--stream-events",
      paramLabel = "N",
      description =
          "Events produced at the maximum rate, then streamed into Bronze (throughput), per run; 0 skips it (default ${DEFAULT-VALUE}).")
  int streamEvents = 100_000;

  @Option(
      names = "--stream-rate",
      paramLabel = "R",
      description =
          "Events per second produced for "
              + Bench.LATENCY_SECONDS
              + " s while the stream merges into Silver (latency), per run; 0 skips it (default ${DEFAULT-VALUE}).")
  double streamRate = 1000;

  @Option(
      names = "--dashboard-seconds",
      paramLabel = "S",
      description =
          "Seconds of load on the dashboard's JSON endpoints (loopback) while Gold refreshes, once per scale; 0 skips it (default ${DEFAULT-VALUE}).")
  int dashboardSeconds = DashboardLoad.Plan.DEFAULT.seconds();

  @Option(
      names = "--dashboard-clients",
      paramLabel = "N",
      description = "Concurrent clients of that load (default ${DEFAULT-VALUE}).")
  int dashboardClients = DashboardLoad.Plan.DEFAULT.clients();

  @Option(
      names = "--parts",
      split = ",",
      paramLabel = "PART",
      defaultValue = "pipeline,cdc",
      description =
          "Which stages run: pipeline (batch layers, re-runs, runner, dashboard, stream, PostgreSQL, small change),"
              + " cdc (change data capture) (default pipeline,cdc).")
  List<BenchPart> parts;

  @Option(
      names = "--cdc-changes",
      paramLabel = "N",
      description =
          "Changes committed in PostgreSQL, then captured into Bronze (cdc --until-idle), per run; 0 skips it (default ${DEFAULT-VALUE}).")
  int cdcChanges = 100_000;

  @Option(
      names = "--cdc-rate",
      paramLabel = "R",
      description =
          "Changes per second committed while capture, Bronze and the Silver apply run (commit -> Silver latency); 0 skips it (default ${DEFAULT-VALUE}).")
  double cdcRate = 200;

  @Option(
      names = "--cdc-seconds",
      paramLabel = "S",
      description = "Seconds the --cdc-rate writer commits, per run (default ${DEFAULT-VALUE}).")
  int cdcSeconds = 60;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write the Markdown table to FILE (.md) and the JSON next to it (.json).")
  Path out;

  @Override
  int run(Context ctx) throws Exception {
    for (int s : scales) {
      if (s < 1) {
        throw LakehouseErrors.invalidScale(s);
      }
    }
    if (repeat < 1 || streamEvents < 0) {
      throw LakehouseErrors.badProduceArgument(
          repeat < 1 ? "--repeat" : "--stream-events",
          repeat < 1 ? repeat : streamEvents,
          repeat < 1 ? "is 1 or more" : "is 0 or more");
    }
    if (dashboardSeconds < 0
        || dashboardSeconds > 3600
        || dashboardClients < 1
        || dashboardClients > 1000) {
      boolean secs = dashboardSeconds < 0 || dashboardSeconds > 3600;
      throw LakehouseErrors.badProduceArgument(
          secs ? "--dashboard-seconds" : "--dashboard-clients",
          secs ? dashboardSeconds : dashboardClients,
          secs ? "is between 0 and 3600" : "is between 1 and 1000");
    }
    if (streamRate < 0 || Double.isNaN(streamRate) || Double.isInfinite(streamRate)) {
      throw LakehouseErrors.badProduceArgument("--stream-rate", streamRate, "is 0 or more");
    }
    if (cdcChanges < 0) {
      throw LakehouseErrors.badProduceArgument("--cdc-changes", cdcChanges, "is 0 or more");
    }
    if (cdcRate < 0 || cdcRate > 100_000 || Double.isNaN(cdcRate)) {
      throw LakehouseErrors.badProduceArgument("--cdc-rate", cdcRate, "is between 0 and 100000");
    }
    if (cdcSeconds < 1 || cdcSeconds > 3600) {
      throw LakehouseErrors.badProduceArgument(
          "--cdc-seconds", cdcSeconds, "is between 1 and 3600");
    }
    CdcCapture.logs(ctx.verbosity());
    URI lakeRoot = ctx.config().lakeRoot();
    String root = lakeRoot.toString().replaceAll("/+$", "");
    URI benchRoot = URI.create(root.substring(0, root.lastIndexOf('/')) + "/bench");
    Bench.Setup setup =
        new Bench.Setup(
            ctx.spark(),
            ctx.source(),
            ctx.config().source().jdbcUrl().isPresent() ? SourceKind.EXTERNAL : SourceKind.EMBEDDED,
            ctx.kafkaBootstrap(),
            ctx.config().kafka().topic(),
            ctx.config(),
            benchRoot,
            (lake, afterMerge) ->
                StreamCommand.silverSink(
                    lake,
                    ctx.config().stream().withSilver(LakehouseConfig.StreamSilver.MERGE),
                    ctx.progress(),
                    afterMerge),
            ctx.progress());
    List<BenchStage> stages =
        Bench.run(
            setup,
            new Bench.Plan(
                scales,
                repeat,
                java.util.EnumSet.copyOf(parts),
                streamEvents,
                streamRate,
                new DashboardLoad.Plan(dashboardClients, dashboardSeconds),
                cdcChanges,
                cdcRate,
                cdcSeconds));

    Map<String, Object> context = new LinkedHashMap<>();
    context.put("at", Instant.now().toString());
    context.put("spark_master", ctx.spark().sparkContext().master());
    context.put("cores", Runtime.getRuntime().availableProcessors());
    context.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    context.put("repeat", repeat);
    context.put(
        "warm_up",
        repeat > 1
            ? "one unmeasured pipeline run at the first scale"
            : "none: first runs include JVM/Delta cold costs");
    context.put("stream_events", streamEvents);
    context.put("stream_rate", streamRate);
    context.put("stream_trigger", ctx.config().stream().triggerInterval());
    context.put("dashboard_clients", dashboardClients);
    context.put("dashboard_seconds", dashboardSeconds);
    context.put("parts", parts);
    context.put("cdc_changes", cdcChanges);
    context.put("cdc_rate", cdcRate);
    context.put("cdc_seconds", cdcSeconds);
    String table = BenchReport.table(stages);
    ctx.progress().report("");
    table.lines().forEach(ctx.progress()::report);
    if (out != null) {
      String md =
          BenchReport.markdown(
              stages,
              String.format(
                  "Bench %s: master %s, %d cores, heap max %d MB, repeat %d (median; %s); parts %s; stream: %d events at max rate per run,"
                      + " latency at %s events/s for %d s per run, trigger %s; cdc: %d changes captured per run,"
                      + " latency at %s changes/s for %d s per run.",
                  context.get("at"),
                  context.get("spark_master"),
                  context.get("cores"),
                  context.get("max_heap_mb"),
                  repeat,
                  context.get("warm_up"),
                  parts.stream().map(x -> x.name().toLowerCase(java.util.Locale.ROOT)).toList(),
                  streamEvents,
                  streamRate,
                  Bench.LATENCY_SECONDS,
                  ctx.config().stream().triggerInterval(),
                  cdcChanges,
                  cdcRate,
                  cdcSeconds));
      String name = out.getFileName().toString();
      String base = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
      Path mdFile = name.endsWith(".json") ? out.resolveSibling(base + ".md") : out;
      Path jsonFile = out.resolveSibling(base + ".json");
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      Files.writeString(mdFile, md, StandardCharsets.UTF_8);
      Files.writeString(jsonFile, BenchReport.json(stages, context), StandardCharsets.UTF_8);
      ctx.progress().report("Wrote " + mdFile + " and " + jsonFile);
    }
    return 0;
  }
}
