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
final class GraphCommand extends DataCommand {

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or mermaid (a flowchart for Markdown).")
  String format;

  @Override
  int run(Context ctx) {
    GraphFormat f = format(format, GraphFormat.class, "graph");
    System.out.print(f.render(Pipeline.runner(ctx).status()));
    return 0;
  }
}
