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

  /** The stream's Silver merge (SilverJob's), under the stream's policy of when it may run. */
  static SilverSink silverSink(Lake lake, LakehouseConfig.Stream settings, Progress progress) {
    return SilverSink.when(settings.silver(), lake, SilverJob.STREAM_LOOKUPS,
        (spark, orders, lines, runId) -> SilverJob.mergeStreamOrders(spark, lake, orders, lines, runId), progress);
  }
}
