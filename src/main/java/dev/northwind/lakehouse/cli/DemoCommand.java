package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.services.Mode;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.source.LoadReport;
import dev.northwind.lakehouse.source.NorthwindLoader;
import java.sql.Connection;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The one-command demo: everything embedded, stage by stage, with timings. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the whole lakehouse embedded: start PostgreSQL and Kafka, load Northwind (generator scale 1 or --northwind-sql),",
        "and print what was loaded. A second run reuses what exists; --fresh starts clean."})
final class DemoCommand extends JobCommand {

  @Mixin SourceOptions what = new SourceOptions();

  @Option(names = "--fresh", description = "Start clean: wipe the embedded services' data and reload the source.")
  boolean fresh;

  @Override
  Mode servicesMode() {
    return fresh ? Mode.FRESH : Mode.REUSE;
  }

  @Override
  int run(Context ctx) {
    what.validate();
    Progress out = ctx.progress();
    Stages stages = new Stages(out);
    long start = System.nanoTime();

    JdbcSource source = stages.run("services", () -> {
      JdbcSource s = ctx.source();
      ctx.kafkaBootstrap();
      return s;
    });
    Map<String, Long> rows = stages.run("load source", () -> loadSource(ctx, source));
    out.report("");
    out.report("Source " + source.url() + ":");
    rows.forEach((t, n) -> out.report(String.format("  %-24s %,10d rows", t, n)));
    out.report("");
    out.report(String.format("Demo finished in %.1f s.", (System.nanoTime() - start) / 1e9));
    return 0;
  }

  private Map<String, Long> loadSource(Context ctx, JdbcSource source) {
    try (Connection c = source.connect()) {
      Map<String, Long> existing = NorthwindLoader.counts(c);
      if (existing.values().stream().mapToLong(Long::longValue).sum() > 0) {
        ctx.progress().report("  source already loaded: reusing it (--fresh starts clean)");
        return existing;
      }
      LoadReport report = what.load(c, ExistingData.REPLACE);
      ctx.progress().report("  loaded " + what.description());
      return report.rows();
    } catch (java.sql.SQLException e) {
      throw dev.northwind.lakehouse.LakehouseErrors.sourceUnreachable(source.url(), e);
    }
  }
}
