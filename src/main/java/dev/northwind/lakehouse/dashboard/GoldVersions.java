package dev.northwind.lakehouse.dashboard;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The latest Delta version of each table, read from the file names in its {@code _delta_log}
 * (a listing, not a Spark job, so the dashboard can poll cheaply).
 */
final class GoldVersions {

  private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");

  private GoldVersions() {}

  /** e.g. {@code kpi_summary=3,revenue_by_country=-1}; -1 = the table does not exist. */
  static String fingerprint(SparkSession spark, Lake lake, List<TableId> tables) {
    StringJoiner j = new StringJoiner(",");
    for (TableId t : tables) {
      j.add(t.name() + "=" + version(spark, lake, t));
    }
    return j.toString();
  }

  static long version(SparkSession spark, Lake lake, TableId table) {
    Path log = new Path(lake.location(table) + "/_delta_log");
    try {
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      long latest = -1;
      for (FileStatus st : fs.listStatus(log)) {
        Matcher m = COMMIT.matcher(st.getPath().getName());
        if (m.matches()) {
          latest = Math.max(latest, Long.parseLong(m.group(1)));
        }
      }
      return latest;
    } catch (FileNotFoundException e) {
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
