package dev.northwind.lakehouse.gold;

import dev.northwind.lakehouse.Resources;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The Gold queries, kept as named resources {@code sql/gold/<name>.sql} on the classpath. */
final class GoldSql {

  private GoldSql() {}

  /** The text of {@code sql/gold/<name>.sql}. */
  static String text(String name) {
    return Resources.sql("gold", name);
  }

  /** Runs the named query (analysed now, so it no longer depends on the temp views afterwards). */
  static Dataset<Row> run(SparkSession spark, String name) {
    return spark.sql(text(name));
  }
}
