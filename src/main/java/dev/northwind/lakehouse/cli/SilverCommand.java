package dev.northwind.lakehouse.cli;

import picocli.CommandLine.Command;

/** Builds the Silver layer from Bronze. */
@Command(
    name = "silver",
    mixinStandardHelpOptions = true,
    description = {
      "Build Silver (dimensions, facts, quarantine, quality results) from Bronze.",
      "Checks every data-quality expectation first: a failing 'fail' expectation stops the run with Silver unchanged.",
      "Skipped when no Bronze table it reads changed since its last refresh (`lakehouse run --select silver.* --full-refresh` forces it)."
    })
final class SilverCommand extends LayerCommand {

  SilverCommand() {
    super("silver");
  }
}
