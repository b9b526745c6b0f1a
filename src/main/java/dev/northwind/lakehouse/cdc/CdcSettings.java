package dev.northwind.lakehouse.cdc;

import dev.northwind.lakehouse.config.ConfigKey;
import dev.northwind.lakehouse.config.ConfigKeys;
import dev.northwind.lakehouse.config.LakehouseConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code cdc.*} settings, read from the checked configuration (their keys, defaults and rules
 * live in {@link ConfigKeys}).
 *
 * @param slot logical replication slot name
 * @param publication publication over the captured tables
 * @param topicPrefix Debezium's {@code topic.prefix}; topics are {@code <prefix>.<schema>.<table>}
 * @param tables tables of the source schema to capture; empty means every base table
 * @param maxLagBytes WAL the slot may hold back before a warning
 * @param idle how long streaming must see no change before {@code --until-idle} stops
 */
public record CdcSettings(
    String slot,
    String publication,
    String topicPrefix,
    List<String> tables,
    long maxLagBytes,
    Duration idle) {

  private static final Pattern DURATION =
      Pattern.compile("(\\d+)\\s*(ms|milliseconds?|s|seconds?|m|minutes?)");

  /** The settings of a loaded configuration. */
  public static CdcSettings of(LakehouseConfig config) {
    return new CdcSettings(
        value(config, ConfigKeys.CDC_SLOT),
        value(config, ConfigKeys.CDC_PUBLICATION),
        value(config, ConfigKeys.CDC_TOPIC_PREFIX),
        Arrays.stream(value(config, ConfigKeys.CDC_TABLES).split(","))
            .map(String::trim)
            .filter(t -> !t.isEmpty())
            .map(t -> t.toLowerCase(Locale.ROOT))
            .toList(),
        Long.parseLong(value(config, ConfigKeys.CDC_MAX_LAG_BYTES)),
        duration(value(config, ConfigKeys.CDC_IDLE)));
  }

  /** The same settings with another idle period (tests). */
  public CdcSettings withIdle(Duration d) {
    return new CdcSettings(slot, publication, topicPrefix, tables, maxLagBytes, d);
  }

  /** The topic of one table's changes. */
  public String topic(String schema, String table) {
    return topicPrefix + "." + schema + "." + table;
  }

  /**
   * A regular expression matching every table topic of the schema (not the transaction or heartbeat
   * topics).
   */
  public String topicPattern(String schema) {
    return Pattern.quote(topicPrefix + "." + schema + ".") + "[^.]+";
  }

  private static String value(LakehouseConfig config, ConfigKey key) {
    LakehouseConfig.Resolved r = config.raw().get(key.name());
    return r == null ? key.defaultValue() : r.value();
  }

  /**
   * A duration the {@code cdc.idle} check accepted, e.g. {@code 500 ms}, {@code 3 seconds}, {@code
   * 1 minute}.
   */
  static Duration duration(String raw) {
    Matcher m = DURATION.matcher(raw.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: " + raw);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2);
    if (unit.equals("ms") || unit.startsWith("milli")) {
      return Duration.ofMillis(n);
    }
    return unit.startsWith("s") ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
  }
}
