package dev.northwind.lakehouse.gold;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The Gold queries, kept as named resources {@code sql/gold/<name>.sql} on the classpath. */
final class GoldSql {

  private GoldSql() {}

  /** The text of {@code sql/gold/<name>.sql}. */
  static String text(String name) {
    String path = "/sql/gold/" + name + ".sql";
    try (InputStream in = GoldSql.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing SQL resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the named query (analysed now, so it no longer depends on the temp views afterwards). */
  static Dataset<Row> run(SparkSession spark, String name) {
    return spark.sql(text(name));
  }
}
