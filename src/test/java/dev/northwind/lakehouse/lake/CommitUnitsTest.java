package dev.northwind.lakehouse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.northwind.lakehouse.testing.TestSpark;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
    CountDownLatch firstCommitted = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);

    // The writer commits to the first table, then waits before its second commit.
    CompletableFuture<Void> unit =
        CompletableFuture.runAsync(
            () ->
                CommitUnits.together(
                    () -> {
                      append(lake, orders);
                      firstCommitted.countDown();
                      await(goOn);
                      append(lake, lines);
                      return null;
                    }));
    assertThat(firstCommitted.await(60, TimeUnit.SECONDS)).isTrue();
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
    goOn.countDown();
    unit.get(60, TimeUnit.SECONDS);
    assertThat(read.get(60, TimeUnit.SECONDS)).containsExactly(1L, 1L);
  }

  @Test
  void cutsDoNotWaitForEachOther() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Integer> holding =
        CompletableFuture.supplyAsync(
            () ->
                CommitUnits.cut(
                    () -> {
                      inside.countDown();
                      await(release);
                      return 1;
                    }));
    assertThat(inside.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(CommitUnits.cut(() -> 2)).isEqualTo(2);
    release.countDown();
    assertThat(holding.get(60, TimeUnit.SECONDS)).isEqualTo(1);
  }

  private void append(Lake lake, TableId table) {
    spark.range(1).write().format("delta").mode("append").save(lake.location(table));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out waiting for the test");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
