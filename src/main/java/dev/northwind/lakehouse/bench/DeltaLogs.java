package dev.northwind.lakehouse.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Counts Delta commits (the {@code _delta_log/*.json} files) under a lake folder, on any Hadoop file system. */
final class DeltaLogs {

  private DeltaLogs() {}

  /**
   * Commits of the tables at {@code <folder>/<layer>/<table>} and {@code <folder>/<run>/<layer>/<table>}.
   * Only those {@code _delta_log} folders are listed, each on its own: a recursive listing would
   * race a running stream (its checkpoint and temporary files come and go while listed).
   */
  static long commits(SparkSession spark, String folder) {
    try {
      Path root = new Path(folder);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return commitsUnder(fs, root, 3);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long commitsUnder(FileSystem fs, Path dir, int depth) throws IOException {
    FileStatus[] children;
    try {
      children = fs.listStatus(dir);
    } catch (java.io.FileNotFoundException gone) {
      return 0;
    }
    long n = 0;
    for (FileStatus c : children) {
      if (!c.isDirectory()) {
        continue;
      }
      if (c.getPath().getName().equals("_delta_log")) {
        try {
          n += fs.listStatus(c.getPath(), p -> p.getName().matches("\\d{20}\\.json")).length;
        } catch (java.io.FileNotFoundException gone) {
          // Deleted while listed.
        }
      } else if (depth > 0) {
        n += commitsUnder(fs, c.getPath(), depth - 1);
      }
    }
    return n;
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
