package dev.northwind.lakehouse.bronze;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The few facts about a Delta table's log the Bronze job needs, and how to undo a commit. */
final class DeltaCommits {

  /** The latest commit: its version and, when Delta recorded it, numOutputRows. */
  record Commit(long version, String operation, OptionalLong outputRows) {}

  private DeltaCommits() {}

  /** The table's latest version, or {@link Reconciliation#NO_TABLE} when there is no Delta table. */
  static long version(SparkSession spark, String location) {
    return DeltaTable.isDeltaTable(spark, location) ? last(spark, location).version() : Reconciliation.NO_TABLE;
  }

  /** The latest commit of an existing table (a one-row read of its history). */
  static Commit last(SparkSession spark, String location) {
    Row r = DeltaTable.forPath(spark, location).history(1)
        .select("version", "operation", "operationMetrics").first();
    Map<String, String> metrics = r.isNullAt(2) ? Map.of() : r.getJavaMap(2);
    String rows = metrics.get("numOutputRows");
    return new Commit(r.getLong(0), r.getString(1), rows == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(rows)));
  }

  /** Puts the table back to a version (a new commit whose content is that version's). */
  static void restore(SparkSession spark, String location, long version) {
    DeltaTable.forPath(spark, location).restoreToVersion(version);
  }

  /** Deletes a table this run created. */
  static void delete(SparkSession spark, String location) {
    try {
      Path p = new Path(location);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(p, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
