package dev.northwind.lakehouse.dashboard;

import dev.northwind.lakehouse.Resources;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page's files, read once from the classpath. The server serves exactly these (a fixed
 * allow-list keyed by request path), never a file named by a request.
 */
final class Assets {

  static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
  static final String INDEX = "dashboard/index.html";
  static final String SCRIPT = "dashboard/dashboard.js";
  static final String STYLE = "dashboard/dashboard.css";
  static final String PIPELINE = "dashboard/pipeline.html";
  static final String PIPELINE_SCRIPT = "dashboard/pipeline.js";
  static final String HEAD = "dashboard/head.html";

  /** A page's first line, {@code <!-- @head TITLE: ... -->}: the shared head goes there. */
  private static final Pattern HEAD_LINE = Pattern.compile("<!-- @head (\\w+)[^\n]*-->\n");

  /** A served file: its bytes and content type. */
  record Asset(byte[] body, String contentType) {}

  private final Map<String, Asset> byPath;

  Assets() {
    byPath =
        Map.of(
            "/", new Asset(bytes(page(INDEX)), "text/html; charset=utf-8"),
            "/pipeline", new Asset(bytes(page(PIPELINE)), "text/html; charset=utf-8"),
            "/assets/pipeline.js",
                new Asset(Resources.bytes(PIPELINE_SCRIPT), "text/javascript; charset=utf-8"),
            "/assets/dashboard.js",
                new Asset(Resources.bytes(SCRIPT), "text/javascript; charset=utf-8"),
            "/assets/dashboard.css", new Asset(Resources.bytes(STYLE), "text/css; charset=utf-8"),
            "/assets/echarts.min.js",
                new Asset(Resources.bytes(ECHARTS), "text/javascript; charset=utf-8"));
  }

  /**
   * A page's HTML: the head every page shares ({@value #HEAD}: the stylesheet, the meta tags), with
   * the title the page names in its first line, then the page's own body.
   */
  static String page(String resource) {
    String page = Resources.text(resource);
    Matcher head = HEAD_LINE.matcher(page);
    if (!head.lookingAt()) {
      throw new IllegalStateException(resource + " must start with <!-- @head TITLE -->.");
    }
    return Resources.text(HEAD).replace("{{title}}", head.group(1)) + page.substring(head.end());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The asset served at exactly this path, or null. */
  Asset at(String path) {
    return byPath.get(path);
  }
}
