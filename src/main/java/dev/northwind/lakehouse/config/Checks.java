package dev.northwind.lakehouse.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Reusable value checks for {@link ConfigKey}; each describes its rule in words. */
final class Checks {

  private Checks() {}

  static ConfigKey.Check intBetween(int min, int max) {
    return raw -> {
      try {
        int v = Integer.parseInt(raw.trim());
        return v >= min && v <= max
            ? Optional.empty()
            : Optional.of("must be an integer between " + min + " and " + max);
      } catch (NumberFormatException e) {
        return Optional.of("must be an integer between " + min + " and " + max);
      }
    };
  }

  static ConfigKey.Check uri() {
    return raw -> {
      if (raw.isBlank()) {
        return Optional.of("must not be empty");
      }
      try {
        new URI(raw.trim());
        return Optional.empty();
      } catch (URISyntaxException e) {
        return Optional.of(
            "must be a URI or path (e.g. ./lake, file:///data/lake, s3a://bucket/lake)");
      }
    };
  }

  static ConfigKey.Check jdbcPostgresOrEmpty() {
    return raw ->
        raw.isBlank() || raw.startsWith("jdbc:postgresql://")
            ? Optional.empty()
            : Optional.of(
                "must start with jdbc:postgresql:// (or be empty for the embedded database)");
  }

  static ConfigKey.Check hostPortListOrEmpty() {
    return listOrEmpty(
        "[A-Za-z0-9._\\-\\[\\]:]+:\\d{1,5}",
        "must be a comma-separated list of host:port (or empty for the embedded broker)");
  }

  static ConfigKey.Check sparkMaster() {
    return matching(
        "local(\\[(\\*|\\d+)(,\\d+)?\\])?|(spark|k8s|mesos)://.+|yarn",
        "must be local, local[N], local[*], spark://host:port, yarn or k8s://...");
  }

  static ConfigKey.Check topicName() {
    return matching(
        "[A-Za-z0-9._\\-]{1,249}", "must be 1-249 characters of letters, digits, '.', '_' or '-'");
  }

  static ConfigKey.Check identifier() {
    return matching(
        "[A-Za-z_][A-Za-z0-9_]{0,62}", "must be an SQL identifier (letters, digits, '_')");
  }

  static ConfigKey.Check oneOf(Set<String> allowed) {
    // Sorted: Set.of iterates in a different order in every JVM, and the rule is printed in docs.
    String listed = String.join(", ", new TreeSet<>(allowed));
    return raw ->
        allowed.contains(raw.trim()) ? Optional.empty() : Optional.of("must be one of " + listed);
  }

  static ConfigKey.Check duration() {
    return matching(
        "\\d+\\s*(ms|milliseconds?|s|seconds?|m|minutes?)",
        "must be a duration such as 500 ms, 5 seconds or 1 minute");
  }

  static ConfigKey.Check notBlank() {
    return raw -> raw.isBlank() ? Optional.of("must not be empty") : Optional.empty();
  }

  /** Comma list of table=value pairs, e.g. {@code orders=order_id,order_details=order_id}. */
  static ConfigKey.Check tableMap() {
    return listOrEmpty(
        "[A-Za-z_][A-Za-z0-9_]*=[A-Za-z_][A-Za-z0-9_]*",
        "must be a comma-separated list of table=column pairs");
  }

  /** The trimmed value matches {@code regex} whole; else {@code problem}. */
  private static ConfigKey.Check matching(String regex, String problem) {
    Pattern p = Pattern.compile(regex);
    return raw -> p.matcher(raw.trim()).matches() ? Optional.empty() : Optional.of(problem);
  }

  /**
   * Empty, or comma-separated items that each match {@code itemRegex} (trimmed); else {@code
   * problem}.
   */
  private static ConfigKey.Check listOrEmpty(String itemRegex, String problem) {
    Pattern p = Pattern.compile(itemRegex);
    return raw -> {
      if (raw.isBlank()) {
        return Optional.empty();
      }
      for (String part : raw.split(",")) {
        if (!p.matcher(part.trim()).matches()) {
          return Optional.of(problem);
        }
      }
      return Optional.empty();
    };
  }
}
