package dev.northwind.lakehouse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.testing.TestSpark;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Shuffle sizing of the batch jobs' non-adaptive sessions; steps named in the jobs; one class
 * loader for the tasks of every session.
 */
class SparkSessionsTest {

  private static final long MB = 1024 * 1024;

  @Test
  void shufflesGetOnePartitionPerTwoMegabytesOfInputBetweenOneAndTwoPerCore() {
    // The bench's Silver inputs: scale 1 (~0.1 MB), 100 (~3 MB), 1000 (~33 MB), on 2 cores.
    assertThat(SparkSessions.shufflePartitions(4, 2, 130 * 1024)).isEqualTo(1);
    assertThat(SparkSessions.shufflePartitions(4, 2, 0)).isEqualTo(1);
    assertThat(SparkSessions.shufflePartitions(4, 2, 3 * MB + 1)).isEqualTo(2);
    assertThat(SparkSessions.shufflePartitions(4, 2, 33 * MB)).isEqualTo(4);
    // A cluster: 16 cores, 64 configured; never above the configured value.
    assertThat(SparkSessions.shufflePartitions(64, 16, 33 * MB)).isEqualTo(17);
    assertThat(SparkSessions.shufflePartitions(64, 16, 10_000 * MB)).isEqualTo(32);
    assertThat(SparkSessions.shufflePartitions(8, 16, 10_000 * MB)).isEqualTo(8);
  }

  @Test
  void aStepNamesTheJobsItStartsAndRestoresTheDescriptionAfter() throws Exception {
    SparkSession spark = TestSpark.spark();
    List<String> seen = new CopyOnWriteArrayList<>();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart start) {
            seen.add(start.properties().getProperty("spark.job.description", ""));
          }
        };
    spark.sparkContext().addSparkListener(listener);
    spark.sparkContext().setJobDescription("stream q1 batch 7");
    try {
      long n = SparkSessions.step(spark, "silver: merge", () -> spark.range(5).count());
      assertThat(n).isEqualTo(5);
      assertThat(spark.sparkContext().getLocalProperty("spark.job.description"))
          .isEqualTo("stream q1 batch 7");
      // The listener bus delivers asynchronously: wait for it to drain.
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertThat(seen).isNotEmpty().allMatch(d -> d.equals("silver: merge · stream q1 batch 7"));
    } finally {
      spark.sparkContext().setJobDescription(null);
      spark.sparkContext().removeSparkListener(listener);
    }
  }

  @Test
  void tasksOfEverySessionRunWithOneClassLoaderSoCompiledCodeIsShared() {
    // Spark caches compiled generated code per class loader: with per-session artifact isolation
    // (Spark 4's default) each new session's tasks ran under a loader of their own and compiled
    // every query again (the bench's stream stage: 913 of 1,562 compiles were repeats).
    SparkSession spark = TestSpark.spark();
    assertThat(taskClassLoader(spark.newSession()))
        .isEqualTo(taskClassLoader(spark.newSession()))
        .isEqualTo(taskClassLoader(spark));
  }

  /** The identity of the context class loader a task of {@code session}'s SQL runs under. */
  private static int taskClassLoader(SparkSession session) {
    return session
        .range(0, 1, 1, 1)
        .map(
            (MapFunction<Long, Integer>)
                x -> System.identityHashCode(Thread.currentThread().getContextClassLoader()),
            Encoders.INT())
        .collectAsList()
        .get(0);
  }
}
