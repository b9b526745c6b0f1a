package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.Folders;
import dev.northwind.lakehouse.lake.Warmup;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/**
 * The launcher's training run for its class-data archive (see {@link Warmup}); hidden from help.
 */
@Command(
    name = "warmup",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "Run a small Spark and Delta workload (the launcher's class-data archive run).")
final class WarmupCommand extends JobCommand {

  @Override
  int run(Context ctx) throws Exception {
    Path dir = Files.createTempDirectory("lakehouse-warmup");
    try {
      Warmup.run(ctx.spark(), dir);
    } finally {
      Folders.delete(dir);
    }
    return 0;
  }
}
