package dev.northwind.lakehouse.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One configuration key, defined once with its type, default, check and description (in the manner
 * of Kafka's {@code ConfigDef}). Values arrive as strings from flags, the environment or a file and
 * are parsed and checked here.
 *
 * @param name dotted key, e.g. {@code source.jdbc.url}
 * @param type how the string value is parsed
 * @param defaultValue the default as a string, or {@code null} when the key has no default
 * @param check the rule the parsed value must satisfy
 * @param secret whether the value is masked wherever it is printed
 * @param description one sentence for {@code lakehouse config}
 */
public record ConfigKey(
    String name, Type type, String defaultValue, Check check, Secrecy secret, String description) {

  /** Whether a key's value may be shown. */
  public enum Secrecy {
    PLAIN,
    SECRET,
    /**
     * A list of {@code key=value} pairs (spark.conf): values whose key names a credential ({@link
     * #secretName(String)}) are masked, the rest shown.
     */
    SECRET_PAIRS
  }

  /**
   * Parts of a setting's name that mark its value as a credential (s3a keys, JDBC passwords,
   * tokens).
   */
  private static final List<String> SECRET_NAME_PARTS =
      List.of("secret", "password", "access.key", "accesskey", "token", "credential");

  /** Value types. */
  public enum Type {
    STRING,
    INT,
    URI,
    LIST
  }

  /** A rule on a raw value; returns the rule's description when the value breaks it. */
  @FunctionalInterface
  public interface Check {
    Optional<String> test(String raw);

    Check NONE = raw -> Optional.empty();
  }

  /** The environment variable that sets this key: {@code LAKEHOUSE_} + upper-case name with '_'. */
  public String envVar() {
    return "LAKEHOUSE_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The value as it may be printed: secrets masked. */
  public String display(String value) {
    if (value == null || value.isEmpty()) {
      return value == null ? "" : value;
    }
    return switch (secret) {
      case SECRET -> "******";
      case SECRET_PAIRS -> maskPairs(value);
      case PLAIN -> value;
    };
  }

  /**
   * Whether a setting's name says its value is a credential, e.g. {@code
   * spark.hadoop.fs.s3a.secret.key}, {@code fs.s3a.access.key}, {@code ...password}. Credential
   * provider class names are not secret and stay visible.
   */
  public static boolean secretName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith("credentials.provider") || n.endsWith("credential.provider")) {
      return false;
    }
    return SECRET_NAME_PARTS.stream().anyMatch(n::contains);
  }

  private static String maskPairs(String value) {
    StringBuilder sb = new StringBuilder();
    for (String part : value.split(",", -1)) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      int eq = part.indexOf('=');
      sb.append(
          eq > 0 && secretName(part.substring(0, eq))
              ? part.substring(0, eq + 1) + "******"
              : part);
    }
    return sb.toString();
  }
}
