package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.pipeline.GraphFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the pipeline graph with every dataset's state. */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description = {
      "Print the pipeline graph: every dataset with its kind, write mode, flow and inputs, its last",
      "refresh and the input versions it consumed, and whether it is stale (and why). Reads only lake metadata."
    })
final class GraphCommand extends JobCommand {

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or mermaid (a flowchart for Markdown).")
  String format;

  @Override
  int run(Context ctx) {
    GraphFormat f =
        switch (format.toLowerCase(java.util.Locale.ROOT)) {
          case "text" -> GraphFormat.TEXT;
          case "mermaid" -> GraphFormat.MERMAID;
          default -> throw dev.northwind.lakehouse.LakehouseErrors.badGraphFormat(format);
        };
    System.out.print(f.render(Pipeline.runner(ctx).status()));
    return 0;
  }

  @Override
  dev.northwind.lakehouse.Progress progress() {
    // stdout is the graph; Spark's start line goes to stderr.
    return dev.northwind.lakehouse.Progress.to(System.err);
  }
}
