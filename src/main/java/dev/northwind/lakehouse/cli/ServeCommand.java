package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.dashboard.DashboardData;
import dev.northwind.lakehouse.dashboard.DashboardFeed;
import dev.northwind.lakehouse.dashboard.DashboardServer;
import dev.northwind.lakehouse.status.PipelineStatus;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serves the dashboard over HTTP until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the dashboard (Gold tables) over HTTP until Ctrl-C.",
      "The page polls the data every 5 seconds: new Gold runs appear without reloading.",
      "It listens at once and shows a loading state until the first read; /pipeline shows the pipeline's state."
    })
final class ServeCommand extends JobCommand {

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port (dashboard.port; 0 = any free port).")
  Integer port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description =
          "Address to bind (dashboard.host, default 127.0.0.1). Any other address needs an access token: set LAKEHOUSE_DASHBOARD_TOKEN (or dashboard.token in the config file).")
  String host;

  @Override
  int run(Context ctx) throws Exception {
    String h = host != null ? host : ctx.config().dashboard().host();
    int p = port != null ? port : ctx.config().dashboard().port();
    if (p < 0 || p > 65535) {
      throw LakehouseErrors.invalidConfig(
          List.of("--port must be between 0 and 65535, got " + p + "."));
    }
    String token = ctx.config().dashboard().token();
    // Listen first: Spark starts on the feed's threads, the page says "loading" meanwhile.
    DashboardFeed feed =
        DashboardFeed.background(
            () -> {
              ctx.progress().report("Reading the Gold tables of " + ctx.lake().root() + " ...");
              return new DashboardData(ctx.spark(), ctx.lake());
            },
            () -> new PipelineStatus(ctx.config(), ctx.lake(), ctx::spark),
            ctx.progress());
    CountDownLatch stopped = new CountDownLatch(1);
    try (DashboardServer server = DashboardServer.start(feed, h, p, token, ctx.progress())) {
      if (!InetAddress.getByName(h).isLoopbackAddress()) {
        ctx.progress()
            .report(
                "The dashboard is bound to "
                    + h
                    + ": every request needs the access token (dashboard.token); open "
                    + server.url()
                    + "?token=<the token>");
      }
      ctx.progress()
          .report(
              "Dashboard: "
                  + server.url()
                  + "  (pipeline: "
                  + server.url()
                  + "pipeline; Ctrl-C to stop)");
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    stopped.countDown();
                  },
                  "dashboard-shutdown"));
      stopped.await();
    }
    return 0;
  }
}
