package dev.northwind.lakehouse.bronze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The few facts about a Delta table's log the Bronze job needs, and how to undo a commit.
 * Versions and commit metrics are read from the log files as the Delta protocol defines them
 * ({@code _delta_log/<20-digit version>.json}, whose {@code commitInfo} action carries
 * {@code operationMetrics}): that costs one listing and one small read, where
 * {@code DeltaTable.history()} costs a Spark job per call, i.e. most of a small table's time.
 */
final class DeltaCommits {

  private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A commit: its version and, when Delta recorded it, numOutputRows. */
  record Commit(long version, String operation, OptionalLong outputRows, String userMetadata) {}

  private DeltaCommits() {}

  /** The table's latest version, or {@link Reconciliation#NO_TABLE} when there is no Delta table. */
  static long version(SparkSession spark, String location) {
    try {
      Path log = new Path(location, "_delta_log");
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(log)) {
        return Reconciliation.NO_TABLE;
      }
      long latest = Reconciliation.NO_TABLE;
      for (FileStatus st : fs.listStatus(log)) {
        String name = st.getPath().getName();
        if (COMMIT_FILE.matcher(name).matches()) {
          latest = Math.max(latest, Long.parseLong(name.substring(0, 20)));
        }
      }
      return latest;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The latest commit of an existing table. */
  static Commit last(SparkSession spark, String location) {
    long version = version(spark, location);
    if (version == Reconciliation.NO_TABLE) {
      throw new IllegalStateException("no Delta table at " + location);
    }
    Path file = new Path(new Path(location, "_delta_log"), String.format("%020d.json", version));
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        file.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(file), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode info = JSON.readTree(line).get("commitInfo");
        if (info != null) {
          JsonNode rows = info.path("operationMetrics").get("numOutputRows");
          return new Commit(version, info.path("operation").asText(),
              rows == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(rows.asText())),
              info.path("userMetadata").asText(""));
        }
      }
      return new Commit(version, "", OptionalLong.empty(), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
