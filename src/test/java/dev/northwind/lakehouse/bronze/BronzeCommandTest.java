package dev.northwind.lakehouse.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.cli.LakehouseCli;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.NorthwindGenerator;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code lakehouse bronze} in-process: exit codes and what the user sees. */
class BronzeCommandTest {

  private static final SparkSession SPARK = TestSpark.spark();
  private static String url;

  @BeforeAll
  static void source() throws Exception {
    url = TestPostgres.freshDatabase(BronzeCommandTest.class);
    try (Connection c = TestPostgres.connect(url)) {
      NorthwindGenerator.generate(c, 1, 42, ExistingData.REFUSE);
    }
  }

  @Test
  void ingestsTheSourceAndExitsZero() throws Exception {
    Lake lake = TestSpark.newLake();
    Captured run = capture(() -> LakehouseCli.execute("bronze", "--lake", lake.root().toString(), "--jdbc-url", url, "--jdbc-user", "postgres"));
    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out).contains("[14/14] ").contains("orders: incremental, 830 rows read, 830 written").contains("Bronze run bronze-");
    assertThat(lake.read(SPARK, TableId.bronze("order_details")).count()).isEqualTo(2155);
    assertThat(SPARK.sparkContext().isStopped()).as("the shared session survives the command").isFalse();

    Captured subset = capture(() -> LakehouseCli.execute("bronze", "--lake", lake.root().toString(), "--jdbc-url", url, "--tables", "shippers,region"));
    assertThat(subset.code).as(subset.err).isZero();
    assertThat(subset.out).contains("[2/2] ").doesNotContain("orders");
  }

  @Test
  void anUnknownTableIsAUsageErrorListingTheTables() throws Exception {
    Lake lake = TestSpark.newLake();
    Captured run = capture(() -> LakehouseCli.execute("bronze", "--lake", lake.root().toString(), "--jdbc-url", url, "--tables", "orders,nope"));
    assertThat(run.code).isEqualTo(2);
    assertThat(run.err).contains("nope").contains("available: categories, customer_customer_demo");
  }

  @Test
  void anUnreachableSourceExitsOneWithOneLineNamingTheUrl() throws Exception {
    Lake lake = TestSpark.newLake();
    String bad = "jdbc:postgresql://127.0.0.1:1/x";
    Captured run = capture(() -> LakehouseCli.execute("bronze", "--lake", lake.root().toString(), "--jdbc-url", bad));
    assertThat(run.code).isEqualTo(1);
    assertThat(run.err.strip()).doesNotContain("\n").startsWith("error: ").contains(bad);
    assertThat(lake.exists(SPARK, TableId.bronze("_runs"))).isFalse();
  }

  private record Captured(int code, String out, String err) {}

  private static synchronized Captured capture(Callable<Integer> command) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = command.call();
      return new Captured(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
