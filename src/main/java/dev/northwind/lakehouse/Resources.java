package dev.northwind.lakehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Files shipped on the classpath (SQL, the dashboard's page, the source DDL, fixed service
 * settings), read whole. A missing one is a packaging error, not a user error, so it fails as an
 * {@link IllegalStateException}.
 */
public final class Resources {

  private Resources() {}

  /**
   * The UTF-8 text of a classpath resource, e.g. {@code sql/gold/kpi_summary.sql} (no leading '/').
   */
  public static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  /** The bytes of a classpath resource, e.g. {@code dashboard/index.html} (no leading '/'). */
  public static byte[] bytes(String name) {
    try (InputStream in = Resources.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "Missing classpath resource " + name + " (a packaging error).");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A {@code .properties} resource, e.g. {@code services/kafka-broker.properties}. */
  public static Properties properties(String name) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text(name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** The text of the named query {@code sql/<folder>/<name>.sql}. */
  public static String sql(String folder, String name) {
    return text("sql/" + folder + "/" + name + ".sql");
  }
}
