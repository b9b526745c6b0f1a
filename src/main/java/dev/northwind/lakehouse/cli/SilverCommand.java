package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.pipeline.RefreshMode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Builds the Silver layer from Bronze. */
@Command(
    name = "silver",
    mixinStandardHelpOptions = true,
    description = {
      "Build Silver (dimensions, facts, quarantine, quality results) from Bronze.",
      "Checks every data-quality expectation first: a failing 'fail' expectation stops the run with Silver unchanged.",
      "Skipped when no Bronze table it reads changed since its last refresh (`lakehouse run --select silver.* --full-refresh` forces it)."
    })
final class SilverCommand extends JobCommand {

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "Run id stored with the rows (default: silver-<UTC time>).")
  String runId;

  @Override
  int run(Context ctx) {
    Pipeline.run(
        ctx,
        "silver.*",
        RefreshMode.INCREMENTAL,
        runId == null ? Map.of() : Map.of("silver", runId));
    return 0;
  }
}
