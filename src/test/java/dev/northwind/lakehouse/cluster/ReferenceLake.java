package dev.northwind.lakehouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.bronze.BronzeJob;
import dev.northwind.lakehouse.bronze.BronzeOptions;
import dev.northwind.lakehouse.bronze.BronzeReport;
import dev.northwind.lakehouse.gold.GoldJob;
import dev.northwind.lakehouse.gold.GoldTables;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.source.NorthwindLoader;
import dev.northwind.lakehouse.testing.NorthwindDump;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The real Northwind dump in a PostgreSQL database and the whole batch pipeline run once over it in
 * this JVM on {@code local[2]}: the reference that cluster and s3a runs are compared with. Built on
 * first use and shared by the cluster tests of this JVM (the pipeline costs tens of seconds).
 */
final class ReferenceLake {

  /** Tables this size and larger are read in key ranges: orders and order_details of the dump. */
  static final int PARTITION_MIN_ROWS = 500;

  /** Columns that record when and from what a run was made, not what it computed. */
  private static final Set<String> RUN_METADATA =
      Set.of("run_id", "computed_at", "silver_version", "updated_at");

  private static String jdbcUrl;
  private static Lake lake;
  private static long millis;

  private ReferenceLake() {}

  /** The source database holding the dump (user and password {@code postgres}). */
  static synchronized String jdbcUrl() throws Exception {
    if (jdbcUrl == null) {
      Path dump = NorthwindDump.path();
      String url = TestPostgres.freshDatabase(ReferenceLake.class);
      try (Connection c = TestPostgres.connect(url)) {
        NorthwindLoader.loadDump(c, dump, ExistingData.REFUSE);
      }
      jdbcUrl = url;
    }
    return jdbcUrl;
  }

  /** The local reference lake, built on first call. */
  static synchronized Lake lake() throws Exception {
    if (lake == null) {
      Lake fresh = TestSpark.newLake();
      long t0 = System.currentTimeMillis();
      run(TestSpark.spark(), fresh, jdbcUrl(), Progress.NONE);
      millis = System.currentTimeMillis() - t0;
      System.out.printf("reference pipeline (local[2], in-process) over the dump: %d ms%n", millis);
      lake = fresh;
    }
    return lake;
  }

  /** Bronze, Silver and Gold over the dump into {@code target}, in this JVM's session. */
  static void run(SparkSession spark, Lake target, String url, Progress progress) {
    BronzeOptions options =
        BronzeOptions.from(
                TestSpark.config(
                    Path.of(System.getProperty("java.io.tmpdir"), "reference-options")),
                List.of())
            .withPartitioning(4, PARTITION_MIN_ROWS);
    BronzeReport bronze =
        BronzeJob.run(
            spark, target, new JdbcSource(url, TestPostgres.user(), "postgres"), options, progress);
    assertThat(bronze.failed()).as("failed Bronze tables").isEmpty();
    SilverJob.run(spark, target, "silver-reference", progress);
    GoldJob.run(spark, target, "gold-reference", progress);
  }

  /**
   * Every Gold table of {@code actual} has the same schema and exactly the same rows (duplicates
   * counted, money compared as exact decimals) as the reference, run metadata aside.
   */
  static void assertSameGold(SparkSession spark, Lake expected, Lake actual, String what) {
    for (String name : GoldTables.NAMES) {
      TableId id = TableId.gold(name);
      Dataset<Row> e = withoutRunMetadata(expected.read(spark, id));
      Dataset<Row> a = withoutRunMetadata(actual.read(spark, id));
      assertThat(a.schema()).as("%s schema of %s", what, id.qualified()).isEqualTo(e.schema());
      long n = e.count();
      assertThat(n).as("reference rows of %s", id.qualified()).isPositive();
      assertThat(a.count()).as("%s rows of %s", what, id.qualified()).isEqualTo(n);
      assertThat(a.exceptAll(e).limit(5).collectAsList())
          .as("%s rows of %s not in the reference", what, id.qualified())
          .isEmpty();
      assertThat(e.exceptAll(a).limit(5).collectAsList())
          .as("reference rows of %s missing from %s", id.qualified(), what)
          .isEmpty();
    }
  }

  private static Dataset<Row> withoutRunMetadata(Dataset<Row> d) {
    Column[] kept =
        Arrays.stream(d.columns())
            .filter(c -> !RUN_METADATA.contains(c))
            .map(d::col)
            .toArray(Column[]::new);
    return d.select(kept);
  }
}
