package dev.northwind.lakehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.bronze.BronzeJob;
import dev.northwind.lakehouse.bronze.BronzeOptions;
import dev.northwind.lakehouse.bronze.BronzeReport;
import dev.northwind.lakehouse.gold.GoldJob;
import dev.northwind.lakehouse.gold.GoldReport;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.silver.SilverReport;
import java.nio.file.Path;
import java.util.List;

/**
 * The product's Bronze, Silver and Gold jobs, run in this JVM on the shared session with the config
 * defaults, over a database of {@link TestPostgres}.
 */
public final class Jobs {

  private Jobs() {}

  /** Bronze's options from the config defaults: incremental orders and order_details. */
  public static BronzeOptions bronzeOptions() {
    return BronzeOptions.from(
        TestSpark.config(Path.of(System.getProperty("java.io.tmpdir"), "test-options")), List.of());
  }

  /** A Bronze run of every source table; fails the test if a table failed. */
  public static BronzeReport bronze(Lake lake, String jdbcUrl) {
    BronzeReport r =
        BronzeJob.run(
            TestSpark.spark(), lake, TestPostgres.source(jdbcUrl), bronzeOptions(), Progress.NONE);
    assertThat(r.failed()).as("Bronze failures").isEmpty();
    return r;
  }

  public static SilverReport silver(Lake lake, String runId) {
    return SilverJob.run(TestSpark.spark(), lake, runId, Progress.NONE);
  }

  public static GoldReport gold(Lake lake, String runId) {
    return GoldJob.run(TestSpark.spark(), lake, runId, Progress.NONE);
  }
}
