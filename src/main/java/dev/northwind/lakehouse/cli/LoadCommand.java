package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.services.Mode;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.source.LoadReport;
import java.sql.Connection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Loads Northwind data into the source database. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Load Northwind into the source PostgreSQL: the generator (default, --scale N) or the classic dump (--northwind-sql FILE).",
      "A database that already holds Northwind is refused unless --replace is given."
    })
final class LoadCommand extends JobCommand {

  @Mixin SourceOptions what = new SourceOptions();

  @Option(
      names = "--replace",
      description = "Drop the Northwind tables already in the source and load again.")
  boolean replace;

  @Option(
      names = "--fresh",
      description = "Start the embedded PostgreSQL with an empty data folder.")
  boolean fresh;

  @Override
  Mode servicesMode() {
    return fresh ? Mode.FRESH : Mode.REUSE;
  }

  @Override
  int run(Context ctx) {
    what.validate();
    JdbcSource source = ctx.source();
    ctx.progress().report("Loading " + what.description() + " into " + source.url() + " ...");
    Connection c = source.connect();
    try {
      LoadReport report = what.load(c, replace ? ExistingData.REPLACE : ExistingData.REFUSE);
      SourceOptions.print(report, ctx.progress());
      ctx.progress().report(String.format("Loaded in %.1f s.", report.millis() / 1000.0));
    } finally {
      SourceOptions.closeQuietly(c);
    }
    return 0;
  }
}
