package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.stream.OrderEvent;
import dev.northwind.lakehouse.stream.OrderEventProducer;
import dev.northwind.lakehouse.stream.OrderEvents;
import dev.northwind.lakehouse.stream.StreamJob;
import java.util.List;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Sends realistic new orders to the order-event topic. */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
      "Send realistic new orders (existing customers, employees, shippers, products) to the order-event topic.",
      "Order ids continue after the highest in the source, in bronze.order_events and on the topic; order dates are the source's latest order date + 0..1 day."
    })
final class ProduceCommand extends JobCommand {

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Orders to send (default ${DEFAULT-VALUE}).")
  int count = 50;

  @Option(
      names = "--rate",
      paramLabel = "N",
      description = "Events per second; 0 = as fast as possible (default).")
  double rate = 0;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Random seed, for a reproducible set of orders (default: random).")
  Long seed;

  @Override
  int run(Context ctx) {
    if (count < 1) {
      throw LakehouseErrors.badProduceArgument("--count", count, "is at least 1");
    }
    if (rate < 0 || Double.isNaN(rate)) {
      throw LakehouseErrors.badProduceArgument(
          "--rate", rate, "is 0 (as fast as possible) or a positive number of events per second");
    }
    long s = seed != null ? seed : OrderEvents.randomSeed();
    String topic = ctx.config().kafka().topic();
    // Starting Spark costs seconds: only when the events table is there (looked up without Spark).
    OptionalInt bronzeMax =
        ctx.lake().exists(SparkSessions.hadoop(ctx.config()), StreamJob.ORDER_EVENTS)
            ? OrderEventProducer.bronzeMaxOrderId(ctx.spark(), ctx.lake())
            : OptionalInt.empty();
    long t0 = System.nanoTime();
    try (OrderEventProducer producer = new OrderEventProducer(ctx.kafkaBootstrap(), topic)) {
      List<OrderEvent> sent =
          producer.produce(ctx.source(), bronzeMax, count, rate, s, ctx.progress());
      double secs = (System.nanoTime() - t0) / 1e9;
      ctx.progress()
          .report(
              String.format(
                  "Sent %d order events to %s in %.1f s (%.0f events/s).",
                  sent.size(), topic, secs, sent.size() / Math.max(secs, 1e-3)));
    }
    return 0;
  }
}
