package dev.northwind.lakehouse.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.testing.Jobs;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Spark's JDBC partitions import the driver's exported snapshot: rows committed after the snapshot
 * was taken are not read, even by connections opened later.
 */
class SourceSnapshotTest {

  private static final SparkSession SPARK = TestSpark.spark();

  @Test
  void partitionedReadsSeeTheSnapshotNotLaterCommits() throws Exception {
    String url = TestPostgres.freshDatabase(SourceSnapshotTest.class);
    JdbcSource source = TestPostgres.source(url);
    try (Connection c = TestPostgres.connect(url)) {
      BronzeSteps.exec(
          c,
          "CREATE TABLE t (id integer PRIMARY KEY, v text)",
          "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 1000) g");
      SourceCatalog.SourceTable table = SourceCatalog.discover(c, "public", List.of()).get(0);
      assertThat(table.integerKey()).isEqualTo("id");
      BronzeOptions options = Jobs.bronzeOptions().withPartitioning(4, 10);
      try (SourceSnapshot snapshot = SourceSnapshot.open(source)) {
        SourceSnapshot.Counted counted = snapshot.count(table, "id", null, null);
        assertThat(counted).isEqualTo(new SourceSnapshot.Counted(1000, 1L, 1000L));

        // Committed after the snapshot: inside and beyond the counted key range.
        BronzeSteps.exec(
            c,
            "DELETE FROM t WHERE id <= 10",
            "INSERT INTO t SELECT g, 'new' FROM generate_series(1001, 1500) g");

        Map<String, String> read =
            BronzeJob.readOptions(
                source, options, table.qualified(), snapshot.sessionInitStatement(), "id", counted);
        assertThat(read).containsEntry("numPartitions", "4").containsEntry("fetchsize", "10000");
        var rows = SPARK.read().format("jdbc").options(read).load();
        assertThat(rows.rdd().getNumPartitions()).isEqualTo(4);
        assertThat(rows.count()).isEqualTo(1000);
        assertThat(rows.filter("v = 'new'").count()).isZero();

        Map<String, String> plain = new java.util.HashMap<>(read);
        plain.remove("sessionInitStatement");
        assertThat(SPARK.read().format("jdbc").options(plain).load().count())
            .as("without the snapshot")
            .isEqualTo(1490);
      }
    }
  }
}
