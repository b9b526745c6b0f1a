package dev.northwind.lakehouse.dashboard;

import dev.northwind.lakehouse.Json;
import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.Threads;
import dev.northwind.lakehouse.status.PipelineReport;
import dev.northwind.lakehouse.status.PipelineStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the server answers from: the Gold snapshot and the pipeline report, each read by its own
 * background thread and swapped in atomically. A request only reads a reference, so it never waits
 * for Spark: not at start (the server listens at once and answers "loading" until the first read is
 * done), and not while a Gold refresh is being read (the previous snapshot is served until the new
 * one is complete). The JSON of each snapshot is written once, not per request.
 */
public final class DashboardFeed implements AutoCloseable {

  /** Answered while the first read is under way. */
  public static final String LOADING_MESSAGE =
      "Reading the lake (the first read starts Spark; this takes a few seconds)…";

  /** The state of one feed: loading, a value, or the last read's failure. */
  public record State<T>(T value, String failure) {

    static <T> State<T> initial() {
      return new State<>(null, null);
    }

    /** Whether the first read has not finished yet. */
    public boolean loading() {
      return value == null && failure == null;
    }
  }

  /** A Gold snapshot with its JSON written once, and its sections' JSON on first request. */
  public record Gold(DashboardData.Snapshot snapshot, byte[] json, Map<String, byte[]> sections) {

    static Gold of(DashboardData.Snapshot s) {
      return new Gold(s, s.json().getBytes(StandardCharsets.UTF_8), new ConcurrentHashMap<>());
    }

    /** The JSON of a section envelope, written once per snapshot. */
    public byte[] section(String key, Function<DashboardData.Snapshot, Object> body) {
      return sections.computeIfAbsent(
          key, k -> Json.write(body.apply(snapshot)).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A pipeline report with its JSON written once. */
  public record Pipeline(PipelineReport report, byte[] json) {

    static Pipeline of(PipelineReport r) {
      return new Pipeline(r, Json.write(r.document()).getBytes(StandardCharsets.UTF_8));
    }
  }

  private final AtomicReference<State<Gold>> gold = new AtomicReference<>(State.initial());
  private final AtomicReference<State<Pipeline>> pipeline = new AtomicReference<>(State.initial());
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private final List<Thread> readers = new CopyOnWriteArrayList<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Progress log;
  private final boolean hasPipeline;

  private DashboardFeed(Progress log, boolean hasPipeline) {
    this.log = log;
    this.hasPipeline = hasPipeline;
  }

  /**
   * A feed that reads in the background once {@link #start started}: {@code gold} and {@code
   * pipeline} are called on the readers' threads, so whatever they start (Spark) does not delay the
   * server.
   *
   * @param pipeline the pipeline status, or null for a dashboard without the Pipeline page
   */
  public static DashboardFeed background(
      Supplier<DashboardData> gold, Supplier<PipelineStatus> pipeline, Progress log) {
    return new DashboardFeed(log, pipeline != null).reading(gold, pipeline);
  }

  /**
   * A feed whose first Gold snapshot is read now, on the caller's thread (an embedding application
   * or a test that has its data at hand), then kept fresh in the background.
   */
  public static DashboardFeed primed(DashboardData data, Supplier<PipelineStatus> pipeline) {
    DashboardFeed f = new DashboardFeed(Progress.NONE, pipeline != null);
    try {
      f.gold.set(new State<>(Gold.of(data.snapshot()), null));
    } catch (Exception e) {
      f.gold.set(new State<>(null, LakehouseErrors.firstLine(e)));
    }
    return f.reading(() -> data, pipeline);
  }

  /** Adds the readers of Gold and, for a dashboard with the Pipeline page, of the pipeline. */
  private DashboardFeed reading(Supplier<DashboardData> data, Supplier<PipelineStatus> status) {
    loop("dashboard-gold", data, d -> gold.set(new State<>(Gold.of(d.snapshot()), null)), gold);
    if (status != null) {
      loop(
          "dashboard-pipeline",
          status,
          p -> pipeline.set(new State<>(Pipeline.of(p.read(PipelineStatus.Detail.FULL)), null)),
          pipeline);
    }
    return this;
  }

  /** The Gold state now (never blocks). */
  public State<Gold> gold() {
    return gold.get();
  }

  /** The pipeline state now (never blocks); empty when this dashboard has no Pipeline page. */
  public Optional<State<Pipeline>> pipeline() {
    return hasPipeline ? Optional.of(pipeline.get()) : Optional.empty();
  }

  /**
   * Runs {@code read} on a daemon thread every {@link DashboardData#RECHECK}, with the source made
   * on that thread first. A failed read keeps the last good value when there is one (a Gold table
   * mid-rewrite fails one read, the next one succeeds), else records the failure.
   */
  private <S, T> void loop(
      String name,
      Supplier<S> source,
      java.util.function.Consumer<S> read,
      AtomicReference<State<T>> into) {
    Thread t =
        Threads.daemon(
            () -> {
              S s;
              try {
                s = source.get();
              } catch (Exception e) {
                into.set(new State<>(null, LakehouseErrors.firstLine(e)));
                log.report(
                    "dashboard: cannot start reading the lake: " + LakehouseErrors.firstLine(e));
                return;
              }
              while (!closed.get()) {
                try {
                  read.accept(s);
                } catch (Exception e) {
                  State<T> before = into.get();
                  if (before.value() == null) {
                    into.set(new State<>(null, LakehouseErrors.firstLine(e)));
                  }
                  log.report("dashboard: reading the lake failed: " + LakehouseErrors.firstLine(e));
                }
                try {
                  if (stop.await(DashboardData.RECHECK.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                  }
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            name);
    readers.add(t);
  }

  /** Starts the readers (the server does, once it listens); idempotent. */
  public void start() {
    if (started.compareAndSet(false, true)) {
      readers.forEach(Thread::start);
    }
  }

  /** Stops the readers (idempotent); a read in flight finishes on its own. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stop.countDown();
    }
  }
}
