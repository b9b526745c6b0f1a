package dev.northwind.lakehouse.status;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.lake.Refresh;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pipeline's state at one moment, as {@link PipelineStatus} read it: for people ({@link
 * #text()}), for scripts and the dashboard ({@link #document()}), and as a health verdict ({@link
 * #healthy()}).
 *
 * @param lake the lake's root
 * @param checkedAt when it was read
 * @param detail how much was read
 * @param datasets every dataset of the graph, inputs first
 * @param runs the runs known (Bronze's run log, the runner's refresh records, Gold's KPI rows),
 *     newest first
 * @param stream the order-event stream's micro-batches, when it ever ran
 * @param cdc the CDC's micro-batches, when it ever ran
 * @param checks the expectation results of the last Silver runs, newest run first
 */
public record PipelineReport(
    String lake,
    Instant checkedAt,
    PipelineStatus.Detail detail,
    List<DatasetState> datasets,
    List<Run> runs,
    Optional<Lag> stream,
    Optional<Lag> cdc,
    List<Check> checks) {

  /** Shown when the lake has no table yet. */
  public static final String NOTHING_YET =
      "Nothing yet: the lake has no datasets. Run `lakehouse demo` (or `lakehouse run`) to build them.";

  /** A dataset's state. */
  public enum State {
    /** Refreshed by a run, and no input moved since. */
    FRESH,
    /** Built, but an input moved since its last refresh (or none is recorded). */
    STALE,
    /** Never built. */
    NOT_BUILT,
    /** A view: computed with the tables that read it, nothing stored. */
    VIEW,
    /** Fed continuously by the stream or CDC, and has data. */
    CONTINUOUS,
    /** Fed continuously by the stream or CDC, which never wrote to it. */
    IDLE;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** Whether a dataset in this state makes the pipeline need attention. */
    boolean problem() {
      return this == STALE || this == NOT_BUILT;
    }
  }

  /** How a run ended. */
  public enum Outcome {
    SUCCEEDED,
    FAILED
  }

  /**
   * One dataset.
   *
   * @param rows its row count at {@code version}, null when not stored or not built
   * @param inputs the current version of every table it reads
   * @param stale why it would be refreshed now
   * @param schema its columns (name, type, nullable), with {@link PipelineStatus.Detail#FULL}
   * @param quarantined a few of its quarantined rows (Silver), with {@link
   *     PipelineStatus.Detail#FULL}
   */
  public record DatasetState(
      DatasetSpec spec,
      long version,
      Long rows,
      Optional<Refresh> last,
      Map<String, Long> inputs,
      Optional<String> stale,
      State state,
      List<Map<String, Object>> schema,
      List<Map<String, Object>> quarantined) {}

  /**
   * One run of a command.
   *
   * @param command bronze, silver, gold (a flow of the graph)
   * @param millis how long it took, when recorded
   * @param detail one line: what it did
   */
  public record Run(
      String command,
      String runId,
      Instant startedAt,
      Instant endedAt,
      Optional<Long> millis,
      Outcome outcome,
      String detail) {}

  /** One micro-batch of the stream or CDC. */
  public record Batch(
      long batchId,
      Instant committedAt,
      long rowsIn,
      long rowsWritten,
      Optional<Long> lagP50Ms,
      Optional<Long> lagMaxMs) {}

  /**
   * A continuous job's recent micro-batches.
   *
   * @param running whether its last batch committed within {@link PipelineStatus#RUNNING_WITHIN}
   * @param points the last batches, oldest first
   */
  public record Lag(boolean running, Batch last, List<Batch> points) {}

  /** One expectation's result in one Silver run. */
  public record Check(
      String runId,
      Instant runAt,
      String table,
      String expectation,
      String action,
      long rowsChecked,
      long rowsFailed) {}

  /** Whether the lake has no table at all. */
  public boolean empty() {
    return datasets.stream().allMatch(d -> d.version() < 0);
  }

  /** The newest run of each command, in the graph's flow order of first appearance. */
  public List<Run> lastRuns() {
    Map<String, Run> out = new LinkedHashMap<>();
    for (String flow : flows()) {
      runs.stream()
          .filter(r -> r.command().equals(flow))
          .findFirst()
          .ifPresent(r -> out.put(flow, r));
    }
    runs.forEach(r -> out.putIfAbsent(r.command(), r));
    return List.copyOf(out.values());
  }

  /** The expectation results of the last Silver run. */
  public List<Check> lastChecks() {
    if (checks.isEmpty()) {
      return List.of();
    }
    String run = checks.get(0).runId();
    return checks.stream().filter(c -> c.runId().equals(run)).toList();
  }

  /** What needs attention; empty when everything is fresh and green. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (empty()) {
      out.add(NOTHING_YET);
      return out;
    }
    for (DatasetState d : datasets) {
      if (d.state() == State.NOT_BUILT) {
        out.add(d.spec().name() + " is not built");
      } else if (d.state() == State.STALE) {
        out.add(d.spec().name() + " is stale: " + d.stale().orElse(""));
      }
    }
    for (Run r : lastRuns()) {
      if (r.outcome() == Outcome.FAILED) {
        out.add("the last " + r.command() + " run " + r.runId() + " failed: " + r.detail());
      }
    }
    for (Check c : lastChecks()) {
      if (c.rowsFailed() > 0 && c.action().equals("fail")) {
        out.add(
            c.table()
                + " failed expectation "
                + c.expectation()
                + " ("
                + c.rowsFailed()
                + " rows)");
      }
    }
    return out;
  }

  /** True when every dataset is fresh and the last runs succeeded: the exit code 0 of a check. */
  public boolean healthy() {
    return problems().isEmpty();
  }

  private List<String> flows() {
    Set<String> out = new LinkedHashSet<>();
    datasets.forEach(d -> out.add(d.spec().flow()));
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------- text

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** One screen for people. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    List<String> problems = problems();
    sb.append("Pipeline of ")
        .append(lake)
        .append(", checked ")
        .append(TIME.format(checkedAt))
        .append(" UTC: ")
        .append(
            empty()
                ? "nothing yet"
                : problems.isEmpty()
                    ? "all fresh and green"
                    : Progress.count(problems.size(), "problem"))
        .append('\n');
    if (empty()) {
      sb.append(NOTHING_YET).append('\n');
      return sb.toString();
    }
    sb.append('\n')
        .append(
            String.format(
                Locale.ROOT,
                "%-36s %-10s %7s %10s  %s%n",
                "DATASET",
                "STATE",
                "VERSION",
                "ROWS",
                "LAST REFRESH (UTC)"));
    for (DatasetState d : datasets) {
      String last =
          d.last()
              .map(
                  r ->
                      TIME.format(r.refreshedAt())
                          + " "
                          + r.outcome().name().toLowerCase(Locale.ROOT)
                          + " in "
                          + seconds(r.millis()))
              .orElse("-");
      sb.append(
          String.format(
              Locale.ROOT,
              "%-36s %-10s %7s %10s  %s%s%n",
              d.spec().name(),
              d.state().label(),
              d.version() < 0 ? "-" : "v" + d.version(),
              d.rows() == null ? "-" : String.format(Locale.ROOT, "%,d", d.rows()),
              last,
              d.state() == State.STALE ? "  <- " + d.stale().orElse("") : ""));
    }
    sb.append("\nLAST RUNS\n");
    List<Run> last = lastRuns();
    if (last.isEmpty()) {
      sb.append("  none recorded\n");
    }
    for (Run r : last) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-7s %s  %-9s %-9s %s  (%s)%n",
              r.command(),
              TIME.format(r.endedAt()),
              r.millis().map(PipelineReport::seconds).orElse("-"),
              r.outcome().name().toLowerCase(Locale.ROOT),
              r.detail(),
              r.runId()));
    }
    sb.append("\nSTREAM  ").append(lag(stream, checkedAt)).append('\n');
    sb.append("CDC     ").append(lag(cdc, checkedAt)).append('\n');
    sb.append("\nQUALITY ");
    List<Check> lastChecks = lastChecks();
    if (lastChecks.isEmpty()) {
      sb.append("no expectation results yet\n");
    } else {
      List<Check> failed = lastChecks.stream().filter(c -> c.rowsFailed() > 0).toList();
      sb.append("last Silver run ")
          .append(lastChecks.get(0).runId())
          .append(" at ")
          .append(TIME.format(lastChecks.get(0).runAt()))
          .append(": ")
          .append(failed.size())
          .append(" of ")
          .append(lastChecks.size())
          .append(" expectations caught rows\n");
      for (Check c : failed) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  %-28s %-36s %-5s %,d of %,d rows%n",
                c.table(),
                c.expectation(),
                c.action(),
                c.rowsFailed(),
                c.rowsChecked()));
      }
    }
    if (!problems.isEmpty()) {
      sb.append("\nPROBLEMS\n");
      problems.forEach(p -> sb.append("  ").append(p).append('\n'));
    }
    return sb.toString();
  }

  private static String lag(Optional<Lag> lag, Instant now) {
    if (lag.isEmpty()) {
      return "never ran";
    }
    Lag l = lag.get();
    Batch b = l.last();
    long age = Math.max(0, Duration.between(b.committedAt(), now).toSeconds());
    StringBuilder sb = new StringBuilder(l.running() ? "running" : "not running");
    sb.append(": last batch ")
        .append(b.batchId())
        .append(" ")
        .append(age)
        .append(" s ago (")
        .append(b.rowsIn())
        .append(" in, ")
        .append(b.rowsWritten())
        .append(" written)");
    b.lagP50Ms()
        .ifPresent(
            p50 ->
                sb.append(
                    String.format(
                        Locale.ROOT,
                        ", lag p50 %,d ms, max %,d ms",
                        p50,
                        b.lagMaxMs().orElse(p50))));
    return sb.toString();
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  // ---------------------------------------------------------------- JSON

  /** The report as JSON-ready maps (see docs/pipeline.md for the fields). */
  public Map<String, Object> document() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> problems = problems();
    m.put("state", empty() ? "empty" : problems.isEmpty() ? "healthy" : "attention");
    m.put("healthy", problems.isEmpty());
    m.put("lake", lake);
    m.put("checked_at", checkedAt.toString());
    if (empty()) {
      m.put("message", NOTHING_YET);
    }
    m.put("problems", problems);
    List<Map<String, Object>> ds = new ArrayList<>();
    for (DatasetState d : datasets) {
      ds.add(dataset(d));
    }
    m.put("datasets", ds);
    m.put("last_runs", lastRuns().stream().map(PipelineReport::run).toList());
    m.put("stream", stream.map(PipelineReport::lag).orElse(null));
    m.put("cdc", cdc.map(PipelineReport::lag).orElse(null));
    Map<String, Object> quality = new LinkedHashMap<>();
    List<Check> lastChecks = lastChecks();
    quality.put("run_id", lastChecks.isEmpty() ? null : lastChecks.get(0).runId());
    quality.put("checked_at", lastChecks.isEmpty() ? null : lastChecks.get(0).runAt().toString());
    quality.put(
        "failed",
        lastChecks.stream().filter(c -> c.rowsFailed() > 0).map(PipelineReport::check).toList());
    quality.put("checked", lastChecks.size());
    m.put("quality", quality);
    if (detail == PipelineStatus.Detail.FULL) {
      m.put("runs", runs.stream().map(PipelineReport::run).toList());
      m.put("quality_history", checks.stream().map(PipelineReport::check).toList());
    }
    return m;
  }

  private Map<String, Object> dataset(DatasetState d) {
    Map<String, Object> m = new LinkedHashMap<>();
    DatasetSpec s = d.spec();
    m.put("name", s.name());
    m.put("layer", s.layer());
    m.put("kind", s.kind().label());
    m.put("mode", s.mode().label());
    m.put("flow", s.flow());
    m.put("inputs", s.inputs());
    m.put("description", s.description());
    m.put("state", d.state().name().toLowerCase(Locale.ROOT));
    m.put("version", d.version());
    m.put("rows", d.rows());
    m.put("stale_reason", d.stale().orElse(null));
    m.put("input_versions", new TreeMap<>(d.inputs()));
    m.put(
        "last_refresh",
        d.last()
            .map(
                r -> {
                  Map<String, Object> lr = new LinkedHashMap<>();
                  lr.put("run_id", r.runId());
                  lr.put("at", r.refreshedAt().toString());
                  lr.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
                  lr.put("millis", r.millis());
                  lr.put("version", r.version());
                  lr.put("consumed", new TreeMap<>(r.inputs()));
                  return lr;
                })
            .orElse(null));
    if (detail == PipelineStatus.Detail.FULL) {
      m.put("transform", s.transform());
      m.put("expectations", s.expectations());
      m.put("schema", d.schema());
      m.put("quarantined", d.quarantined());
    }
    return m;
  }

  private static Map<String, Object> run(Run r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", r.command());
    m.put("run_id", r.runId());
    m.put("started_at", r.startedAt().toString());
    m.put("ended_at", r.endedAt().toString());
    m.put("millis", r.millis().orElse(null));
    m.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
    m.put("detail", r.detail());
    return m;
  }

  private static Map<String, Object> lag(Lag l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("running", l.running());
    m.put("last", batch(l.last()));
    m.put("batches", l.points().stream().map(PipelineReport::batch).toList());
    return m;
  }

  private static Map<String, Object> batch(Batch b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batch_id", b.batchId());
    m.put("committed_at", b.committedAt().toString());
    m.put("rows_in", b.rowsIn());
    m.put("rows_written", b.rowsWritten());
    m.put("lag_p50_ms", b.lagP50Ms().orElse(null));
    m.put("lag_max_ms", b.lagMaxMs().orElse(null));
    return m;
  }

  private static Map<String, Object> check(Check c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", c.runId());
    m.put("checked_at", c.runAt().toString());
    m.put("table", c.table());
    m.put("expectation", c.expectation());
    m.put("action", c.action());
    m.put("rows_checked", c.rowsChecked());
    m.put("rows_failed", c.rowsFailed());
    return m;
  }
}
