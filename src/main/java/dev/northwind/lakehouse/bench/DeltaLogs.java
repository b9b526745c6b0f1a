package dev.northwind.lakehouse.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

/** Counts Delta commits (the {@code _delta_log/*.json} files) under a lake folder, on any Hadoop file system. */
final class DeltaLogs {

  private DeltaLogs() {}

  static long commits(SparkSession spark, String folder) {
    try {
      Path root = new Path(folder);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        return 0;
      }
      long n = 0;
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        Path p = it.next().getPath();
        if (p.getParent().getName().equals("_delta_log") && p.getName().matches("\\d{20}\\.json")) {
          n++;
        }
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a folder recursively (a fresh lake per bench run). */
  static void delete(SparkSession spark, String folder) {
    try {
      Path root = new Path(folder);
      root.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(root, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
