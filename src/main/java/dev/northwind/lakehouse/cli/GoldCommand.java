package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.gold.GoldJob;
import dev.northwind.lakehouse.lake.RunIds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Builds the Gold layer from Silver. */
@Command(name = "gold", mixinStandardHelpOptions = true,
    description = {"Build Gold (KPIs, revenue by country/month/category/product/employee, RFM) from Silver.",
        "Fully recomputed; skipped as up to date when Silver has not changed since the last run."})
final class GoldCommand extends JobCommand {

  @Option(names = "--run-id", paramLabel = "ID", description = "Run id stored in gold.kpi_summary (default: gold-<UTC time>-<random>).")
  String runId;

  @Override
  int run(Context ctx) {
    GoldJob.run(ctx.spark(), ctx.lake(), runId != null ? runId : RunIds.next("gold"), ctx.progress());
    return 0;
  }
}
