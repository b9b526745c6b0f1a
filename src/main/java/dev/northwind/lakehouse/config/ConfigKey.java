package dev.northwind.lakehouse.config;

import java.util.Locale;
import java.util.Optional;

/**
 * One configuration key, defined once with its type, default, check and description (in the
 * manner of Kafka's {@code ConfigDef}). Values arrive as strings from flags, the environment or a
 * file and are parsed and checked here.
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
    SECRET
  }

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
    return secret == Secrecy.SECRET ? "******" : value;
  }
}
