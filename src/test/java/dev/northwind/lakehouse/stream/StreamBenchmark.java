package dev.northwind.lakehouse.stream;

import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestSpark;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;

/**
 * Measurements, not assertions (the name keeps it out of the default test run). Run with {@code mvn
 * -q -B test -Dtest=StreamBenchmark}; results go to stderr.
 */
class StreamBenchmark {

  @Test
  void throughputOfTwentyThousandEventsWithAvailableNow() {
    String topic = TestKafka.newTopic("bench-throughput", 2);
    Lake lake = TestSpark.newLake();
    // Warm-up on another lake so JIT and first-write costs are not counted.
    String warm = TestKafka.newTopic("bench-warmup", 2);
    StreamFixtures.send(warm, StreamFixtures.events(1, 500, 9L));
    StreamFixtures.job(TestSpark.newLake(), warm, 200_000).runUntilIdle();

    long t0 = System.nanoTime();
    StreamFixtures.send(topic, StreamFixtures.events(100_001, 20_000, 10L));
    double sendSecs = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    List<StreamBatchReport> r = StreamFixtures.job(lake, topic, 200_000).runUntilIdle();
    double streamSecs = (System.nanoTime() - t1) / 1e9;
    System.err.printf(
        "BENCH produce 20000 events: %.1f s (%.0f events/s)%n", sendSecs, 20_000 / sendSecs);
    System.err.printf(
        "BENCH stream 20000 events into Bronze (AvailableNow, %d batch): %.1f s (%.0f events/s)%n",
        r.size(), streamSecs, 20_000 / streamSecs);
    System.err.printf("BENCH bronze rows %d%n", StreamFixtures.count(lake, StreamJob.ORDER_EVENTS));
  }

  @Test
  void latencyAtASteadyRate() throws Exception {
    String topic = TestKafka.newTopic("bench-latency", 2);
    Lake lake = TestSpark.newLake();
    // Warm-up: the first stream and Delta writes of a JVM are slow.
    String warm = TestKafka.newTopic("bench-warmup-latency", 2);
    StreamFixtures.send(warm, StreamFixtures.events(1, 50, 12L));
    StreamFixtures.job(TestSpark.newLake(), warm, 200_000).runUntilIdle();
    StreamJob job =
        new StreamJob(
            TestSpark.spark(),
            lake,
            TestKafka.bootstrap(),
            topic,
            new LakehouseConfig.Stream("1 second", 200_000, LakehouseConfig.StreamSilver.MERGE),
            line -> System.err.println("BENCH " + line));
    StreamingQuery q = job.start(StreamTrigger.PROCESSING_TIME);
    try (OrderEventProducer p = new OrderEventProducer(TestKafka.bootstrap(), topic)) {
      // 20 events/s for 45 s.
      p.send(StreamFixtures.events(200_001, 900, 11L), 20);
      TimeUnit.SECONDS.sleep(30);
    } finally {
      q.stop();
    }
    List<StreamBatchReport> reports = job.reports();
    List<StreamBatchReport> steady = reports.subList(Math.min(2, reports.size()), reports.size());
    long[] p50 = steady.stream().mapToLong(StreamBatchReport::lagP50Ms).sorted().toArray();
    System.err.printf(
        "BENCH latency at 20 events/s: %d batches (%d after warm-up), batch p50 lag median %d ms, "
            + "min %d ms, max of batch max %d ms, mean batch size %.0f%n",
        reports.size(),
        steady.size(),
        p50.length == 0 ? -1 : p50[p50.length / 2],
        p50.length == 0 ? -1 : p50[0],
        steady.stream().mapToLong(StreamBatchReport::lagMaxMs).max().orElse(-1),
        steady.stream().mapToLong(StreamBatchReport::rowsIn).average().orElse(0));
  }
}
