package dev.northwind.lakehouse.lake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northwind.lakehouse.Json;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A Delta table's transaction log, read as the Delta protocol defines it: every commit is a file
 * {@code _delta_log/<20-digit version>.json}, whose {@code commitInfo} action carries the operation
 * and its {@code operationMetrics}. Reading it costs one listing and one small read, where {@code
 * DeltaTable.history()} costs a Spark job; and a listing always sees the log as it is now, where
 * {@code DeltaTable.isDeltaTable} may answer from the process's cached snapshot. Goes through
 * Hadoop's {@link FileSystem}, so it works on file:, s3a: and hdfs: lakes alike.
 */
public final class DeltaLog {

  /** The version of a table that has no commit: there is no Delta table. */
  public static final long NO_TABLE = -1;

  private static final String LOG = "_delta_log";
  private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.json");

  /**
   * A commit.
   *
   * @param operation Delta's name of it (e.g. {@code WRITE}, {@code MERGE}), empty when unrecorded
   * @param metrics its {@code operationMetrics} that are whole numbers (e.g. numOutputRows)
   * @param userMetadata the writer's {@code userMetadata} (Bronze's content fingerprint), empty
   *     when none
   */
  public record Commit(
      long version, String operation, Map<String, Long> metrics, String userMetadata) {

    public Commit {
      metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The rows the commit wrote, when Delta recorded them. */
    public OptionalLong outputRows() {
      Long rows = metrics.get("numOutputRows");
      return rows == null ? OptionalLong.empty() : OptionalLong.of(rows);
    }
  }

  private final FileSystem fs;
  private final Path log;

  private DeltaLog(FileSystem fs, Path log) {
    this.fs = fs;
    this.log = log;
  }

  /**
   * The log of the table at {@code location} (a URI), on the file system the configuration names.
   */
  public static DeltaLog of(Configuration hadoop, String location) {
    Path log = new Path(location, LOG);
    try {
      return new DeltaLog(log.getFileSystem(hadoop), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The latest committed version, or {@link #NO_TABLE} when there is no commit. */
  public long version() {
    long latest = NO_TABLE;
    try {
      for (FileStatus st : fs.listStatus(log)) {
        String name = st.getPath().getName();
        if (COMMIT_FILE.matcher(name).matches()) {
          latest = Math.max(latest, Long.parseLong(name.substring(0, 20)));
        }
      }
      return latest;
    } catch (FileNotFoundException e) {
      return NO_TABLE;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The latest commit, or empty when there is none. */
  public Optional<Commit> lastCommit() {
    long version = version();
    if (version == NO_TABLE) {
      return Optional.empty();
    }
    Path file = new Path(log, String.format("%020d.json", version));
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
      // One action per line; one of them is the commitInfo.
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode info = Json.tree(line).get("commitInfo");
        if (info != null) {
          Map<String, Long> metrics = new LinkedHashMap<>();
          info.path("operationMetrics")
              .fields()
              .forEachRemaining(
                  e -> {
                    String text = e.getValue().asText();
                    if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                      metrics.put(e.getKey(), Long.parseLong(text));
                    }
                  });
          return Optional.of(
              new Commit(
                  version,
                  info.path("operation").asText(),
                  metrics,
                  info.path("userMetadata").asText("")));
        }
      }
      return Optional.of(new Commit(version, "", Map.of(), ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The latest version's size as Delta recorded it in its checksum file ({@code <version>.crc}):
   * the row count summed over the stats of every live file, and the schema. Delta writes the live
   * files into that file for small tables, so this costs one small read instead of a Spark job.
   *
   * @param version the version described
   * @param rows rows in the table at that version
   * @param schema the table's schema as Delta stores it (Spark's StructType JSON)
   */
  public record Summary(long version, long rows, String schema) {}

  /**
   * The latest version's {@link Summary}, or empty when there is no table, or its checksum file is
   * missing or lists no files with row counts (large tables, other writers): then ask Spark.
   */
  public Optional<Summary> summary() {
    long version = version();
    if (version == NO_TABLE) {
      return Optional.empty();
    }
    Path file = new Path(log, String.format("%020d.crc", version));
    try (InputStream in = fs.open(file)) {
      JsonNode crc = Json.tree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      JsonNode files = crc.get("allFiles");
      if (files == null || !files.isArray() || files.size() != crc.path("numFiles").asLong(-1)) {
        return Optional.empty();
      }
      long rows = 0;
      for (JsonNode f : files) {
        JsonNode stats = f.get("stats");
        if (stats == null || !stats.isTextual()) {
          return Optional.empty();
        }
        JsonNode n = Json.tree(stats.asText()).get("numRecords");
        if (n == null || !n.canConvertToLong()) {
          return Optional.empty();
        }
        // A file with a deletion vector holds rows a MERGE or DELETE has since removed.
        rows += n.asLong() - f.path("deletionVector").path("cardinality").asLong(0);
      }
      String schema = crc.path("metadata").path("schemaString").asText("");
      return schema.isEmpty() ? Optional.empty() : Optional.of(new Summary(version, rows, schema));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // A checksum file being written or of another format: Spark answers instead.
      return Optional.empty();
    }
  }

  /**
   * The data files the commits after {@code fromExclusive} up to {@code toInclusive} added, by file
   * name, when those commits only added files (appends: no file removed, so every row they brought
   * is new and no earlier row changed). Empty when any of them removed a file (an overwrite, a
   * MERGE, a compaction) or a commit file cannot be read (e.g. cleaned up): the caller then reads
   * the whole table.
   */
  public Optional<java.util.Set<String>> addedFiles(long fromExclusive, long toInclusive) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (long v = fromExclusive + 1; v <= toInclusive; v++) {
      Path file = new Path(log, String.format("%020d.json", v));
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          JsonNode action = Json.tree(line);
          if (action.has("remove") || action.has("metaData")) {
            return Optional.empty();
          }
          JsonNode add = action.get("add");
          if (add != null) {
            // The path is a relative URI (partition folders, percent-encoded): the name is unique.
            String path = java.net.URI.create(add.path("path").asText()).getPath();
            out.add(path.substring(path.lastIndexOf('/') + 1));
          }
        }
      } catch (FileNotFoundException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Optional.of(out);
  }

  /**
   * Commits of every table under a folder, down to {@code <folder>/<a>/<b>/<table>} (a lake's
   * {@code <layer>/<table>}, or lakes side by side in {@code <run>/<layer>/<table>}). Only those
   * {@code _delta_log} folders are listed, each on its own: a recursive listing would race a
   * running stream (its checkpoint and temporary files come and go while listed).
   */
  public static long commitsUnder(Configuration hadoop, String folder) {
    try {
      Path root = new Path(folder);
      return commitsUnder(root.getFileSystem(hadoop), root, 3);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long commitsUnder(FileSystem fs, Path dir, int depth) throws IOException {
    FileStatus[] children;
    try {
      children = fs.listStatus(dir);
    } catch (FileNotFoundException gone) {
      return 0;
    }
    long n = 0;
    for (FileStatus c : children) {
      if (!c.isDirectory()) {
        continue;
      }
      if (c.getPath().getName().equals(LOG)) {
        try {
          n += fs.listStatus(c.getPath(), p -> COMMIT_FILE.matcher(p.getName()).matches()).length;
        } catch (FileNotFoundException gone) {
          // Deleted while listed.
        }
      } else if (depth > 0) {
        n += commitsUnder(fs, c.getPath(), depth - 1);
      }
    }
    return n;
  }
}
