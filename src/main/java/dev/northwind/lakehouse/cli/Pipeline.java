package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.bronze.BronzeJob;
import dev.northwind.lakehouse.bronze.BronzeOptions;
import dev.northwind.lakehouse.bronze.BronzeReport;
import dev.northwind.lakehouse.gold.GoldJob;
import dev.northwind.lakehouse.gold.GoldReport;
import dev.northwind.lakehouse.lake.RunIds;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.silver.SilverReport;
import java.util.List;

/** The batch jobs in order, shared by `run`, `demo` and `bench`. */
final class Pipeline {

  private Pipeline() {}

  static BronzeReport bronze(Context ctx) {
    BronzeReport report = BronzeJob.run(ctx.spark(), ctx.lake(), ctx.source(), BronzeOptions.from(ctx.config(), List.of()),
        ctx.progress());
    if (!report.failed().isEmpty()) {
      throw LakehouseErrors.bronzeTablesFailed(ctx.source().system(),
          report.failed().stream().map(t -> t.table() + " (" + t.error() + ")").toList());
    }
    return report;
  }

  static SilverReport silver(Context ctx) {
    return SilverJob.run(ctx.spark(), ctx.lake(), RunIds.next("silver"), ctx.progress());
  }

  static GoldReport gold(Context ctx) {
    return GoldJob.run(ctx.spark(), ctx.lake(), RunIds.next("gold"), ctx.progress());
  }
}
