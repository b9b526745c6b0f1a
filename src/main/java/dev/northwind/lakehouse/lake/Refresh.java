package dev.northwind.lakehouse.lake;

import java.time.Instant;
import java.util.Map;

/**
 * What the pipeline runner recorded about a dataset's last refresh: which versions of its inputs it
 * consumed, so the next run can tell in a file read whether it is stale.
 *
 * @param dataset the qualified dataset name
 * @param runId the run that refreshed it
 * @param refreshedAt when the refresh ended
 * @param outcome what the refresh did
 * @param inputs the Delta version of every lake input it consumed (external inputs are absent)
 * @param version the dataset's own Delta version after the refresh, -1 for views
 * @param millis how long the flow that refreshed it took
 */
public record Refresh(
    String dataset,
    String runId,
    Instant refreshedAt,
    Outcome outcome,
    Map<String, Long> inputs,
    long version,
    long millis) {

  /** What a refresh did to the dataset. */
  public enum Outcome {
    /** New content was committed. */
    WRITTEN,
    /** The flow ran and found nothing to change: no new version. */
    UNCHANGED
  }

  public Refresh {
    inputs = Map.copyOf(inputs);
  }
}
