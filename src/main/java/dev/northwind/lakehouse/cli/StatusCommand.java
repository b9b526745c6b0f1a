package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.Json;
import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.status.PipelineReport;
import dev.northwind.lakehouse.status.PipelineStatus;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the pipeline's state: a health check for people and scripts. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show the pipeline at a glance: every dataset with its state (fresh, stale and why, not built), Delta",
      "version, rows and last refresh; the last run of each command with its duration; the stream's and CDC's",
      "lag; the expectations the last Silver run caught. Reads lake metadata, and the small log tables with Spark.",
      "Exit code 0 when every dataset is fresh and the last runs succeeded, 1 otherwise (also on an empty lake)."
    })
final class StatusCommand extends JobCommand {

  /** Output formats. */
  enum Format {
    TEXT,
    JSON
  }

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or json (for scripts).")
  String format;

  @Override
  int run(Context ctx) {
    Format f =
        switch (format.toLowerCase(Locale.ROOT)) {
          case "text" -> Format.TEXT;
          case "json" -> Format.JSON;
          default -> throw LakehouseErrors.badStatusFormat(format);
        };
    PipelineReport report =
        new PipelineStatus(ctx.config(), ctx.lake(), ctx::spark)
            .read(PipelineStatus.Detail.SUMMARY);
    System.out.print(
        f == Format.JSON ? Json.pretty(report.document()) + System.lineSeparator() : report.text());
    System.out.flush();
    return report.healthy() ? 0 : 1;
  }

  @Override
  Progress progress() {
    // stdout is the report; Spark's start line goes to stderr.
    return Progress.to(System.err);
  }
}
