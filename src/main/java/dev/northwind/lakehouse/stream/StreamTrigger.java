package dev.northwind.lakehouse.stream;

/** How the stream runs. */
public enum StreamTrigger {
  /** Read everything available now (in batches of at most maxOffsetsPerTrigger), then stop. */
  AVAILABLE_NOW,
  /** Run until stopped, one micro-batch per stream.trigger.interval when there is new data. */
  PROCESSING_TIME
}
