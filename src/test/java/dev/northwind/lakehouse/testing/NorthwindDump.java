package dev.northwind.lakehouse.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the classic {@code northwind.sql} dump for tests. The dump is not part of the repository:
 * it is taken from {@code NORTHWIND_SQL}, or from {@code shared/data/northwind/northwind.sql} next
 * to the project directory or next to any of its parents (so that git worktrees nested a level
 * deeper find it too). Without it tests are skipped, except under {@code CI=true}, where a missing
 * dump is a failure.
 */
public final class NorthwindDump {

  /** Row counts of the dump's 14 tables, in the dump's table order. */
  public static final Map<String, Long> ROWS = rows();

  private static final Path RELATIVE = Path.of("shared", "data", "northwind", "northwind.sql");

  private NorthwindDump() {}

  /** The dump's path; skips (or, under CI, fails) the calling test when there is none. */
  public static Path path() {
    String env = System.getenv("NORTHWIND_SQL");
    if (env != null && !env.isBlank()) {
      Path file = Path.of(env);
      if (!Files.isRegularFile(file)) {
        return missing("NORTHWIND_SQL points at " + file + ", which is not a file");
      }
      return file;
    }
    Path project =
        Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    for (Path dir = project.getParent(); dir != null; dir = dir.getParent()) {
      Path file = dir.resolve(RELATIVE);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    return missing(
        "No northwind.sql found at ../" + RELATIVE + " from " + project + " or its parents");
  }

  private static Map<String, Long> rows() {
    Map<String, Long> rows = new LinkedHashMap<>();
    rows.put("categories", 8L);
    rows.put("customer_customer_demo", 0L);
    rows.put("customer_demographics", 0L);
    rows.put("customers", 91L);
    rows.put("employees", 9L);
    rows.put("employee_territories", 49L);
    rows.put("order_details", 2155L);
    rows.put("orders", 830L);
    rows.put("products", 77L);
    rows.put("region", 4L);
    rows.put("shippers", 6L);
    rows.put("suppliers", 29L);
    rows.put("territories", 53L);
    rows.put("us_states", 51L);
    return Collections.unmodifiableMap(rows);
  }

  private static Path missing(String why) {
    String message = why + "; set NORTHWIND_SQL to the dump's path to run the tests that load it.";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(message + " (CI=true: a missing dump fails instead of skipping)");
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }
}
