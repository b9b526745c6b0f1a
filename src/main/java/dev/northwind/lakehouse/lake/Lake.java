package dev.northwind.lakehouse.lake;

import dev.northwind.lakehouse.Folders;
import dev.northwind.lakehouse.LakehouseErrors;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The lake: Delta tables at {@code <root>/<layer>/<table>}. The root is a URI (file:, s3a:, hdfs:),
 * so the same code runs on a laptop and a cluster. There is no metastore: tables are found from the
 * folders, and registered in the session catalog on demand so SQL can name them as {@code
 * layer.table}.
 */
public final class Lake {

  private static final Pattern TABLE_REF =
      Pattern.compile("(?i)(?<![\\w.`])(bronze|silver|gold)\\s*\\.\\s*`?([a-z_][a-z0-9_]*)`?");

  private final URI root;

  public Lake(URI root) {
    String s = root.toString();
    // A trailing slash would give locations with '//' that Delta treats as different tables.
    this.root = s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : root;
  }

  public URI root() {
    return root;
  }

  /** Where a table's files live. */
  public String location(TableId table) {
    return root + "/" + table.layer().id() + "/" + table.name();
  }

  /** Where a streaming query keeps its checkpoint. */
  public String checkpoint(String query) {
    return root + "/_checkpoints/" + query;
  }

  /**
   * Whether the table exists as a Delta table: it has a commit. Read from the {@code _delta_log}
   * listing ({@link DeltaLog}) rather than {@code DeltaTable.isDeltaTable}, which answers from the
   * process's cached snapshot: once a path was seen without a table, a long-running process (the
   * dashboard server, a stream, a test watching another process) would never see the table appear.
   */
  public boolean exists(SparkSession spark, TableId table) {
    return exists(hadoop(spark), table);
  }

  /**
   * As {@link #exists(SparkSession, TableId)}, with a Hadoop configuration instead of a session
   * (e.g. {@link SparkSessions#hadoop}): for a command that starts Spark only when a table is
   * there.
   */
  public boolean exists(Configuration hadoop, TableId table) {
    return log(hadoop, table).version() != DeltaLog.NO_TABLE;
  }

  /** The table's current version, read as a Dataset. */
  public Dataset<Row> read(SparkSession spark, TableId table) {
    if (!exists(spark, table)) {
      throw LakehouseErrors.tableNotFound(table.qualified(), URI.create(location(table)));
    }
    return spark.read().format("delta").load(location(table));
  }

  /** The table as it was at {@code version}: a commit landing meanwhile cannot mix in. */
  public Dataset<Row> readAt(SparkSession spark, TableId table, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(location(table));
  }

  /** The table as a Delta table handle, for MERGE and history. */
  public DeltaTable delta(SparkSession spark, TableId table) {
    return DeltaTable.forPath(spark, location(table));
  }

  /**
   * The table's latest committed version, or {@link DeltaLog#NO_TABLE} (-1) when there is no
   * commit. One listing, where {@code DeltaTable.history(1)} costs a Spark job.
   */
  public long version(SparkSession spark, TableId table) {
    return version(hadoop(spark), table);
  }

  /** As {@link #version(SparkSession, TableId)}, without a Spark session. */
  public long version(Configuration hadoop, TableId table) {
    return log(hadoop, table).version();
  }

  /**
   * The rows the table's commits after {@code fromExclusive} (up to {@code toInclusive}) appended,
   * when those commits only appended ({@link DeltaLog#addedFiles}); empty when one of them rewrote
   * or removed rows. Read through Delta at {@code toInclusive}, keeping only the added files' rows
   * (a compaction after it cannot hide them).
   */
  public Optional<Dataset<Row>> appended(
      SparkSession spark, TableId table, long fromExclusive, long toInclusive) {
    if (fromExclusive < 0) {
      return Optional.empty();
    }
    return log(hadoop(spark), table)
        .addedFiles(fromExclusive, toInclusive)
        .map(
            files ->
                files.isEmpty()
                    ? readAt(spark, table, toInclusive).limit(0)
                    : readAt(spark, table, toInclusive)
                        .where(
                            org.apache
                                .spark
                                .sql
                                .functions
                                .col("_metadata.file_name")
                                .isin(files.toArray())));
  }

  /** The table's latest commit, or empty when the table does not exist. */
  public Optional<DeltaLog.Commit> lastCommit(SparkSession spark, TableId table) {
    return log(hadoop(spark), table).lastCommit();
  }

