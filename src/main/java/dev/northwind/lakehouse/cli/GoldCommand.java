package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.pipeline.RefreshMode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Builds the Gold layer from Silver. */
@Command(
    name = "gold",
    mixinStandardHelpOptions = true,
    description = {
      "Build Gold (KPIs, revenue by country/month/category/product/employee, RFM) from Silver.",
      "Each table is recomputed when a Silver table it reads changed since its last refresh, and skipped otherwise."
    })
final class GoldCommand extends JobCommand {

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "Run id stored in gold.kpi_summary (default: gold-<UTC time>-<random>).")
  String runId;

  @Override
  int run(Context ctx) {
    Pipeline.run(
        ctx, "gold.*", RefreshMode.INCREMENTAL, runId == null ? Map.of() : Map.of("gold", runId));
    return 0;
  }
}
