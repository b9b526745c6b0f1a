package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.pipeline.RefreshMode;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * A layer's command ({@code silver}, {@code gold}): the selection {@code <layer>.*} of the pipeline
 * graph, refreshed incrementally, optionally under a given run id.
 */
abstract class LayerCommand extends JobCommand {

  private final String layer;

  LayerCommand(String layer) {
    this.layer = layer;
  }

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description =
          "Run id stored with the rows this run writes (default: <layer>-<UTC time>-<random>).")
  String runId;

  @Override
  int run(Context ctx) {
    Pipeline.run(
        ctx,
        layer + ".*",
        RefreshMode.INCREMENTAL,
        runId == null ? Map.of() : Map.of(layer, runId));
    return 0;
  }
}
