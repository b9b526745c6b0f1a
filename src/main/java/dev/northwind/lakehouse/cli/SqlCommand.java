package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.LakehouseErrors;
import java.io.PrintStream;
import java.util.Iterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs Spark SQL over the lake's tables, addressed as layer.table. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run Spark SQL over the lake's tables, named layer.table (e.g. gold.revenue_by_country).",
      "Time travel: SELECT * FROM bronze.orders VERSION AS OF 0."
    })
final class SqlCommand extends DataCommand {

  /** Output formats. */
  enum Format {
    table,
    csv,
    json
  }

  @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL query.")
  String query;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "table (default), csv or json (one object per line).")
  Format format = Format.table;

  @Option(
      names = "--max-rows",
      paramLabel = "N",
      description = "Most rows printed as a table (default ${DEFAULT-VALUE}).")
  int maxRows = 1000;

  @Override
  int run(Context ctx) {
    SparkSession spark = ctx.spark();
    ctx.lake().registerReferenced(spark, query);
    Dataset<Row> result;
    try {
      result = spark.sql(query);
    } catch (Exception e) {
      // Spark's AnalysisException and ParseException are the user's query, not a job failure.
      if (e instanceof org.apache.spark.sql.AnalysisException) {
        throw LakehouseErrors.badQuery(query, e);
      }
      throw e;
    }
    PrintStream out = System.out;
    switch (format) {
      case table -> result.show(maxRows, false);
      case csv -> {
        out.println(String.join(",", result.columns()));
        for (Iterator<Row> it = result.toLocalIterator(); it.hasNext(); ) {
          Row r = it.next();
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < r.length(); i++) {
            if (i > 0) {
              sb.append(',');
            }
            sb.append(csv(r.get(i)));
          }
          out.println(sb);
        }
      }
      case json -> {
        for (Iterator<String> it = result.toJSON().toLocalIterator(); it.hasNext(); ) {
          out.println(it.next());
        }
      }
    }
    return 0;
  }

  private static String csv(Object v) {
    if (v == null) {
      return "";
    }
    String s =
        v instanceof byte[] b ? java.util.Base64.getEncoder().encodeToString(b) : v.toString();
    return s.contains(",") || s.contains("\"") || s.contains("\n")
        ? '"' + s.replace("\"", "\"\"") + '"'
        : s;
  }
}
