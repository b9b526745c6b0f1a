package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import java.util.Arrays;
import java.util.Locale;

/**
 * A command whose stdout is its data (query results, the graph, the status report) for people and
 * pipes alike: progress and Spark's start line must not mix in, so they go to stderr.
 */
abstract class DataCommand extends JobCommand {

  @Override
  final Progress progress() {
    return Progress.to(System.err);
  }

  /**
   * The {@code --format} value as one of the command's formats, in any case; else the one-line
   * error naming them, e.g. {@code use --format text or --format json}.
   */
  static <F extends Enum<F>> F format(String value, Class<F> formats, String what) {
    String wanted = value.toLowerCase(Locale.ROOT);
    F[] all = formats.getEnumConstants();
    return Arrays.stream(all)
        .filter(f -> name(f).equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                LakehouseErrors.badFormat(
                    value, what, Arrays.stream(all).map(DataCommand::name).toList()));
  }

  private static String name(Enum<?> format) {
    return format.name().toLowerCase(Locale.ROOT);
  }
}
