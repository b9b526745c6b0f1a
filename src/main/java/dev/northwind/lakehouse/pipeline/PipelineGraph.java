package dev.northwind.lakehouse.pipeline;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.bronze.BronzeDatasets;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.gold.GoldDatasets;
import dev.northwind.lakehouse.lake.DatasetKind;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.silver.SilverDatasets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The dataset graph: every declared dataset of every layer, with the edges from its inputs. Built
 * from the layers' declarations ({@link BronzeDatasets}, {@link SilverDatasets}, {@link
 * GoldDatasets}), checked (unique names, every lake input declared, no cycle) and kept in
 * dependency order.
 */
public final class PipelineGraph {

  private final Map<String, DatasetSpec> datasets;

  PipelineGraph(List<DatasetSpec> declared) {
    Map<String, DatasetSpec> byName = new LinkedHashMap<>();
    for (DatasetSpec d : declared) {
      if (byName.put(d.name(), d) != null) {
        throw new IllegalArgumentException("dataset declared twice: " + d.name());
      }
    }
    for (DatasetSpec d : declared) {
      for (String in : d.inputs()) {
        if (!DatasetSpec.external(in) && !byName.containsKey(in)) {
          throw new IllegalArgumentException(d.name() + " reads " + in + ", which is not declared");
        }
      }
    }
    this.datasets = sorted(byName);
  }

  /** The Northwind lakehouse's graph under this configuration. */
  public static PipelineGraph northwind(LakehouseConfig config) {
    List<DatasetSpec> all =
        new ArrayList<>(
            BronzeDatasets.declare(config.source().incremental(), config.kafka().topic()));
    all.addAll(SilverDatasets.ALL);
    all.addAll(GoldDatasets.ALL);
    return new PipelineGraph(all);
  }

  /** Every dataset, inputs before the datasets that read them. */
  public List<DatasetSpec> datasets() {
    return List.copyOf(datasets.values());
  }

  /** One dataset by qualified name. */
  public DatasetSpec dataset(String name) {
    DatasetSpec d = datasets.get(name);
    if (d == null) {
      throw new IllegalArgumentException("no dataset " + name);
    }
    return d;
  }

  /** The flows in dependency order (a flow's inputs come from flows before it). */
  public List<String> flows() {
    Set<String> out = new LinkedHashSet<>();
    datasets.values().forEach(d -> out.add(d.flow()));
    return List.copyOf(out);
  }

  /** The datasets a flow writes (views included), in dependency order. */
  public List<DatasetSpec> outputs(String flow) {
    return datasets.values().stream().filter(d -> d.flow().equals(flow)).toList();
  }

  /**
   * The stored datasets (tables) a dataset reads, looking through views: what its freshness depends
   * on.
   */
  public Set<String> tableInputs(String name) {
    Set<String> out = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(dataset(name).inputs());
    while (!todo.isEmpty()) {
      String in = todo.pop();
      if (DatasetSpec.external(in)) {
        continue;
      }
      DatasetSpec d = dataset(in);
      if (d.kind() == DatasetKind.VIEW) {
        todo.addAll(d.inputs());
      } else {
        out.add(in);
      }
    }
    return out;
  }

  /** Whether the dataset reads, directly or through views, from outside the lake. */
  public boolean readsExternal(String name) {
    Deque<String> todo = new ArrayDeque<>(dataset(name).inputs());
    while (!todo.isEmpty()) {
      String in = todo.pop();
      if (DatasetSpec.external(in)) {
        return true;
      }
      DatasetSpec d = dataset(in);
      if (d.kind() == DatasetKind.VIEW) {
        todo.addAll(d.inputs());
      }
    }
    return false;
  }

  /**
   * The datasets a selector names, in dependency order. A selector is a comma-separated list of
   * terms; a term is a qualified name or a pattern with {@code *} ({@code silver.*}); a trailing
   * {@code +} adds everything downstream of it, a leading {@code +} everything upstream (dbt's
   * graph operators).
   *
   * @throws dev.northwind.lakehouse.LakehouseException when a term matches no dataset
   */
  public List<String> select(String selector) {
    Set<String> chosen = new LinkedHashSet<>();
    for (String raw : selector.split(",")) {
      String term = raw.trim();
      if (term.isEmpty()) {
        continue;
      }
      boolean up = term.startsWith("+");
      boolean down = term.endsWith("+") && term.length() > 1;
      String pattern = term.substring(up ? 1 : 0, term.length() - (down ? 1 : 0));
      Pattern p = Pattern.compile(glob(pattern));
      List<String> matched =
          datasets.keySet().stream().filter(n -> p.matcher(n).matches()).toList();
      if (matched.isEmpty()) {
        throw LakehouseErrors.unknownDatasets(term, List.copyOf(datasets.keySet()));
      }
      for (String m : matched) {
        chosen.add(m);
        if (down) {
          chosen.addAll(downstream(m));
        }
        if (up) {
          chosen.addAll(upstream(m));
        }
      }
    }
    return datasets.keySet().stream().filter(chosen::contains).toList();
  }

  /** Every dataset that reads {@code name}, directly or not. */
  public Set<String> downstream(String name) {
    Set<String> out = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      String n = todo.pop();
      for (DatasetSpec d : datasets.values()) {
        if (d.inputs().contains(n) && out.add(d.name())) {
          todo.push(d.name());
        }
      }
    }
    return out;
  }

  /** Every dataset {@code name} reads, directly or not. */
  public Set<String> upstream(String name) {
    Set<String> out = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      for (String in : dataset(todo.pop()).inputs()) {
        if (!DatasetSpec.external(in) && out.add(in)) {
          todo.push(in);
        }
      }
    }
    return out;
  }

  /** {@code silver.*} as a regular expression; everything but {@code *} is literal. */
  private static String glob(String pattern) {
    StringBuilder sb = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (sb.length() > 0 || pattern.startsWith("*")) {
        sb.append(".*");
      }
      sb.append(Pattern.quote(part));
    }
    return pattern.equals("*") ? ".*" : sb.toString();
  }

  /** Kahn's algorithm, stable: among ready datasets, declaration order. */
  private static Map<String, DatasetSpec> sorted(Map<String, DatasetSpec> byName) {
    Map<String, DatasetSpec> out = new LinkedHashMap<>();
    while (out.size() < byName.size()) {
      boolean progressed = false;
      for (DatasetSpec d : byName.values()) {
        if (!out.containsKey(d.name())
            && d.inputs().stream()
                .allMatch(
                    in -> DatasetSpec.external(in) || out.containsKey(in) || in.equals(d.name()))) {
          out.put(d.name(), d);
          progressed = true;
        }
      }
      if (!progressed) {
        List<String> left = byName.keySet().stream().filter(n -> !out.containsKey(n)).toList();
        throw new IllegalArgumentException("the pipeline graph has a cycle among " + left);
      }
    }
    return out;
  }
}
