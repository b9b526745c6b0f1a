package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.bronze.BronzeJob;
import dev.northwind.lakehouse.bronze.BronzeOptions;
import dev.northwind.lakehouse.bronze.BronzeReport;
import dev.northwind.lakehouse.source.JdbcSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Ingests the source database's tables into Bronze. */
@Command(
    name = "bronze",
    mixinStandardHelpOptions = true,
    description = {
      "Ingest the source PostgreSQL tables into Bronze Delta tables (bronze.<table>) with lineage columns.",
      "Full tables are replaced by a consistent snapshot; bronze.incremental tables get only rows above their watermark.",
      "Every run is recorded in bronze._runs. Exit code 1 when any table failed (the others are still ingested)."
    })
final class BronzeCommand extends JobCommand {

  @Option(
      names = "--tables",
      split = ",",
      paramLabel = "TABLE[,TABLE...]",
      description = "Only these source tables (default: every base table of source.schema).")
  List<String> tables = new ArrayList<>();

  @Override
  int run(Context ctx) throws SQLException {
    JdbcSource source = ctx.source();
    // Fail in milliseconds on an unreachable source, before paying seconds for Spark.
    try (Connection probe = source.connect()) {
      probe.isValid(5);
    }
    if (tables.isEmpty()) {
      Pipeline.bronze(ctx);
    } else {
      // A table the source lacks is a usage error named by the Bronze job itself.
      BronzeReport report =
          BronzeJob.run(
              ctx.spark(),
              ctx.lake(),
              source,
              BronzeOptions.from(ctx.config(), tables),
              ctx.progress());
      ctx.progress().report(report.summary());
      report.requireAllSucceeded(source.system());
    }
    return LakehouseCli.OK;
  }
}
