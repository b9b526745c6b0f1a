package dev.northwind.lakehouse.bench;

import dev.northwind.lakehouse.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders bench results: progress lines, a terminal table, JSON, and a Markdown table for the
 * README.
 */
public final class BenchReport {

  private static final String[] HEADER = {
    "scale",
    "stage",
    "rows",
    "seconds",
    "rows/s",
    "runs",
    "spark jobs",
    "spark stages",
    "delta commits",
    "peak heap MB",
    "notes"
  };

  private BenchReport() {}

  static String line(BenchStage s) {
    return String.format(
        Locale.ROOT,
        "  scale %d %-42s %10d rows %8.2f s %12.0f rows/s  %4d jobs %3d commits  heap %5d MB %s",
        s.scale(),
        s.stage(),
        s.rows(),
        s.seconds(),
        s.rowsPerSecond(),
        s.jobs(),
        s.deltaCommits(),
        s.peakHeapMb(),
        notes(s));
  }

  /** A fixed-width table for the terminal. */
  public static String table(List<BenchStage> stages) {
    List<String[]> rows = rows(stages);
    int[] w = new int[HEADER.length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < rows.size(); k++) {
      String[] r = rows.get(k);
      for (int i = 0; i < r.length; i++) {
        boolean left = i == 1 || i == r.length - 1;
        sb.append(
            left ? String.format("%-" + w[i] + "s", r[i]) : String.format("%" + w[i] + "s", r[i]));
        sb.append(i == r.length - 1 ? "" : "  ");
      }
      sb.append('\n');
      if (k == 0) {
        for (int i = 0; i < w.length; i++) {
          sb.append("-".repeat(w[i])).append(i == w.length - 1 ? "" : "  ");
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** A Markdown table, ready to paste into the README. */
  public static String markdown(List<BenchStage> stages, String context) {
    List<String[]> rows = rows(stages);
    StringBuilder sb = new StringBuilder();
    sb.append(context).append("\n\n");
    for (int k = 0; k < rows.size(); k++) {
      sb.append("| ").append(String.join(" | ", rows.get(k))).append(" |\n");
      if (k == 0) {
        sb.append("|").append(" --- |".repeat(HEADER.length)).append('\n');
      }
    }
    return sb.toString();
  }

  /** The results as JSON: {@code {"context": ..., "stages": [...]}}. */
  public static String json(List<BenchStage> stages, Map<String, Object> context) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (BenchStage s : stages) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scale", s.scale());
      m.put("stage", s.stage());
      m.put("rows", s.rows());
      m.put("seconds", Bench.round(s.seconds(), 3));
      m.put("rows_per_second", Bench.round(s.rowsPerSecond(), 1));
      m.put("runs", s.runs());
      m.put("spark_jobs", s.jobs());
      m.put("spark_stages", s.sparkStages());
      m.put("delta_commits", s.deltaCommits());
      m.put("peak_heap_mb", s.peakHeapMb());
      m.putAll(s.extra());
      list.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>(context);
    root.put("stages", list);
    return Json.pretty(root);
  }

  private static List<String[]> rows(List<BenchStage> stages) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (BenchStage s : stages) {
      rows.add(
          new String[] {
            Integer.toString(s.scale()),
            s.stage(),
            String.format(Locale.ROOT, "%,d", s.rows()),
            String.format(Locale.ROOT, "%.2f", s.seconds()),
            String.format(Locale.ROOT, "%,.0f", s.rowsPerSecond()),
            Integer.toString(s.runs()),
            Long.toString(s.jobs()),
            Long.toString(s.sparkStages()),
            Long.toString(s.deltaCommits()),
            Long.toString(s.peakHeapMb()),
            notes(s)
          });
    }
    return rows;
  }

  private static String notes(BenchStage s) {
    return s.extra().entrySet().stream()
        .filter(e -> e.getValue() != null)
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }
}