  /**
   * Bytes under the table's folder (data files of every version, and the log), from one file-system
   * summary: no Spark job. A size hint for planning, not the current snapshot's size. 0 when the
   * table does not exist.
   */
  public long bytes(SparkSession spark, TableId table) {
    try {
      Path dir = new Path(location(table));
      FileSystem fs = dir.getFileSystem(hadoop(spark));
      return fs.exists(dir) ? fs.getContentSummary(dir).getLength() : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code operationMetrics} Delta recorded in the table's latest commit (e.g. numOutputRows of
   * a write), read from the commit file: reporting row counts this way costs no Spark job. Empty
   * when the table has no commit or Delta recorded no metrics.
   */
  public Map<String, Long> lastCommitMetrics(SparkSession spark, TableId table) {
    return lastCommit(spark, table).map(DeltaLog.Commit::metrics).orElse(Map.of());
  }

  /** Deletes the table's folder, data and log (e.g. a table a failed run created). */
  public void delete(SparkSession spark, TableId table) {
    try {
      Folders.delete(URI.create(location(table)), hadoop(spark));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private DeltaLog log(Configuration hadoop, TableId table) {
    return DeltaLog.of(hadoop, location(table));
  }

  private static Configuration hadoop(SparkSession spark) {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** Every Delta table present in a layer, by name. */
  public List<TableId> tables(SparkSession spark, Layer layer) {
    List<TableId> out = new ArrayList<>();
    try {
      Path dir = new Path(root + "/" + layer.id());
      FileSystem fs = dir.getFileSystem(hadoop(spark));
      if (!fs.exists(dir)) {
        return out;
      }
      for (FileStatus st : fs.listStatus(dir)) {
        String name = st.getPath().getName();
        if (st.isDirectory()
            && name.matches("[a-z_][a-z0-9_]*")
            && fs.exists(new Path(st.getPath(), "_delta_log"))) {
          out.add(new TableId(layer, name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort((a, b) -> a.name().compareTo(b.name()));
    return out;
  }

  /**
   * Registers, in the session catalog, every {@code layer.table} that the SQL text names and that
   * exists in the lake, so the query can run as written (including {@code VERSION AS OF}).
   *
   * @return the tables registered
   */
  public Set<TableId> registerReferenced(SparkSession spark, String sql) {
    Set<TableId> refs = new LinkedHashSet<>();
    Matcher m = TABLE_REF.matcher(sql);
    while (m.find()) {
      Layer.of(m.group(1))
          .ifPresent(l -> refs.add(new TableId(l, m.group(2).toLowerCase(Locale.ROOT))));
    }
    for (TableId t : refs) {
      register(spark, t);
    }
    return refs;
  }

  /** Registers one table as {@code layer.name} in the session catalog (idempotent). */
  public void register(SparkSession spark, TableId t) {
    if (!exists(spark, t)) {
      throw LakehouseErrors.tableNotFound(t.qualified(), URI.create(location(t)));
    }
    if (!spark.catalog().databaseExists(t.layer().id())) {
      // The layer id is one of three constants, never user text.
      spark.sql("CREATE DATABASE IF NOT EXISTS " + t.layer().id());
    }
    Optional<URI> registered = registeredLocation(spark, t);
    if (registered.isPresent()) {
      if (sameLocation(registered.get(), location(t))) {
        return;
      }
      // The session's catalog is shared by every Lake that uses the session (tests, the bench):
      // a name registered for another lake must not make a MERGE or query hit that lake's table.
      // The table is external, so dropping the name leaves its files alone.
      spark.sql("DROP TABLE " + t.qualified());
    }
    spark.catalog().createTable(t.qualified(), location(t), "delta");
  }

  /** Where the session's catalog has {@code t}, empty when it has no such table. */
  private static Optional<URI> registeredLocation(SparkSession spark, TableId t) {
    try {
      return Optional.of(
          spark
              .sessionState()
              .catalog()
              .getTableMetadata(
                  new org.apache.spark.sql.catalyst.TableIdentifier(
                      t.name(), scala.Option.apply(t.layer().id())))
              .location());
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException
        | org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      return Optional.empty();
    }
  }

  static boolean sameLocation(URI registered, String location) {
    // Path drops an empty authority ("file:///x" and "file:/x" are one place).
    return new org.apache.hadoop.fs.Path(registered)
        .toString()
        .equals(new org.apache.hadoop.fs.Path(location).toString());
  }
}
