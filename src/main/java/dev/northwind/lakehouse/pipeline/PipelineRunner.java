package dev.northwind.lakehouse.pipeline;

import dev.northwind.lakehouse.Parallel;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.CommitUnits;
import dev.northwind.lakehouse.lake.DatasetKind;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Refresh;
import dev.northwind.lakehouse.lake.RefreshLog;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.source.JdbcSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Refreshes a selection of the graph: flows in dependency order (independent flows at the same
 * time), each only for its stale datasets. A dataset is stale when it was never built, when its
 * last refresh is not recorded, when it reads the source database (Bronze: the source has no
 * version to compare, so its flow always looks; a snapshot whose content did not change commits
 * nothing), or when a table it reads has a Delta version other than the one its last refresh
 * consumed. Deciding costs one {@code _delta_log} listing per table and one small file read per
 * dataset: no Spark job, so an up-to-date dataset is skipped in milliseconds.
 */
public final class PipelineRunner {

  private final PipelineGraph graph;
  private final Supplier<SparkSession> spark;
  private final Configuration hadoop;
  private final Lake lake;
  private final Map<String, Flow> flows;
  private final Progress progress;

  PipelineRunner(
      PipelineGraph graph,
      Supplier<SparkSession> spark,
      Configuration hadoop,
      Lake lake,
      Map<String, Flow> flows,
      Progress progress) {
    this.graph = graph;
    this.spark = spark;
    this.hadoop = hadoop;
    this.lake = lake;
    this.flows = Map.copyOf(flows);
    this.progress = progress;
  }

  /** The Northwind graph's runner; the source is opened only when Bronze runs. */
  public static PipelineRunner northwind(
      LakehouseConfig config,
      Supplier<SparkSession> spark,
      Lake lake,
      Supplier<JdbcSource> source,
      Progress progress) {
    // Deciding what is stale reads only _delta_log listings and refresh records through Hadoop's
    // file system: Spark starts only when a flow has work to do.
    return new PipelineRunner(
        PipelineGraph.northwind(config),
        spark,
        SparkSessions.hadoop(config),
        lake,
        NorthwindFlows.of(config, source),
        progress);
  }

  public PipelineGraph graph() {
    return graph;
  }

  /** Every dataset's state now: versions, last refresh, and whether (and why) it is stale. */
  public List<DatasetStatus> status() {
    RefreshLog log = log();
    Map<String, Long> versions = new LinkedHashMap<>();
    List<DatasetStatus> out = new ArrayList<>();
    for (DatasetSpec d : graph.datasets()) {
      out.add(status(d, log, versions, RefreshMode.INCREMENTAL));
    }
    return out;
  }

  /**
   * Refreshes the selected datasets.
   *
   * @param selected qualified dataset names ({@link PipelineGraph#select})
   * @param runIds the run id of each flow, by flow name
   */
  public RunReport run(List<String> selected, RefreshMode mode, Function<String, String> runIds) {
    long started = System.nanoTime();
    RefreshLog log = log();
    Set<String> chosen = new LinkedHashSet<>(selected);
    Map<String, RunReport.Entry> entries = new LinkedHashMap<>();
    List<String> remaining = new ArrayList<>();
    for (String flow : graph.flows()) {
      if (graph.outputs(flow).stream().anyMatch(d -> chosen.contains(d.name()))) {
        remaining.add(flow);
      }
    }
    while (!remaining.isEmpty()) {
      // A wave: the flows whose upstream flows in this run are done.
      List<String> wave =
          remaining.stream()
              .filter(
                  f ->
                      upstreamFlows(f).stream()
                          .noneMatch(u -> remaining.contains(u) && !u.equals(f)))
              .toList();
      remaining.removeAll(wave);
      List<Map<String, RunReport.Entry>> results =
          wave.size() == 1
              ? List.of(refresh(wave.get(0), chosen, mode, runIds, log))
              : Parallel.map(
                  "pipeline",
                  "pipeline-flow",
                  wave.size(),
                  wave,
                  f -> refresh(f, chosen, mode, runIds, log));
      results.forEach(entries::putAll);
    }
    List<RunReport.Entry> ordered = new ArrayList<>();
    for (DatasetSpec d : graph.datasets()) {
      if (entries.containsKey(d.name())) {
        ordered.add(entries.get(d.name()));
      }
    }
    RunReport report = new RunReport(ordered, (System.nanoTime() - started) / 1_000_000);
    progress.report(
        String.format(
            Locale.ROOT,
            "pipeline: %d written, %d unchanged, %d up to date (%.1f s)",
            report.count(RunReport.Outcome.WRITTEN),
            report.count(RunReport.Outcome.UNCHANGED),
            report.count(RunReport.Outcome.UP_TO_DATE),
            report.millis() / 1000.0));
    return report;
  }

