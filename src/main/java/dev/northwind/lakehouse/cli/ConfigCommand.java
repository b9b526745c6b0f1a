package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.config.ConfigDocs;
import dev.northwind.lakehouse.config.ConfigKey;
import dev.northwind.lakehouse.config.ConfigKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Prints the effective configuration (secrets masked); with --keys every key's description, with
 * --docs the Markdown reference docs/configuration.md.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Print the effective configuration, secrets masked, with where each value came from.")
final class ConfigCommand extends JobCommand {

  @Option(
      names = "--keys",
      description = "List every key with its environment variable, default, rule and description.")
  boolean keys;

  @Option(
      names = "--docs",
      description =
          "Print the configuration reference as Markdown (" + ConfigDocs.REGENERATE + ").")
  boolean docs;

  @Override
  int run(Context ctx) {
    if (docs) {
      System.out.print(ConfigDocs.markdown(flags()));
      return 0;
    }
    if (keys) {
      for (ConfigKey k : ConfigKeys.ALL) {
        System.out.printf(
            "%s%n    env %s, default '%s'%n    rule: %s%n    %s%n",
            k.name(), k.envVar(), k.defaultValue(), ConfigDocs.rule(k), k.description());
      }
      return 0;
    }
    System.out.print(ctx.config().describe());
    System.out.println("lake root (resolved)      " + ctx.config().lakeRoot());
    System.out.println("services dir (resolved)   " + ctx.config().servicesDir());
    return 0;
  }

  /**
   * The flags that set each key, read from the commands' own options so the reference lists what
   * {@code --help} shows: a flag sets a key when its description opens a parenthesis with the key's
   * name, as {@code --lake} says "(lake.root)" and {@code serve --port} "(dashboard.port; ...)".
   */
  static Map<String, List<ConfigDocs.Flag>> flags() {
    Set<String> jobCommands = new TreeSet<>();
    Map<String, Map<String, Set<String>>> commandsByUsageByKey = new LinkedHashMap<>();
    ConfigKeys.ALL.forEach(k -> commandsByUsageByKey.put(k.name(), new LinkedHashMap<>()));
    for (Map.Entry<String, CommandLine> sub :
        new TreeMap<>(LakehouseCli.commandLine().getSubcommands()).entrySet()) {
      if (!(sub.getValue().getCommand() instanceof JobCommand)) {
        continue;
      }
      jobCommands.add(sub.getKey());
      for (OptionSpec option : sub.getValue().getCommandSpec().options()) {
        String description = String.join(" ", option.description());
        for (ConfigKey key : ConfigKeys.ALL) {
          if (Pattern.compile("\\(" + Pattern.quote(key.name()) + "[);,]")
              .matcher(description)
              .find()) {
            commandsByUsageByKey
                .get(key.name())
                .computeIfAbsent(
                    option.longestName() + " " + option.paramLabel(), u -> new TreeSet<>())
                .add(sub.getKey());
          }
        }
      }
    }
    Map<String, List<ConfigDocs.Flag>> flags = new LinkedHashMap<>();
    commandsByUsageByKey.forEach(
        (key, byUsage) -> {
          List<ConfigDocs.Flag> list = new ArrayList<>();
          byUsage.forEach(
              (usage, commands) ->
                  list.add(
                      new ConfigDocs.Flag(
                          usage,
                          commands.equals(jobCommands) ? List.of() : List.copyOf(commands))));
          flags.put(key, list);
        });
    return flags;
  }
}
