package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.lake.RunIds;
import dev.northwind.lakehouse.silver.SilverJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Builds the Silver layer from Bronze. */
@Command(name = "silver", mixinStandardHelpOptions = true,
    description = {"Build Silver (dimensions, facts, quarantine, quality results) from Bronze.",
        "Checks every data-quality expectation first: a failing 'fail' expectation stops the run with Silver unchanged."})
final class SilverCommand extends JobCommand {


  @Option(names = "--run-id", paramLabel = "ID", description = "Run id stored with the rows (default: silver-<UTC time>).")
  String runId;

  @Override
  int run(Context ctx) {
    String id = runId != null ? runId : RunIds.next("silver");
    SilverJob.run(ctx.spark(), ctx.lake(), id, ctx.progress());
    return 0;
  }
}
