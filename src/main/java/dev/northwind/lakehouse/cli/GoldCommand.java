package dev.northwind.lakehouse.cli;

import picocli.CommandLine.Command;

/** Builds the Gold layer from Silver. */
@Command(
    name = "gold",
    mixinStandardHelpOptions = true,
    description = {
      "Build Gold (KPIs, revenue by country/month/category/product/employee, RFM) from Silver.",
      "Each table is recomputed when a Silver table it reads changed since its last refresh, and skipped otherwise."
    })
final class GoldCommand extends LayerCommand {

  GoldCommand() {
    super("gold");
  }
}
