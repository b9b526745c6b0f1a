package dev.northwind.lakehouse.pipeline;

import java.util.List;

/**
 * What one run of the graph did.
 *
 * @param datasets one entry per selected stored dataset, in dependency order
 * @param millis the whole run's duration
 */
public record RunReport(List<Entry> datasets, long millis) {

  /** What happened to a dataset. */
  public enum Outcome {
    /** Recomputed, and a new version was committed. */
    WRITTEN,
    /** Its flow ran (an input moved) but nothing changed: no new version. */
    UNCHANGED,
    /** Skipped: no input moved since its last refresh. */
    UP_TO_DATE,
    /** Not refreshed by runs: fed by a continuous flow (the stream). */
    CONTINUOUS
  }

  /**
   * One dataset's outcome.
   *
   * @param reason why it was refreshed, or why not
   */
  public record Entry(String dataset, Outcome outcome, String reason) {}

  public RunReport {
    datasets = List.copyOf(datasets);
  }

  /** How many datasets had this outcome. */
  public long count(Outcome outcome) {
    return datasets.stream().filter(e -> e.outcome() == outcome).count();
  }
}