  /** Refreshes one flow's stale selected datasets and records what they consumed. */
  private Map<String, RunReport.Entry> refresh(
      String flow,
      Set<String> chosen,
      RefreshMode mode,
      Function<String, String> runIds,
      RefreshLog log) {
    Map<String, RunReport.Entry> out = new LinkedHashMap<>();
    List<DatasetSpec> selected =
        graph.outputs(flow).stream()
            .filter(d -> chosen.contains(d.name()) && d.kind() != DatasetKind.VIEW)
            .toList();
    Flow work = flows.get(flow);
    if (work == null) {
      for (DatasetSpec d : selected) {
        out.put(
            d.name(),
            new RunReport.Entry(
                d.name(),
                RunReport.Outcome.CONTINUOUS,
                "fed by `lakehouse " + flow + "`, not by runs"));
      }
      progress.report(flow + ": fed by `lakehouse " + flow + "`; nothing to run");
      return out;
    }
    // Listed between Silver's units of commits: a Gold refresh beside the stream never records
    // one fact table as consumed with the other's commit of the same unit missing.
    Map<String, Long> versions = CommitUnits.cut(() -> listed(flow));
    List<DatasetSpec> stale = new ArrayList<>();
    Map<String, String> reasons = new LinkedHashMap<>();
    for (DatasetSpec d : selected) {
      DatasetStatus s = status(d, log, versions, mode);
      // A dataset reading one this flow is about to refresh (rfm_segment reads rfm_customer) is
      // stale too, though its input's version has not moved yet.
      Optional<String> upstream =
          graph.upstream(d.name()).stream()
              .filter(reasons::containsKey)
              .findFirst()
              .map(u -> u + " is refreshed first");
      Optional<String> why = s.stale().or(() -> upstream);
      if (why.isPresent()) {
        stale.add(d);
        reasons.put(d.name(), why.get());
      } else {
        out.put(
            d.name(),
            new RunReport.Entry(d.name(), RunReport.Outcome.UP_TO_DATE, "no input moved"));
      }
    }
    if (stale.isEmpty()) {
      progress.report(
          String.format(
              Locale.ROOT,
              "%s: up to date (%s, no input moved)",
              flow,
              Progress.count(selected.size(), "dataset")));
      return out;
    }
    // What every stored output reads, taken before the flow runs: a commit that lands while it
    // runs makes the dataset look stale next time (refreshed again), never fresh.
    List<DatasetSpec> outputs =
        graph.outputs(flow).stream().filter(d -> d.kind() != DatasetKind.VIEW).toList();
    Map<String, Map<String, Long>> consumed = new LinkedHashMap<>();
    Map<String, Long> before = new LinkedHashMap<>();
    for (DatasetSpec d : outputs) {
      Map<String, Long> in = new LinkedHashMap<>();
      graph.tableInputs(d.name()).forEach(i -> in.put(i, version(i, versions)));
      consumed.put(d.name(), in);
      before.put(d.name(), currentVersion(d.name()));
    }
    String runId = runIds.apply(flow);
    long t0 = System.nanoTime();
    progress.report(
        flow
            + ": refreshing "
            + Progress.count(stale.size(), "dataset")
            + " ("
            + summary(reasons)
            + ")");
    work.refresh(
        new Flow.Request(
            spark.get(),
            lake,
            stale,
            outputs,
            runId,
            progress,
            mode == RefreshMode.FULL_REFRESH ? Map.of() : consumed(outputs, log),
            mode));
    long millis = (System.nanoTime() - t0) / 1_000_000;
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Map<String, Long> afterRun = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Long>> e : consumed.entrySet()) {
      // An input this same flow wrote (rfm_customer reads rfm_quartiles) was consumed as written
      // now.
      e.getValue()
          .replaceAll((in, v) -> graph.dataset(in).flow().equals(flow) ? version(in, afterRun) : v);
    }
    Set<String> refreshed = new LinkedHashSet<>(reasons.keySet());
    for (Map.Entry<String, Map<String, Long>> e : consumed.entrySet()) {
      String name = e.getKey();
      long after = currentVersion(name);
      // Recorded: what was stale, and whatever else the flow rewrote (Silver checks and merges all
      // of its tables together; Bronze appends its run log).
      if (!refreshed.contains(name) && after == before.get(name)) {
        continue;
      }
      Refresh.Outcome outcome =
          after != before.get(name) ? Refresh.Outcome.WRITTEN : Refresh.Outcome.UNCHANGED;
      log.record(new Refresh(name, runId, at, outcome, e.getValue(), after, millis));
      if (chosen.contains(name)) {
        out.put(
            name,
            new RunReport.Entry(
                name,
                outcome == Refresh.Outcome.WRITTEN
                    ? RunReport.Outcome.WRITTEN
                    : RunReport.Outcome.UNCHANGED,
                reasons.getOrDefault(name, "refreshed with its flow")));
      }
    }
    return out;
  }

  /**
   * Records that a flow's datasets reading {@code input} took in the commits {@code input} gained
   * from version {@code from} to {@code to}, and nothing else: the stream's micro-batch merges the
   * events it appended to {@code bronze.order_events} into Silver, which keeps Silver as fresh as a
   * Silver run would. Only a dataset whose last refresh consumed exactly {@code from} advances; any
   * other (never refreshed, or behind on earlier commits) stays stale, so a batch merged while
   * Silver was behind is redone by the next run instead of hiding what it missed.
   *
   * @return the datasets whose record advanced
   */
  public List<String> advance(String flow, String input, long from, long to, String runId) {
    // from = -1: the table did not exist when the datasets were refreshed (recorded as -1).
    if (from == to) {
      return List.of();
    }
    RefreshLog log = log();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<String> out = new ArrayList<>();
    for (DatasetSpec d : graph.outputs(flow)) {
      if (d.kind() == DatasetKind.VIEW || !graph.tableInputs(d.name()).contains(input)) {
        continue;
      }
      Optional<Refresh> last = log.last(d.name());
      Long seen = last.map(r -> r.inputs().get(input)).orElse(null);
      if (seen == null || seen != from) {
        continue;
      }
      Map<String, Long> inputs = new LinkedHashMap<>(last.get().inputs());
      inputs.put(input, to);
      long version = currentVersion(d.name());
      log.record(
          new Refresh(
              d.name(),
              runId,
              at,
              version != last.get().version() ? Refresh.Outcome.WRITTEN : Refresh.Outcome.UNCHANGED,
              inputs,
              version,
              0));
      out.add(d.name());
    }
    return out;
  }

  /**
   * The input versions the outputs' last refreshes consumed, the lowest where they differ (a lower
   * bound: what a flow redoes from there it does idempotently); empty when one has no record.
   */
  private static Map<String, Long> consumed(List<DatasetSpec> outputs, RefreshLog log) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (DatasetSpec d : outputs) {
      Optional<Refresh> last = log.last(d.name());
      if (last.isEmpty()) {
        return Map.of();
      }
      last.get().inputs().forEach((in, v) -> out.merge(in, v, Math::min));
    }
    return out;
  }

  private DatasetStatus status(
      DatasetSpec d, RefreshLog log, Map<String, Long> versions, RefreshMode mode) {
    if (d.kind() == DatasetKind.VIEW) {
      return new DatasetStatus(d, -1, Optional.empty(), Map.of(), Optional.empty());
    }
    long version = version(d.name(), versions);
    Optional<Refresh> last = log.last(d.name());
    Map<String, Long> inputs = new LinkedHashMap<>();
    graph.tableInputs(d.name()).forEach(i -> inputs.put(i, version(i, versions)));
    return new DatasetStatus(d, version, last, inputs, staleReason(d, version, last, inputs, mode));
  }

  private Optional<String> staleReason(
      DatasetSpec d,
      long version,
      Optional<Refresh> last,
      Map<String, Long> inputs,
      RefreshMode mode) {
    if (!flows.containsKey(d.flow())) {
      return Optional.empty();
    }
    if (mode == RefreshMode.FULL_REFRESH) {
      return Optional.of("full refresh");
    }
    if (last.isEmpty()) {
      return Optional.of(version < 0 ? "not built yet" : "no refresh recorded");
    }
    if (version < 0 && last.get().version() >= 0) {
      return Optional.of("its table is gone");
    }
    if (graph.readsExternal(d.name())) {
      return Optional.of("reads the source");
    }
    List<String> moved = new ArrayList<>();
    inputs.forEach(
        (in, v) -> {
          Long seen = last.get().inputs().get(in);
          if (seen == null || seen.longValue() != v) {
            moved.add(in + " v" + (seen == null ? "?" : seen) + "→v" + v);
          }
        });
    return moved.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", moved));
  }

  /** The current version of a stored dataset (-1 for views and missing tables), listed now. */
  private long currentVersion(String name) {
    return graph.dataset(name).table().map(t -> lake.version(hadoop, t)).orElse(-1L);
  }

  /** The versions of a flow's outputs and of the tables they read, listed now. */
  private Map<String, Long> listed(String flow) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (DatasetSpec d : graph.outputs(flow)) {
      version(d.name(), out);
      graph.tableInputs(d.name()).forEach(i -> version(i, out));
    }
    return out;
  }

  /** {@link #currentVersion}, listed once per decision. */
  private long version(String name, Map<String, Long> cache) {
    return cache.computeIfAbsent(name, this::currentVersion);
  }

  private Set<String> upstreamFlows(String flow) {
    Set<String> out = new LinkedHashSet<>();
    for (DatasetSpec d : graph.outputs(flow)) {
      for (String in : graph.upstream(d.name())) {
        out.add(graph.dataset(in).flow());
      }
    }
    out.remove(flow);
    return out;
  }

  private RefreshLog log() {
    return new RefreshLog(lake, hadoop);
  }

  private static String summary(Map<String, String> reasons) {
    Set<String> distinct = new LinkedHashSet<>(reasons.values());
    String s = String.join("; ", distinct);
    return s.length() > 160 ? s.substring(0, 157) + "..." : s;
  }
}
