package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.services.Mode;
import dev.northwind.lakehouse.services.Services;
import dev.northwind.lakehouse.source.JdbcSource;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the embedded PostgreSQL and Kafka and keeps them up until Ctrl-C. */
@Command(
    name = "services",
    mixinStandardHelpOptions = true,
    description = {
      "Start the embedded PostgreSQL and Kafka broker, print their addresses, and keep them running until Ctrl-C.",
      "Other lakehouse commands on the same lake use them while they run."
    })
final class ServicesCommand extends JobCommand {

  @Option(names = "--fresh", description = "Wipe the embedded services' data first.")
  boolean fresh;

  @Option(
      names = "--pg-port",
      paramLabel = "PORT",
      description = "Port for PostgreSQL (services.postgres.port; default any free port).")
  Integer pgPort;

  @Option(
      names = "--kafka-port",
      paramLabel = "PORT",
      description = "Port for Kafka (services.kafka.port; default any free port).")
  Integer kafkaPort;

  @Override
  java.util.Map<String, String> extraFlags() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    if (pgPort != null) {
      m.put("services.postgres.port", pgPort.toString());
    }
    if (kafkaPort != null) {
      m.put("services.kafka.port", kafkaPort.toString());
    }
    return m;
  }

  @Override
  Mode servicesMode() {
    return fresh ? Mode.FRESH : Mode.REUSE;
  }

  @Override
  int run(Context ctx) throws InterruptedException {
    long t0 = System.nanoTime();
    Services services = ctx.services();
    JdbcSource source = services.source();
    String kafka = services.kafkaBootstrap();
    if (!services.embeddedHere()) {
      ctx.progress()
          .report("Nothing to start: external (or already running) services are configured.");
      ctx.progress().report("PostgreSQL  " + source.url());
      ctx.progress().report("Kafka       " + kafka);
      return 0;
    }
    services.advertise();
    ctx.progress()
        .report(
            String.format(
                "Services up in %.1f s (data in %s)",
                (System.nanoTime() - t0) / 1e9, ctx.config().servicesDir()));
    ctx.progress().report("PostgreSQL  " + source.url() + "  (user " + source.user() + ")");
    ctx.progress()
        .report("Kafka       " + kafka + "  (topic " + ctx.config().kafka().topic() + ")");
    ctx.progress().report("Press Ctrl-C to stop.");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  services.close();
                  stop.countDown();
                }));
    stop.await();
    return 0;
  }
}
