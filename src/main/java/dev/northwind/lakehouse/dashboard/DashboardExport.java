package dev.northwind.lakehouse.dashboard;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the dashboard as ONE self-contained HTML file: the page with its CSS, its script, the
 * chart library and the current data embedded ({@code window.__DASHBOARD_DATA__}), so it opens from
 * disk or an e-mail with no server and no network. The embedded page does not poll.
 */
public final class DashboardExport {

  /** Name of the file written in the output folder. */
  public static final String FILE_NAME = "northwind-dashboard.html";

  private static final Pattern CLOSE_SCRIPT = Pattern.compile("(?i)</(script)");
  private static final Pattern CLOSE_STYLE = Pattern.compile("(?i)</(style)");

  private DashboardExport() {}

  /**
   * Writes {@code outDir/northwind-dashboard.html} (replacing it atomically) from the current
   * snapshot of the Gold tables; an empty lake gives a page showing the empty-state message.
   *
   * @return the file written
   */
  public static Path export(DashboardData data, Path outDir) {
    String html = html(data.snapshot());
    try {
      Files.createDirectories(outDir);
      Path target = outDir.resolve(FILE_NAME);
      Path tmp = Files.createTempFile(outDir, ".northwind-dashboard-", ".tmp");
      try {
        Files.writeString(tmp, html, StandardCharsets.UTF_8);
        readableByAll(tmp);
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return target;
    } catch (IOException e) {
      throw LakehouseErrors.dashboardExportFailed(outDir, e);
    }
  }

  /** A temp file is owner-only; the dashboard is meant to be shared like any report. */
  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the default permissions apply.
    }
  }

  /** The self-contained page for a snapshot. */
  static String html(DashboardData.Snapshot snapshot) {
    String page = Assets.page(Assets.INDEX);
    page =
        replaceOnce(
            page,
            "<link rel=\"stylesheet\" href=\"assets/dashboard.css\">",
            "<style>\n" + style(Resources.text(Assets.STYLE)) + "\n</style>");
    page =
        replaceOnce(
            page,
            "<script src=\"assets/echarts.min.js\"></script>",
            "<script>\n" + script(Resources.text(Assets.ECHARTS)) + "\n</script>");
    page =
        replaceOnce(
            page,
            "<script src=\"assets/dashboard.js\"></script>",
            "<script>\nwindow.__DASHBOARD_DATA__ = "
                + jsonForScript(snapshot.json())
                + ";\n</script>\n"
                + "<script>\n"
                + script(Resources.text(Assets.SCRIPT))
                + "\n</script>");
    return page;
  }

  private static String replaceOnce(String page, String marker, String replacement) {
    int at = page.indexOf(marker);
    if (at < 0 || page.indexOf(marker, at + 1) >= 0) {
      throw new IllegalStateException(
          "dashboard/index.html must contain " + marker + " exactly once.");
    }
    return page.substring(0, at) + replacement + page.substring(at + marker.length());
  }

  /** JSON made safe inside a script element: no '<', '>', '&' or JS line separators verbatim. */
  static String jsonForScript(String json) {
    return json.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029");
  }

  /** Script text that cannot end its script element early ("<\/script" means the same to JS). */
  private static String script(String js) {
    return CLOSE_SCRIPT.matcher(js).replaceAll(Matcher.quoteReplacement("<\\/") + "$1");
  }

  private static String style(String css) {
    return CLOSE_STYLE.matcher(css).replaceAll(Matcher.quoteReplacement("<\\/") + "$1");
  }
}
