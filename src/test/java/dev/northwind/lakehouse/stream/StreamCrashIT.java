package dev.northwind.lakehouse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The streaming process is killed with SIGKILL in the middle of its work; a new run on the same
 * checkpoint ends with every event exactly once.
 */
class StreamCrashIT {

  @Test
  void killMinusNineMidStreamThenResumeGivesEveryEventOnce() throws Exception {
    String topic = TestKafka.newTopic("crash", 2);
    Lake lake = TestSpark.newLake();
    List<OrderEvent> events = StreamFixtures.events(50001, 200, 5L);
    StreamFixtures.send(topic, events);

    Path log = Files.createTempFile("stream-child-", ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(
        Arrays.asList(
            Files.readString(Path.of("target/classes/lakehouse-jvm.flags")).trim().split("\\s+")));
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            StreamChild.class.getName(),
            lake.root().toString(),
            TestKafka.bootstrap(),
            topic,
            "25"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process child = pb.start();
    long killedAt;
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      // Kill as soon as the first batch committed: the child is then mid-way through the topic.
      // Watched on the file system: the first commit file of the table appears with the first
      // batch.
      Path firstCommit =
          Path.of(java.net.URI.create(lake.location(StreamJob.ORDER_EVENTS)))
              .resolve("_delta_log/00000000000000000000.json");
      while (!Files.exists(firstCommit)) {
        assertThat(child.isAlive()).as("child stream alive; its log: %s", log).isTrue();
        assertThat(System.nanoTime())
            .as("first batch within 4 minutes; log %s", log)
            .isLessThan(deadline);
        Thread.sleep(300);
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    killedAt = StreamFixtures.count(lake, StreamJob.ORDER_EVENTS);
    System.err.printf(
        "stream child killed with %d of %d events in Bronze%n", killedAt, events.size());

    List<StreamBatchReport> resumed = StreamFixtures.job(lake, topic, 200).runUntilIdle();

    assertThat(StreamFixtures.count(lake, StreamJob.ORDER_EVENTS)).isEqualTo(events.size());
    assertThat(StreamFixtures.eventIds(lake))
        .isEqualTo(events.stream().map(OrderEvent::eventId).sorted().toList());
    assertThat(StreamFixtures.bronzeNet(lake)).isEqualByComparingTo(StreamFixtures.net(events));
    assertThat(StreamFixtures.count(lake, StreamJob.DEAD_LETTER)).isZero();
    // One row per committed batch: a replayed batch did not append its report twice.
    assertThat(
            StreamFixtures.lakeTable(lake, StreamJob.BATCHES).select("batch_id").distinct().count())
        .isEqualTo(StreamFixtures.count(lake, StreamJob.BATCHES));
    assertThat(resumed).isNotEmpty();
    new File(log.toString()).delete();
  }
}
