package dev.northwind.lakehouse.bench;

import dev.northwind.lakehouse.Threads;
import dev.northwind.lakehouse.lake.DeltaLog;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.SparkSession;

/**
 * Measures one stage of the pipeline: wall seconds, Spark jobs and stages started (a listener on
 * the driver), Delta commits written under a lake folder, and the peak used JVM heap (a sampler
 * thread, since the heap's peak cannot be reset between stages). Job and commit counts are
 * deterministic, so they compare runs on a noisy machine where seconds do not.
 */
public final class StageMeter implements AutoCloseable {

  /** What one measured stage did. */
  public record Sample(
      double seconds, long jobs, long sparkStages, long deltaCommits, long peakHeapBytes) {}

  private final SparkSession spark;
  private final AtomicLong jobs = new AtomicLong();
  private final AtomicLong stages = new AtomicLong();
  private final SparkListener listener =
      new SparkListener() {
        @Override
        public void onJobStart(SparkListenerJobStart jobStart) {
          jobs.incrementAndGet();
        }

        @Override
        public void onStageCompleted(SparkListenerStageCompleted stageCompleted) {
          stages.incrementAndGet();
        }
      };

  /** Registers the listener on the session's context; {@link #close()} removes it. */
  public StageMeter(SparkSession spark) {
    this.spark = spark;
    spark.sparkContext().addSparkListener(listener);
  }

  /**
   * Runs {@code work} and measures it; {@code lakeFolder} (a Hadoop path URI) is where Delta
   * commits are counted, or null.
   */
  public <T> Measured<T> measure(String lakeFolder, Callable<T> work) throws Exception {
    long commitsBefore = commits(lakeFolder);
    drain();
    long jobsBefore = jobs.get();
    long stagesBefore = stages.get();
    HeapSampler heap = new HeapSampler();
    heap.start();
    long t0 = System.nanoTime();
    T value;
    try {
      value = work.call();
    } finally {
      heap.stop();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    drain();
    long commits = commits(lakeFolder) - commitsBefore;
    return new Measured<>(
        value,
        new Sample(
            seconds, jobs.get() - jobsBefore, stages.get() - stagesBefore, commits, heap.peak()));
  }

  private long commits(String lakeFolder) {
    return lakeFolder == null
        ? 0
        : DeltaLog.commitsUnder(spark.sparkContext().hadoopConfiguration(), lakeFolder);
  }

  /** A stage's result and its measurement. */
  public record Measured<T>(T value, Sample sample) {}

  /** Listener events arrive asynchronously: wait until those of the finished stage were counted. */
  private void drain() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } catch (Exception e) {
      // Best effort: a count may then lag by a job; seconds are unaffected.
    }
  }

  @Override
  public void close() {
    spark.sparkContext().removeSparkListener(listener);
  }

  /** Samples used heap every 20 ms on a daemon thread; the peak is the stage's maximum. */
  private static final class HeapSampler implements Runnable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    void start() {
      sample();
      thread = Threads.daemon(this, "bench-heap-sampler");
      thread.start();
    }

    @Override
    public void run() {
      while (running) {
        sample();
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void sample() {
      peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    void stop() throws InterruptedException {
      running = false;
      sample();
      thread.interrupt();
      thread.join();
    }

    long peak() {
      return peak.get();
    }
  }
}
