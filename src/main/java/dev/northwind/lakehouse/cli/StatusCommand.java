package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.Json;
import dev.northwind.lakehouse.status.PipelineReport;
import dev.northwind.lakehouse.status.PipelineStatus;
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
final class StatusCommand extends DataCommand {

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
    Format f = format(format, Format.class, "status");
    PipelineReport report =
        new PipelineStatus(ctx.config(), ctx.lake(), ctx::spark)
            .read(PipelineStatus.Detail.SUMMARY);
    System.out.print(
        f == Format.JSON ? Json.pretty(report.document()) + System.lineSeparator() : report.text());
    System.out.flush();
    return report.healthy() ? 0 : 1;
  }
}
