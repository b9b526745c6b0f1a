package dev.northwind.lakehouse.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.testing.GoldenLake;
import dev.northwind.lakehouse.testing.Jobs;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.sql.Connection;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real failures midway through a run: a table the ingestion user may not read (the count fails),
 * one whose rows it may not read (Spark's read fails after the count), a new table, and a table
 * dropped after discovery. Each keeps its previous Bronze version; the others go on.
 */
class BronzeFailureTest {

  private static final SparkSession SPARK = TestSpark.spark();
  private static final String SECRET = "s3cret-reader-pw";
  private static Connection db;
  private static String url;
  private static Lake lake;
  private static BronzeReport first;

  @BeforeAll
  static void ingestOnce() throws Exception {
    // Generator data ingested once: the golden lake's Bronze run. The tests change the source and
    // the lake, so they work on copies of both.
    GoldenLake golden = GoldenLake.shared();
    url = golden.sourceCopy(BronzeFailureTest.class);
    db = TestPostgres.connect(url);
    lake = golden.lakeCopy();
    first = golden.bronze();
    assertThat(first.failed()).isEmpty();
  }

  @AfterAll
  static void close() throws Exception {
    db.close();
  }

  @Test
  void failedTablesKeepTheirPreviousVersionAndTheOthersAreIngested() throws Exception {
    String role = "bronze_reader_" + db.getCatalog();
    BronzeSteps.exec(
        db,
        "CREATE ROLE " + role + " LOGIN PASSWORD '" + SECRET + "'",
        "GRANT USAGE ON SCHEMA public TO " + role,
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
        // products: listed (INSERT is a privilege) but not readable at all: the count fails.
        "REVOKE SELECT ON products FROM " + role,
        "GRANT INSERT ON products TO " + role,
        // shippers: the key is readable, so the count succeeds; Spark's SELECT * then fails.
        "REVOKE SELECT ON shippers FROM " + role,
        "GRANT SELECT (shipper_id) ON shippers TO " + role,
        // a table new since the first run that fails: no Bronze table may be left behind.
        "CREATE TABLE audit_notes (id integer PRIMARY KEY, note text)",
        "INSERT INTO audit_notes VALUES (1, 'x')",
        "GRANT INSERT ON audit_notes TO " + role);
    long products = BronzeSteps.version(SPARK, lake, "products");
    long shippers = BronzeSteps.version(SPARK, lake, "shippers");
    long customers = BronzeSteps.version(SPARK, lake, "customers");

    // The test server's URL carries ?user=postgres, which would win over the source's user.
    String plainUrl = url.replaceFirst("\\?.*$", "");
    BronzeReport second =
        BronzeJob.run(
            SPARK,
            lake,
            new JdbcSource(plainUrl, role, SECRET),
            Jobs.bronzeOptions(),
            Progress.NONE);

    assertThat(second.failed())
        .extracting(BronzeReport.TableRun::table)
        .containsExactlyInAnyOrder("audit_notes", "products", "shippers");
    assertThat(second.table("products").error()).contains("permission denied");
    assertThat(second.table("products").rowsRead()).isNull();
    assertThat(second.table("shippers").error()).contains("permission denied");
    assertThat(second.table("shippers").rowsRead()).isEqualTo(6);
    assertThat(second.tables())
        .allSatisfy(t -> assertThat(String.valueOf(t.error())).doesNotContain(SECRET));

    assertThat(BronzeSteps.version(SPARK, lake, "products")).isEqualTo(products);
    assertThat(BronzeSteps.version(SPARK, lake, "shippers")).isEqualTo(shippers);
    assertThat(lake.read(SPARK, TableId.bronze("products")).count()).isEqualTo(77);
    assertThat(
            lake.read(SPARK, TableId.bronze("shippers"))
                .filter("_run_id = '" + first.runId() + "'")
                .count())
        .isEqualTo(6);
    assertThat(lake.exists(SPARK, TableId.bronze("audit_notes"))).isFalse();
    // The others are read in full; their content did not change, so they commit nothing.
    assertThat(second.table("customers").status())
        .as("others ingested")
        .isEqualTo(TableStatus.UNCHANGED);
    assertThat(second.table("customers").rowsRead()).isEqualTo(91);
    assertThat(BronzeSteps.version(SPARK, lake, "customers")).isEqualTo(customers);
    assertThat(second.table("orders").status()).isEqualTo(TableStatus.UNCHANGED);

    List<Row> failed =
        BronzeSteps.runs(SPARK, lake, second.runId())
            .filter("status = 'FAILED'")
            .select("table_name", "error")
            .orderBy("table_name")
            .collectAsList();
    assertThat(failed)
        .extracting(r -> r.getString(0))
        .containsExactly("audit_notes", "products", "shippers");
    assertThat(failed)
        .allSatisfy(
            r -> assertThat(r.getString(1)).contains("permission denied").doesNotContain("\n"));
    assertThat(BronzeSteps.runs(SPARK, lake, second.runId()).count())
        .isEqualTo(second.tables().size());
  }

  @Test
  void aTableDroppedAfterDiscoveryFailsAlone() throws Exception {
    BronzeSteps.exec(
        db,
        "CREATE TABLE scratch_notes AS SELECT 1 AS id",
        "CREATE TABLE doomed AS SELECT 1 AS id");
    // One thread: tables run in the given order, so "doomed" is dropped after discovery and after
    // the first table is done, before it is read.
    BronzeOptions options =
        Jobs.bronzeOptions().withTables(List.of("scratch_notes", "doomed")).withThreads(1);
    Progress dropDoomed =
        line -> {
          if (line.contains("scratch_notes")) {
            try (Connection c = TestPostgres.connect(url)) {
              BronzeSteps.exec(c, "SET lock_timeout = '5s'", "DROP TABLE doomed");
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        };

    BronzeReport run = BronzeJob.run(SPARK, lake, TestPostgres.source(url), options, dropDoomed);

    assertThat(run.table("scratch_notes").status()).isEqualTo(TableStatus.SUCCEEDED);
    assertThat(run.table("doomed").status()).isEqualTo(TableStatus.FAILED);
    assertThat(run.table("doomed").error()).contains("does not exist");
    assertThat(lake.exists(SPARK, TableId.bronze("doomed"))).isFalse();
    assertThat(BronzeSteps.runs(SPARK, lake, run.runId()).count()).isEqualTo(2);
    BronzeSteps.exec(db, "DROP TABLE scratch_notes");
  }
}
