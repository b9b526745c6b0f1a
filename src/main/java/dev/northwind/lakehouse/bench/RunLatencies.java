package dev.northwind.lakehouse.bench;

import static org.apache.spark.sql.functions.expr;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A latency's p50 and p99 of every measured run of a stage; the bench reports the median of each
 * over the runs, in whole milliseconds.
 */
final class RunLatencies {

  private final List<Double> p50 = new ArrayList<>();
  private final List<Double> p99 = new ArrayList<>();

  /** One run's percentiles, in milliseconds (NaN when the run measured nothing). */
  void add(double p50Ms, double p99Ms) {
    p50.add(p50Ms);
    p99.add(p99Ms);
  }

  /** One run's percentiles of its latencies: a column {@code ms}, one row per event. */
  void add(Dataset<Row> latencies) {
    Row r = latencies.agg(expr("percentile(ms, 0.5)"), expr("percentile(ms, 0.99)")).first();
    add(r.isNullAt(0) ? Double.NaN : r.getDouble(0), r.isNullAt(1) ? Double.NaN : r.getDouble(1));
  }

  long p50() {
    return Math.round(Bench.middle(p50));
  }

  long p99() {
    return Math.round(Bench.middle(p99));
  }
}
