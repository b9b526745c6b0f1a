package dev.northwind.lakehouse.pipeline;

import dev.northwind.lakehouse.lake.DatasetKind;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.lake.Refresh;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The graph as text for people ({@code lakehouse graph}) or as a Mermaid flowchart. */
public enum GraphFormat {
  TEXT {
    @Override
    public String render(List<DatasetStatus> statuses) {
      StringBuilder sb = new StringBuilder();
      String layer = "";
      for (DatasetStatus s : statuses) {
        DatasetSpec d = s.spec();
        if (!d.layer().equals(layer)) {
          layer = d.layer();
          sb.append(layer).append('\n');
        }
        sb.append(
            String.format(
                Locale.ROOT,
                "  %-38s %-18s %-13s flow %-7s %s%n",
                d.name(),
                d.kind().label(),
                d.mode().label(),
                d.flow(),
                state(s)));
        sb.append("      reads: ")
            .append(d.inputs().isEmpty() ? "-" : String.join(", ", d.inputs()))
            .append('\n');
        s.last()
            .ifPresent(
                r ->
                    sb.append("      last refresh: ")
                        .append(r.refreshedAt())
                        .append(" run ")
                        .append(r.runId())
                        .append(", ")
                        .append(r.outcome().name().toLowerCase(Locale.ROOT))
                        .append(", consumed ")
                        .append(consumed(r))
                        .append('\n'));
      }
      return sb.toString();
    }
  },
  MERMAID {
    @Override
    public String render(List<DatasetStatus> statuses) {
      StringBuilder sb = new StringBuilder("flowchart LR\n");
      Set<String> external = new LinkedHashSet<>();
      for (DatasetStatus s : statuses) {
        DatasetSpec d = s.spec();
        String shape = d.kind() == DatasetKind.VIEW ? "([\"%s\"])" : "[\"%s\"]";
        sb.append("  ")
            .append(id(d.name()))
            .append(String.format(shape, d.name() + "<br/>" + d.kind().label()))
            .append('\n');
        d.inputs().stream().filter(DatasetSpec::external).forEach(external::add);
      }
      for (String e : external) {
        sb.append("  ").append(id(e)).append("[(\"").append(e).append("\")]\n");
      }
      for (DatasetStatus s : statuses) {
        for (String in : s.spec().inputs()) {
          sb.append("  ").append(id(in)).append(" --> ").append(id(s.spec().name())).append('\n');
        }
      }
      sb.append("  classDef stale fill:#fde2e1,stroke:#c0392b\n");
      sb.append("  classDef fresh fill:#e3f5e1,stroke:#2e7d32\n");
      String stale =
          statuses.stream()
              .filter(s -> s.stale().isPresent())
              .map(s -> id(s.spec().name()))
              .collect(Collectors.joining(","));
      String fresh =
          statuses.stream()
              .filter(s -> s.stale().isEmpty() && s.version() >= 0)
              .map(s -> id(s.spec().name()))
              .collect(Collectors.joining(","));
      if (!stale.isEmpty()) {
        sb.append("  class ").append(stale).append(" stale\n");
      }
      if (!fresh.isEmpty()) {
        sb.append("  class ").append(fresh).append(" fresh\n");
      }
      return sb.toString();
    }
  };

  /** The statuses rendered in this format. */
  public abstract String render(List<DatasetStatus> statuses);

  static String state(DatasetStatus s) {
    if (s.spec().kind() == DatasetKind.VIEW) {
      return "view (computed with the tables that read it)";
    }
    String version = s.version() < 0 ? "not built" : "v" + s.version();
    return s.stale().map(r -> version + ", STALE: " + r).orElse(version + ", up to date");
  }

  private static String consumed(Refresh r) {
    if (r.inputs().isEmpty()) {
      return "no lake inputs";
    }
    return r.inputs().entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "@v" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static String id(String name) {
    return name.replaceAll("[^A-Za-z0-9_]", "_");
  }
}
