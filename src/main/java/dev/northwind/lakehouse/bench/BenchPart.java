package dev.northwind.lakehouse.bench;

/**
 * Which stages {@code lakehouse bench} runs at each scale (the source is loaded for every part).
 */
public enum BenchPart {
  /**
   * Batch Bronze, Silver and Gold, their re-runs, the pipeline runner, the dashboard, the order
   * stream, the PostgreSQL baseline and the small change.
   */
  PIPELINE,
  /** Change data capture: capture into Bronze (changes/s) and commit → Silver latency. */
  CDC
}
