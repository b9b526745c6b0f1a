package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.config.ConfigKey;
import dev.northwind.lakehouse.config.ConfigKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the effective configuration (secrets masked) and, with --keys, every key's description. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Print the effective configuration, secrets masked, with where each value came from.")
final class ConfigCommand extends JobCommand {

  @Option(names = "--keys", description = "List every key with its environment variable, default and description.")
  boolean keys;

  @Override
  int run(Context ctx) {
    if (keys) {
      for (ConfigKey k : ConfigKeys.ALL) {
        System.out.printf("%s%n    env %s, default '%s'%n    %s%n", k.name(), k.envVar(), k.defaultValue(), k.description());
      }
      return 0;
    }
    System.out.print(ctx.config().describe());
    System.out.println("lake root (resolved)      " + ctx.config().lakeRoot());
    System.out.println("services dir (resolved)   " + ctx.config().servicesDir());
    return 0;
  }
}
