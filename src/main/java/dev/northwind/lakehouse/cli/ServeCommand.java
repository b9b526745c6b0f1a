package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.dashboard.DashboardData;
import dev.northwind.lakehouse.dashboard.DashboardServer;
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
      "The page polls the data every 5 seconds: new Gold runs appear without reloading."
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
          "Address to bind (dashboard.host, default 127.0.0.1). The dashboard has no login: bind other addresses only on trusted networks.")
  String host;

  @Override
  int run(Context ctx) throws Exception {
    String h = host != null ? host : ctx.config().dashboard().host();
    int p = port != null ? port : ctx.config().dashboard().port();
    if (p < 0 || p > 65535) {
      throw LakehouseErrors.invalidConfig(
          List.of("--port must be between 0 and 65535, got " + p + "."));
    }
    DashboardData data = new DashboardData(ctx.spark(), ctx.lake());
    ctx.progress().report("Reading the Gold tables of " + ctx.lake().root() + " ...");
    if (!data.snapshot().ready()) {
      ctx.progress()
          .report(DashboardData.EMPTY_MESSAGE + " (the page will show the data once Gold exists).");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    try (DashboardServer server = DashboardServer.start(data, h, p, ctx.progress())) {
      if (!InetAddress.getByName(h).isLoopbackAddress()) {
        ctx.progress()
            .report(
                "warning: the dashboard is bound to "
                    + h
                    + " and has no login; anyone who can reach it can read it.");
      }
      ctx.progress().report("Dashboard: " + server.url() + "  (Ctrl-C to stop)");
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
