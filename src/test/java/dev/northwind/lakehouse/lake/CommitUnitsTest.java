package dev.northwind.lakehouse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.northwind.lakehouse.testing.HeldOpen;
import dev.northwind.lakehouse.testing.TestSpark;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A reader's versions never split a unit of commits to two real Delta tables. */
class CommitUnitsTest {

  private final SparkSession spark = TestSpark.spark();

  @Test
  void versionsListedWhileAUnitCommitsAreThoseAfterItsLastCommit() throws Exception {
    Lake lake = TestSpark.newLake();
    TableId orders = TableId.silver("units_orders");
    TableId lines = TableId.silver("units_lines");
    spark.range(1).write().format("delta").save(lake.location(orders));
    spark.range(1).write().format("delta").save(lake.location(lines));

    // The writer commits to the first table, then waits before its second commit.
    HeldOpen unit =
        HeldOpen.start(
            CommitUnits::together, () -> append(lake, orders), () -> append(lake, lines));
    CompletableFuture<List<Long>> read =
        CompletableFuture.supplyAsync(
            () ->
                CommitUnits.cut(
                    () -> List.of(lake.version(spark, orders), lake.version(spark, lines))));

    // Between the unit's two commits the reader waits: it would see orders at 1 and lines at 0.
    assertThatThrownBy(() -> read.get(300, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    assertThat(lake.version(spark, orders)).isEqualTo(1);
    assertThat(lake.version(spark, lines)).isZero();
    unit.finish();
    assertThat(read.get(60, TimeUnit.SECONDS)).containsExactly(1L, 1L);
  }

  @Test
  void cutsDoNotWaitForEachOther() throws Exception {
    HeldOpen reading = HeldOpen.start(CommitUnits::cut, () -> {}, () -> {});
    assertThat(CommitUnits.cut(() -> 2)).isEqualTo(2);
    reading.finish();
  }

  private void append(Lake lake, TableId table) {
    spark.range(1).write().format("delta").mode("append").save(lake.location(table));
  }
}
