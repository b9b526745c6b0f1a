package dev.northwind.lakehouse.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northwind.lakehouse.Json;
import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Threads;
import dev.northwind.lakehouse.stream.StreamTrigger;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * {@code lakehouse cdc}: the capture (Debezium into Kafka) in the foreground and the Bronze stream
 * (Kafka into {@code bronze.cdc_changes}) beside it, so changes reach Bronze while the capture is
 * still sending them. Until idle, it ends once the Bronze stream has committed every change the
 * capture sent and everything else the change topics held when the capture ended (Kafka offsets,
 * against the end offsets in the query's progress), not after a second query over the topics: one
 * query start fewer, and the idle period overlaps the last micro-batches.
 */
public final class CaptureIntoBronze {

  /** How long the Bronze stream may take, after the capture ended, to hold what it sent. */
  static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);

  private CaptureIntoBronze() {}

  /**
   * Captures {@code tables} until idle or stopped while {@code bronze} streams the topics into
   * Bronze (a micro-batch every interval of {@code bronze}); returns what the capture sent. Until
   * idle, every change in the topics (this run's and any earlier one's) is in Bronze when this
   * returns.
   */
  public static CdcCapture.Captured run(
      CdcCapture capture, List<String> tables, CdcBronzeJob bronze, CdcCapture.Until until) {
    AtomicReference<StreamingQuery> query = new AtomicReference<>();
    AtomicReference<RuntimeException> failed = new AtomicReference<>();
    Thread streaming =
        Threads.daemon(
            () -> {
              try {
                bronze.run(StreamTrigger.PROCESSING_TIME, query::set);
              } catch (RuntimeException e) {
                failed.set(e);
              }
            },
            "cdc-bronze");
    streaming.start();
    CdcCapture.Captured captured;
    try {
      captured = capture.run(tables, until);
      if (until == CdcCapture.Until.IDLE) {
        // Kafka's end offsets of the topics the stream reads, taken now: what this run sent (its
        // topics are created before its first send) and what earlier runs left there (a
        // capture-only stage, a stream stopped before its last micro-batch), as AvailableNow
        // would take. Not the message topic, where other captures' drain markers arrive.
        awaitCommitted(query, failed, bronze.endOffsets(), DRAIN_TIMEOUT);
      }
    } finally {
      StreamingQuery q = query.get();
      if (q != null) {
        try {
          q.stop();
        } catch (TimeoutException e) {
          // The checkpoint makes the next start safe.
        }
      }
      try {
        streaming.join(Duration.ofSeconds(60).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failed.get() != null) {
      throw failed.get();
    }
    return captured;
  }

  /**
   * Waits until the Bronze query (the current one: it is started again after SPARK-55271) has
   * committed micro-batches up to {@code ends}; fails with the stream's own error if it died.
   */
  private static void awaitCommitted(
      AtomicReference<StreamingQuery> query,
      AtomicReference<RuntimeException> failed,
      Map<String, Map<Integer, Long>> ends,
      Duration timeout) {
    Map<String, Map<Integer, Long>> committed = new HashMap<>();
    // Batch ids only grow (also across the query's restarts): older progress is read once. The
    // latest id is read again, since an idle trigger reports the id its next batch will have.
    long seen = -1;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (failed.get() != null) {
        throw failed.get();
      }
      StreamingQuery q = query.get();
      if (q != null) {
        for (StreamingQueryProgress p : q.recentProgress()) {
          if (p.batchId() >= seen) {
            seen = p.batchId();
            for (SourceProgress s : p.sources()) {
              merge(committed, s.endOffset());
            }
          }
        }
      }
      if (covers(committed, ends)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw LakehouseErrors.cdcBronzeFailed(
            new TimeoutException(
                "the Bronze stream did not take the captured changes within "
                    + timeout.toMinutes()
                    + " minutes; committed "
                    + committed
                    + ", in Kafka "
                    + ends));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw LakehouseErrors.cdcBronzeFailed(e);
      }
    }
  }

  /** Whether {@code committed} reaches {@code ends} for every topic partition of {@code ends}. */
  static boolean covers(
      Map<String, Map<Integer, Long>> committed, Map<String, Map<Integer, Long>> ends) {
    for (Map.Entry<String, Map<Integer, Long>> t : ends.entrySet()) {
      Map<Integer, Long> done = committed.getOrDefault(t.getKey(), Map.of());
      for (Map.Entry<Integer, Long> p : t.getValue().entrySet()) {
        // An empty partition holds nothing to wait for, reported or not.
        if (p.getValue() > 0 && done.getOrDefault(p.getKey(), -1L) < p.getValue()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Adds a Kafka source's offsets as its progress reports them ({@code {"topic":{"0":42}}}, the
   * next offset to read per partition) to {@code into}, keeping the highest.
   */
  static void merge(Map<String, Map<Integer, Long>> into, String offsetsJson) {
    if (offsetsJson == null || offsetsJson.isBlank()) {
      return;
    }
    JsonNode root;
    try {
      root = Json.tree(offsetsJson);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> topics = root.fields(); topics.hasNext(); ) {
      Map.Entry<String, JsonNode> t = topics.next();
      for (Iterator<Map.Entry<String, JsonNode>> parts = t.getValue().fields(); parts.hasNext(); ) {
        Map.Entry<String, JsonNode> p = parts.next();
        if (p.getValue().canConvertToLong()) {
          into.computeIfAbsent(t.getKey(), k -> new HashMap<>())
              .merge(Integer.parseInt(p.getKey()), p.getValue().asLong(), Math::max);
        }
      }
    }
  }
}
