package dev.northwind.lakehouse.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.GoldenLake;
import dev.northwind.lakehouse.testing.TestSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code lakehouse bronze} in-process: exit codes and what the user sees. */
class BronzeCommandTest {

  private static final SparkSession SPARK = TestSpark.spark();
  private static String url;

  @BeforeAll
  static void source() {
    // Generator data, only read here: the golden lake's source.
    url = GoldenLake.shared().jdbcUrl();
  }

  @Test
  void ingestsTheSourceAndExitsZero() throws Exception {
    Lake lake = TestSpark.newLake();
    CliRun run =
        CliRun.of(
            "bronze",
            "--lake",
            lake.root().toString(),
            "--jdbc-url",
            url,
            "--jdbc-user",
            "postgres");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("[14/14] ")
        .contains("orders: incremental, 830 rows read, 830 written")
        .contains("Bronze run bronze-");
    assertThat(lake.read(SPARK, TableId.bronze("order_details")).count()).isEqualTo(2155);
    assertThat(SPARK.sparkContext().isStopped())
        .as("the shared session survives the command")
        .isFalse();

    CliRun subset =
        CliRun.of(
            "bronze",
            "--lake",
            lake.root().toString(),
            "--jdbc-url",
            url,
            "--tables",
            "shippers,region");
    assertThat(subset.code()).as(subset.err()).isZero();
    assertThat(subset.out()).contains("[2/2] ").doesNotContain("orders");
  }

  @Test
  void anUnknownTableIsAUsageErrorListingTheTables() throws Exception {
    Lake lake = TestSpark.newLake();
    CliRun run =
        CliRun.of(
            "bronze",
            "--lake",
            lake.root().toString(),
            "--jdbc-url",
            url,
            "--tables",
            "orders,nope");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("nope")
        .contains("available: categories, customer_customer_demo");
  }

  @Test
  void anUnreachableSourceExitsOneWithOneLineNamingTheUrl() throws Exception {
    Lake lake = TestSpark.newLake();
    String bad = "jdbc:postgresql://127.0.0.1:1/x";
    CliRun run = CliRun.of("bronze", "--lake", lake.root().toString(), "--jdbc-url", bad);
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err().strip()).doesNotContain("\n").startsWith("error: ").contains(bad);
    assertThat(lake.exists(SPARK, TableId.bronze("_runs"))).isFalse();
  }
}
