package dev.northwind.lakehouse.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The configuration reference, {@code docs/configuration.md}, generated from {@link ConfigKeys} so
 * that it cannot drift from the code: {@code ConfigDocsTest} fails when the file differs from what
 * {@link #REGENERATE} prints.
 */
public final class ConfigDocs {

  /** The command that rewrites the file; run it from the project folder. */
  public static final String REGENERATE = "./lakehouse config --docs > docs/configuration.md";

  /**
   * Values that break a rule for each kind of check, one invalid and one empty: a {@link
   * ConfigKey.Check} describes its rule only when a value breaks it, so the rule is read from the
   * check itself rather than written a second time here.
   */
  private static final List<String> PROBES = List.of("\u0000 not a valid value", "");

  /**
   * Setting names shown as examples of masked ones; only those {@link ConfigKey#secretName} masks
   * are shown.
   */
  private static final List<String> CREDENTIAL_EXAMPLES =
      List.of(
          "spark.hadoop.fs.s3a.access.key",
          "spark.hadoop.fs.s3a.secret.key",
          "spark.hadoop.fs.s3a.session.token");

  private ConfigDocs() {}

  /**
   * A command-line flag that sets a key.
   *
   * @param usage the flag and its parameter, e.g. {@code --lake URI}
   * @param commands the commands that have it; empty when every command does
   */
  public record Flag(String usage, List<String> commands) {}

  /** The rule a key's value must follow, in words, or {@code "-"} when any value is accepted. */
  public static String rule(ConfigKey key) {
    Set<String> rules = new LinkedHashSet<>();
    for (String probe : PROBES) {
      key.check().test(probe).ifPresent(rules::add);
    }
    return rules.isEmpty() ? "-" : String.join("; ", rules);
  }

  /**
   * The whole page as Markdown.
   *
   * @param flags key name to the flags that set it (keys without flags may be absent)
   */
  public static String markdown(Map<String, List<Flag>> flags) {
    StringBuilder md = new StringBuilder();
    md.append("<!-- Generated from ConfigKeys by `")
        .append(REGENERATE)
        .append("`. Do not edit:\n")
        .append("     ConfigDocsTest fails when this file differs from the generated text. -->\n")
        .append("# Configuration\n\n")
        .append(
            "Every key is defined once, in `config/ConfigKeys`, with its default, its rule and its\n")
        .append(
            "description; this page is generated from it. `./lakehouse config` prints the effective\n")
        .append("values and where each came from; `./lakehouse config --keys` lists the keys.\n\n")
        .append("## Where values come from\n\n")
        .append("Highest precedence first:\n\n")
        .append(
            "1. **Flags**: the flags in the table below, or `--set key=value` (repeatable) for any key.\n")
        .append("2. **Environment**: `LAKEHOUSE_` + the key upper-cased with `_` for `.`, e.g.\n")
        .append("   `LAKEHOUSE_SOURCE_PASSWORD`.\n")
        .append(
            "3. **Config file** given with `--config FILE`: `.properties` (`key=value` lines) or\n")
        .append(
            "   `.yaml`/`.yml` (nested maps: `lake: {root: ...}` is `lake.root`). In a file, Spark\n")
        .append("   settings can also be given one per key as `spark.conf.<setting>` (in YAML, a\n")
        .append("   `spark.conf` map); they are added to `spark.conf`.\n")
        .append("4. **Defaults**, below.\n\n")
        .append(
            "Values are trimmed, then checked against their rule. Every problem is reported at once,\n")
        .append(
            "one line each naming the key, the value, where it came from and the rule, and the\n")
        .append(
            "command exits with code 2. An unknown key in the file or in `--set` is a problem too\n")
        .append("(its value is not echoed).\n\n")
        .append("## Keys\n\n")
        .append("| key | default | rule | flag | environment variable | description |\n")
        .append("|---|---|---|---|---|---|\n");
    for (ConfigKey key : ConfigKeys.ALL) {
      md.append("| `")
          .append(key.name())
          .append("` | ")
          .append(
              key.defaultValue() == null || key.defaultValue().isEmpty()
                  ? "*(empty)*"
                  : "`" + key.defaultValue() + "`")
          .append(" | ")
          .append(text(rule(key)))
          .append(" | ")
          .append(flagCell(flags.getOrDefault(key.name(), List.of())))
          .append(" | `")
          .append(key.envVar())
          .append('`')
          .append(" | ")
          .append(text(key.description()))
          .append(" |\n");
    }
    md.append("\n## Secrets\n\n")
        .append("Masked (`******`) wherever the configuration is printed:\n\n")
        .append("- ")
        .append(secretKeys(ConfigKey.Secrecy.SECRET))
        .append(";\n")
        .append("- in ")
        .append(secretKeys(ConfigKey.Secrecy.SECRET_PAIRS))
        .append(", the values of settings whose name marks a credential, such as\n  ")
        .append(
            CREDENTIAL_EXAMPLES.stream()
                .filter(ConfigKey::secretName)
                .map(n -> "`" + n + "`")
                .collect(Collectors.joining(", ")))
        .append(" (credential provider class names stay visible).\n\n")
        .append(
            "Give passwords through the environment or the config file: a flag would show in the\n")
        .append("process list.\n\n")
        .append("## Example\n\n")
        .append("```yaml\n")
        .append("# lakehouse.yaml, used with: ./lakehouse run --config lakehouse.yaml\n")
        .append("lake:\n")
        .append("  root: s3a://analytics/northwind\n")
        .append("source:\n")
        .append("  jdbc:\n")
        .append("    url: jdbc:postgresql://db.internal:5432/northwind\n")
        .append("  user: lakehouse        # password: LAKEHOUSE_SOURCE_PASSWORD\n")
        .append("spark:\n")
        .append("  master: spark://spark-master:7077\n")
        .append("  conf:\n")
        .append("    spark.sql.shuffle.partitions: 64\n")
        .append("```\n");
    return md.toString();
  }

  private static String secretKeys(ConfigKey.Secrecy secrecy) {
    return ConfigKeys.ALL.stream()
        .filter(k -> k.secret() == secrecy)
        .map(k -> "`" + k.name() + "`")
        .collect(Collectors.joining(", "));
  }

  private static String flagCell(List<Flag> flags) {
    if (flags.isEmpty()) {
      return "-";
    }
    List<String> cells = new ArrayList<>();
    for (Flag f : flags) {
      cells.add(
          "`"
              + f.usage()
              + "`"
              + (f.commands().isEmpty() ? "" : " (" + String.join(", ", f.commands()) + ")"));
    }
    return String.join(", ", cells);
  }

  /**
   * Escapes what Markdown would take for markup outside code spans: {@code <root>} would vanish as
   * an HTML tag, {@code local[*]} could start emphasis, and {@code |} would end the table cell.
   */
  private static String text(String s) {
    StringBuilder out = new StringBuilder();
    boolean code = false;
    for (char c : s.toCharArray()) {
      if (c == '`') {
        code = !code;
      } else if (!code && (c == '<' || c == '>' || c == '*' || c == '|')) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
