package dev.northwind.lakehouse.cli;

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
    StreamJob job = new StreamJob(ctx.spark(), ctx.lake(), ctx.kafkaBootstrap(), ctx.config().kafka().topic(),
        ctx.config().stream(), ctx.progress());
    if (untilIdle) {
      job.runUntilIdle();
    } else {
      job.runUntilStopped();
    }
    return 0;
  }
}
