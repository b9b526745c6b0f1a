package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.ConfigLoader;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.lake.Verbosity;
import dev.northwind.lakehouse.services.Mode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * Base of every subcommand: parse config once, run with a {@link Context}, close what it started.
 */
abstract class JobCommand implements Callable<Integer> {

  @Mixin CommonOptions common = new CommonOptions();

  @Override
  public final Integer call() throws Exception {
    Verbosity verbosity = common.verbose ? Verbosity.VERBOSE : Verbosity.QUIET;
    SparkSessions.quiet(verbosity);
    java.util.Map<String, String> flags = new java.util.LinkedHashMap<>(common.flags());
    flags.putAll(extraFlags());
    LakehouseConfig config = ConfigLoader.load(flags, System.getenv(), common.file());
    try (Context ctx = new Context(config, verbosity, progress(), servicesMode())) {
      return run(ctx);
    }
  }

  /** Config keys set by this command's own flags (e.g. serve --port). */
  java.util.Map<String, String> extraFlags() {
    return java.util.Map.of();
  }

  /** Where progress lines go: stdout, except for commands whose stdout is their data. */
  Progress progress() {
    return Progress.to(System.out);
  }

  /**
   * Whether embedded services keep their data (default) or start empty; commands with --fresh
   * override.
   */
  Mode servicesMode() {
    return Mode.REUSE;
  }

  boolean verbose() {
    return common.verbose;
  }

  /** Runs the command; returns the exit code (0 on success). */
  abstract int run(Context ctx) throws Exception;
}
