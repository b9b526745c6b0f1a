package dev.northwind.lakehouse.stream;

import java.time.Instant;

/**
 * What one micro-batch did; also appended to {@code bronze._stream_batches}.
 *
 * @param batchId the streaming batch id
 * @param rowsIn Kafka messages read
 * @param deadLettered messages rejected into bronze.order_events_dead_letter
 * @param rowsWritten events newly appended to bronze.order_events (valid, not seen before)
 * @param duplicates valid events skipped because their event_id was already known
 * @param lagP50Ms median of (commit time − event_time) over the events written, ms (0 if none)
 * @param lagMaxMs maximum of the same, ms (0 if none)
 * @param committedAt when the Bronze write committed
 * @param runId {@code <query run id>:<batch id>}
 */
public record StreamBatchReport(
    long batchId,
    long rowsIn,
    long deadLettered,
    long rowsWritten,
    long duplicates,
    long lagP50Ms,
    long lagMaxMs,
    Instant committedAt,
    String runId) {

  /** The progress line of the batch. */
  public String line() {
    return String.format(
        "batch %d: %d in, %d dead-lettered, %d new events, %d duplicates, lag p50 %d ms, max %d ms",
        batchId, rowsIn, deadLettered, rowsWritten, duplicates, lagP50Ms, lagMaxMs);
  }
}
