package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.RunIds;
import dev.northwind.lakehouse.pipeline.StreamRefresh;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.stream.SilverSink;
import dev.northwind.lakehouse.stream.StreamJob;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Streams order events from Kafka into Bronze. */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = {
      "Stream order events from Kafka into bronze.order_events (bad messages into bronze.order_events_dead_letter), exactly once.",
      "Each micro-batch is merged into Silver, then Gold is refreshed through the pipeline graph (in the background).",
      "Runs until Ctrl-C, or with --until-idle processes what is on the topic and exits."
    })
final class StreamCommand extends JobCommand {

  @Option(
      names = "--until-idle",
      description = "Process every event available now, then exit (Trigger.AvailableNow).")
  boolean untilIdle;

  @Override
  int run(Context ctx) {
    // Before Spark starts: an unreachable broker is reported in seconds, not after a session start.
    StreamJob.checkBrokerReachable(ctx.kafkaBootstrap());
    Lake lake = ctx.lake();
    StreamRefresh gold = goldAfterEachBatch(ctx);
    StreamJob job = streamJob(ctx, gold::merged);
    try {
      if (untilIdle) {
        job.runUntilIdle();
      } else {
        job.runUntilStopped();
      }
    } catch (RuntimeException e) {
      // A failed stream (Kafka lost) exits after the refresh in progress, not one more.
      gold.dropPending();
      throw e;
    }
    return 0;
  }

  /** The stream job over the configured topic, merging into Silver, then {@code afterMerge}. */
  static StreamJob streamJob(Context ctx, Consumer<SilverSink.Batch> afterMerge) {
    Lake lake = ctx.lake();
    return new StreamJob(
            ctx.spark(),
            lake,
            ctx.kafkaBootstrap(),
            ctx.config().kafka().topic(),
            ctx.config().stream(),
            ctx.progress())
        .withSilver(silverSink(lake, ctx.config().stream(), ctx.progress(), afterMerge));
  }

  /**
   * The stream's Silver merge (SilverJob's), under the stream's policy of when it may run, then
   * {@code afterMerge} (the Gold refresh) once the batch's merge committed.
   */
  static SilverSink silverSink(
      Lake lake,
      LakehouseConfig.Stream settings,
      Progress progress,
      Consumer<SilverSink.Batch> afterMerge) {
    return SilverSink.when(
        settings.silver(),
        lake,
        SilverJob.STREAM_LOOKUPS,
        new SilverSink() {
          @Override
          public void merge(
              SparkSession spark, Dataset<Row> orders, Dataset<Row> lines, String id) {
            merge(spark, new SilverSink.Batch(orders, lines, id, -1, -1));
          }

          @Override
          public void merge(SparkSession spark, SilverSink.Batch batch) {
            SilverJob.mergeStreamBatch(spark, lake, batch.orders(), batch.lines(), batch.runId());
            afterMerge.accept(batch);
          }
        },
        progress);
  }

  /**
   * Gold, refreshed through the pipeline graph after each micro-batch that merged into Silver, on
   * its own thread; the command waits for the last refresh before it ends.
   */
  static StreamRefresh goldAfterEachBatch(Context ctx) {
    // Spark first: the context closes in reverse order, so the refresh in flight finishes before
    // Spark stops (stopping Spark under it left the stream hanging or printing stack traces).
    ctx.spark();
    return ctx.closeLater(
        new StreamRefresh(Pipeline.runner(ctx), "gold.*", RunIds::next, ctx.progress()));
  }
}
