package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.stream.SilverSink;
import dev.northwind.lakehouse.stream.StreamJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Streams order events from Kafka into Bronze. */
@Command(name = "stream", mixinStandardHelpOptions = true,
    description = {"Stream order events from Kafka into bronze.order_events (bad messages into bronze.order_events_dead_letter), exactly once.",
        "Runs until Ctrl-C, or with --until-idle processes what is on the topic and exits."})
final class StreamCommand extends JobCommand {

  @Option(names = "--until-idle", description = "Process every event available now, then exit (Trigger.AvailableNow).")
  boolean untilIdle;

  @Override
  int run(Context ctx) {
    // Before Spark starts: an unreachable broker is reported in seconds, not after a session start.
    StreamJob.checkBrokerReachable(ctx.kafkaBootstrap());
    Lake lake = ctx.lake();
    StreamJob job = new StreamJob(ctx.spark(), lake, ctx.kafkaBootstrap(), ctx.config().kafka().topic(),
        ctx.config().stream(), ctx.progress()).withSilver(silverSink(lake, ctx.config().stream(), ctx.progress()));
    if (untilIdle) {
      job.runUntilIdle();
    } else {
      job.runUntilStopped();
    }
    return 0;
  }

  /**
   * Merges each micro-batch into Silver once Silver exists (its dimensions are the lookups);
   * before that, or with {@code stream.silver=off}, events wait in Bronze and the next
   * `lakehouse silver` merges them.
   */
  static SilverSink silverSink(Lake lake, LakehouseConfig.Stream settings, Progress progress) {
    if (settings.silver() == LakehouseConfig.StreamSilver.OFF) {
      progress.report("stream: stream.silver=off; events go to Bronze only, `lakehouse silver` merges them into Silver");
      return SilverSink.NONE;
    }
    boolean[] warned = {false};
    return (spark, orders, lines, runId) -> {
      if (lake.exists(spark, SilverJob.DIM_CUSTOMER) && lake.exists(spark, SilverJob.DIM_PRODUCT)) {
        SilverJob.mergeStreamOrders(spark, lake, orders, lines, runId);
      } else if (!warned[0]) {
        warned[0] = true;
        progress.report("stream: Silver does not exist yet; events stay in Bronze until `lakehouse silver` runs");
      }
    };
  }
}
