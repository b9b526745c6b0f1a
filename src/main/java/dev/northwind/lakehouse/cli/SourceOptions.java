package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.LoadReport;
import dev.northwind.lakehouse.source.NorthwindGenerator;
import dev.northwind.lakehouse.source.NorthwindLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import picocli.CommandLine.Option;

/** What to load into the source: the classic dump, or the generator at a scale. */
final class SourceOptions {

  @Option(
      names = "--northwind-sql",
      paramLabel = "FILE",
      description =
          "Load the classic Northwind dump (e.g. ../shared/data/northwind/northwind.sql) instead of generated data.")
  Path northwindSql;

  @Option(
      names = "--scale",
      paramLabel = "N",
      description =
          "Generator scale factor: 1 = the real Northwind row counts (default ${DEFAULT-VALUE}).")
  int scale = 1;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Generator seed; the same seed gives the same data (default ${DEFAULT-VALUE}).")
  long seed = NorthwindGenerator.DEFAULT_SEED;

  /** Checks the flags before any service starts, so a typo costs nothing. */
  void validate() {
    if (northwindSql != null && !Files.isRegularFile(northwindSql)) {
      throw LakehouseErrors.fileNotFound("Northwind dump", northwindSql, "--northwind-sql");
    }
    if (scale < 1) {
      throw LakehouseErrors.invalidScale(scale);
    }
  }

  String description() {
    return northwindSql != null
        ? NorthwindLoader.DUMP_DESCRIPTION + " (" + northwindSql + ")"
        : NorthwindGenerator.description(scale, seed);
  }

  LoadReport load(Connection c, ExistingData existing) {
    return northwindSql != null
        ? NorthwindLoader.loadDump(c, northwindSql, existing)
        : NorthwindGenerator.generate(c, scale, seed, existing);
  }

  static void print(LoadReport report, dev.northwind.lakehouse.Progress progress) {
    report
        .rows()
        .forEach((table, n) -> progress.report(String.format("  %-24s %,10d rows", table, n)));
    progress.report(String.format("  %-24s %,10d rows", "total", report.total()));
  }

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // Nothing to do: the load already committed or rolled back.
    }
  }
}
