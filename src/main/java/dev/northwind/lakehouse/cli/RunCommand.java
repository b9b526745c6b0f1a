package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.pipeline.RefreshMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Refreshes the pipeline graph, or a selection of it, in one process (one SparkSession). */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Refresh the pipeline graph: every stale dataset, in dependency order, in one process.",
      "A dataset whose inputs did not change since its last refresh is skipped without a Spark job.",
      "Works the same on local[*] and on a cluster (--spark-master spark://host:port)."
    })
final class RunCommand extends JobCommand {

  @Option(
      names = "--select",
      paramLabel = "SELECTOR",
      defaultValue = "*",
      description = {
        "Datasets to refresh (default: all): comma-separated layer.table names or patterns;",
        "'gold.revenue_by_country+' adds what depends on it, '+gold.kpi_summary' what it reads, 'silver.*' a layer.",
        "`lakehouse graph` lists the datasets."
      })
  String select;

  @Option(names = "--full-refresh", description = "Refresh every selected dataset, stale or not.")
  boolean fullRefresh;

  @Override
  int run(Context ctx) {
    Stages stages = new Stages(ctx.progress());
    stages.run(
        "pipeline",
        () ->
            Pipeline.run(
                ctx, select, fullRefresh ? RefreshMode.FULL_REFRESH : RefreshMode.INCREMENTAL));
    ctx.progress().report(stages.summary());
    return 0;
  }
}
