package dev.northwind.lakehouse.bronze;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import io.delta.tables.DeltaTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Shared steps of the Bronze tests: SQL on the source, and what Bronze holds. */
final class BronzeSteps {

  private BronzeSteps() {}

  static long scalar(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void exec(Connection c, String... sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  /** {@code SELECT count(*)} of every base table of public. */
  static Map<String, Long> sourceCounts(Connection c) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    List<String> names = new java.util.ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    for (String n : names) {
      out.put(n, scalar(c, "SELECT count(*) FROM \"" + n + "\""));
    }
    return out;
  }

  static Map<String, Long> bronzeCounts(SparkSession spark, Lake lake, Iterable<String> tables) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String t : tables) {
      out.put(t, lake.read(spark, TableId.bronze(t)).count());
    }
    return out;
  }

  static long version(SparkSession spark, Lake lake, String table) {
    return DeltaTable.forPath(spark, lake.location(TableId.bronze(table)))
        .history(1)
        .select("version")
        .first()
        .getLong(0);
  }

  static Dataset<Row> runs(SparkSession spark, Lake lake, String runId) {
    return lake.read(spark, TableId.bronze("_runs")).filter("run_id = '" + runId + "'");
  }
}
