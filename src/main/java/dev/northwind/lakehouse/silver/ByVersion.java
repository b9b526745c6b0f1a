package dev.northwind.lakehouse.silver;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Values derived from a table at one Delta version (a dimension's ids, the calendar's first and
 * last day), kept for the next merge while the table's version is the same: a micro-batch then
 * looks its dimensions up without reading or planning them again. The version comes from the log's
 * file names (no Spark job); a newer version, or another Spark context (one stopped and started
 * again in the same JVM), computes the value again and releases the old one.
 *
 * @param <T> the value kept per table
 */
final class ByVersion<T> {

  private record Entry<T>(SparkContext context, long version, T value) {}

  private final ConcurrentHashMap<String, Entry<T>> entries = new ConcurrentHashMap<>();
  private final Consumer<T> release;

  /**
   * @param release frees a value replaced by a newer one (e.g. unpersists a cached Dataset)
   */
  ByVersion(Consumer<T> release) {
    this.release = release;
  }

  /** The value of {@code table} at its current version, computed from that version when new. */
  T get(SparkSession spark, Lake lake, TableId table, LongFunction<T> compute) {
    long version = lake.version(spark, table);
    return entries
        .compute(
            lake.location(table),
            (location, old) -> {
              if (old != null
                  && old.context() == spark.sparkContext()
                  && old.version() == version) {
                return old;
              }
              if (old != null) {
                release.accept(old.value());
              }
              return new Entry<>(spark.sparkContext(), version, compute.apply(version));
            })
        .value();
  }
}
