package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.dashboard.DashboardData;
import dev.northwind.lakehouse.dashboard.DashboardExport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes the dashboard as one self-contained HTML file. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description =
        "Write the dashboard as one self-contained HTML file (charts, styles and the current Gold data "
            + "embedded): it opens from disk with no server and no network.")
final class DashboardCommand extends JobCommand {

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Folder to write " + DashboardExport.FILE_NAME + " into (default: the current folder).")
  Path out = Path.of(".");

  @Override
  int run(Context ctx) {
    DashboardData data = new DashboardData(ctx.spark(), ctx.lake());
    ctx.progress().report("Reading the Gold tables of " + ctx.lake().root() + " ...");
    if (!data.snapshot().ready()) {
      ctx.progress()
          .report("warning: " + DashboardData.EMPTY_MESSAGE + "; the file shows that message.");
    }
    Path file = DashboardExport.export(data, out);
    System.out.println(file.toAbsolutePath().normalize());
    return 0;
  }
}
