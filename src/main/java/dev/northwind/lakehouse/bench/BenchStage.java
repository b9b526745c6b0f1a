package dev.northwind.lakehouse.bench;

import java.util.Map;

/**
 * One measured stage of the bench at one scale.
 *
 * @param scale generator scale
 * @param stage e.g. {@code bronze}, {@code silver (re-run, unchanged)}
 * @param rows rows the stage produced (or, for re-runs, the rows it covers)
 * @param seconds median wall seconds over the runs
 * @param runs how many measured runs the median is over
 * @param jobs Spark jobs started (last run; deterministic)
 * @param sparkStages Spark stages completed (last run)
 * @param deltaCommits Delta commits written (last run)
 * @param peakHeapMb highest used JVM heap seen during the stage (max over runs), MB
 * @param extra stage-specific figures (latency percentiles, Spark/PostgreSQL ratio)
 */
public record BenchStage(
    int scale,
    String stage,
    long rows,
    double seconds,
    int runs,
    long jobs,
    long sparkStages,
    long deltaCommits,
    long peakHeapMb,
    Map<String, Object> extra) {

  /** Rows per second (0 when the stage took no measurable time). */
  public double rowsPerSecond() {
    return seconds <= 0 ? 0 : rows / seconds;
  }
}
