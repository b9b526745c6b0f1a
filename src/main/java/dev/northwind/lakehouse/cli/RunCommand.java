package dev.northwind.lakehouse.cli;

import picocli.CommandLine.Command;

/** Bronze, Silver and Gold in one process (one SparkSession), as a scheduler would run them. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run the batch pipeline: Bronze, then Silver, then Gold, in one process.",
        "Works the same on local[*] and on a cluster (--spark-master spark://host:port)."})
final class RunCommand extends JobCommand {

  @Override
  int run(Context ctx) {
    Stages stages = new Stages(ctx.progress());
    stages.run("bronze", () -> Pipeline.bronze(ctx));
    stages.run("silver", () -> Pipeline.silver(ctx));
    stages.run("gold", () -> Pipeline.gold(ctx));
    ctx.progress().report(stages.summary());
    return 0;
  }
}
