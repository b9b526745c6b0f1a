package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.lake.RunIds;
import dev.northwind.lakehouse.pipeline.PipelineRunner;
import dev.northwind.lakehouse.pipeline.RefreshMode;
import dev.northwind.lakehouse.pipeline.RunReport;
import java.util.Map;

/**
 * Every batch command runs through the one pipeline runner: `run`, `demo`, and `bronze`, `silver`,
 * `gold` as selections of the graph.
 */
final class Pipeline {

  private Pipeline() {}

  static PipelineRunner runner(Context ctx) {
    return PipelineRunner.northwind(
        ctx.config(), ctx::spark, ctx.lake(), ctx::source, ctx.progress());
  }

  /** Refreshes the datasets the selector names. */
  static RunReport run(Context ctx, String selector, RefreshMode mode) {
    return run(ctx, selector, mode, Map.of());
  }

  /** As {@link #run(Context, String, RefreshMode)}, with given run ids for some flows. */
  static RunReport run(Context ctx, String selector, RefreshMode mode, Map<String, String> runIds) {
    PipelineRunner runner = runner(ctx);
    return runner.run(
        runner.graph().select(selector), mode, f -> runIds.getOrDefault(f, RunIds.next(f)));
  }

  static RunReport bronze(Context ctx) {
    return run(ctx, "bronze.*", RefreshMode.INCREMENTAL);
  }

  static RunReport silver(Context ctx) {
    return run(ctx, "silver.*", RefreshMode.INCREMENTAL);
  }

  static RunReport gold(Context ctx) {
    return run(ctx, "gold.*", RefreshMode.INCREMENTAL);
  }
}
