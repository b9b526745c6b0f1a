package dev.northwind.lakehouse.pipeline;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.Threads;
import dev.northwind.lakehouse.silver.SilverDatasets;
import dev.northwind.lakehouse.stream.SilverSink;
import dev.northwind.lakehouse.stream.StreamJob;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Refreshes what depends on the stream's Silver merge (Gold) after each micro-batch, so a streamed
 * order reaches the dashboard without anyone running `lakehouse gold`. The refresh runs on its own
 * thread, so the stream's next micro-batch is not held up; requests that arrive while a refresh
 * runs are coalesced into one more refresh. A failed refresh is reported and retried with the next
 * batch: Gold is derived, so the stream's own guarantees never depend on it.
 */
public final class StreamRefresh implements AutoCloseable {

  private final PipelineRunner runner;
  private final List<String> selected;
  private final Function<String, String> runIds;
  private final Progress progress;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final ThreadPoolExecutor worker =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new LinkedBlockingQueue<>(),
          Threads.daemons("stream-refresh"));

  /**
   * @param selector the datasets to refresh after each batch, e.g. {@code gold.*}
   * @param runIds the run id of each refresh, by flow
   */
  public StreamRefresh(
      PipelineRunner runner, String selector, Function<String, String> runIds, Progress progress) {
    this.runner = runner;
    this.selected = runner.graph().select(selector);
    this.runIds = runIds;
    this.progress = progress;
    // The worker thread starts now, on the caller's thread, not lazily inside the stream's first
    // micro-batch: Spark's local properties are inherited by new threads, so a worker born in a
    // micro-batch carries the streaming query's job group, and stopping the query (Kafka lost,
    // Ctrl-C) cancelled the Gold refresh in flight and left the stream hanging at exit.
    worker.prestartAllCoreThreads();
  }

  /**
   * After a micro-batch merged into Silver: records that Silver consumed the events the batch
   * appended ({@link PipelineRunner#advance}), so the next run does not redo Silver, then asks for
   * the Gold refresh.
   */
  public void merged(SilverSink.Batch batch) {
    record(runner, progress, batch);
    request();
  }

  /**
   * Records each micro-batch's Silver merge as {@link #merged} does, without refreshing anything
   * after it: for a stream run to its end before the graph is refreshed (the demo).
   */
  public static Consumer<SilverSink.Batch> recorder(PipelineRunner runner, Progress progress) {
    return batch -> record(runner, progress, batch);
  }

  private static void record(PipelineRunner runner, Progress progress, SilverSink.Batch batch) {
    try {
      runner.advance(
          SilverDatasets.FLOW,
          StreamJob.ORDER_EVENTS.qualified(),
          batch.eventsBefore(),
          batch.eventsAfter(),
          batch.runId());
    } catch (RuntimeException e) {
      // Not recorded: Silver merely looks stale, and the next run merges again (idempotent).
      progress.report(
          "recording the stream's Silver merge failed (Silver is merged again by the next run): "
              + LakehouseErrors.firstLine(e));
    }
  }

  /** Asks for a refresh after a micro-batch committed; returns at once. */
  public void request() {
    if (pending.compareAndSet(false, true)) {
      worker.execute(this::refresh);
    }
  }

  private void refresh() {
    pending.set(false);
    try {
      runner.run(selected, RefreshMode.INCREMENTAL, runIds);
    } catch (RuntimeException e) {
      progress.report(
          "refresh after the stream's batch failed (retried with the next batch): "
              + LakehouseErrors.firstLine(e));
    }
  }

  /**
   * Forgets a refresh asked for and not started: for a stream that failed (Kafka lost), whose exit
   * should wait only for the refresh in progress. Gold is derived; the next run refreshes it.
   */
  public void dropPending() {
    worker.getQueue().clear();
    pending.set(false);
  }

  /** Waits for the refresh in progress and the one asked for after it, then stops. */
  @Override
  public void close() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(10, TimeUnit.MINUTES)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.shutdownNow();
    }
  }
}
