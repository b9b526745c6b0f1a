package dev.northwind.lakehouse.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.stream.KafkaTopics;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** When the Bronze stream beside a capture holds everything the capture sent. */
class CaptureIntoBronzeTest {

  @Test
  void bronzeHoldsTheCaptureOnceEveryPartitionItSentToIsCommittedPastItsLastOffset() {
    Map<String, Map<Integer, Long>> sent =
        Map.of("cdc.public.orders", Map.of(0, 120L), "cdc.public.order_details", Map.of(0, 4_000L));
    Map<String, Map<Integer, Long>> committed = new HashMap<>();

    // Progress of two micro-batches, as Spark's Kafka source reports their end offsets; a topic
    // the capture did not write to this time is there too.
    CaptureIntoBronze.merge(
        committed, "{\"cdc.public.orders\":{\"0\":120},\"cdc.public.region\":{\"0\":4}}");
    assertThat(CaptureIntoBronze.covers(committed, sent)).isFalse();
    CaptureIntoBronze.merge(committed, "{\"cdc.public.order_details\":{\"0\":3999}}");
    assertThat(CaptureIntoBronze.covers(committed, sent)).as("one change short").isFalse();
    CaptureIntoBronze.merge(committed, "{\"cdc.public.order_details\":{\"0\":4000}}");
    assertThat(CaptureIntoBronze.covers(committed, sent)).isTrue();
    // An older progress read later never moves an offset back.
    CaptureIntoBronze.merge(committed, "{\"cdc.public.order_details\":{\"0\":10}}");
    assertThat(committed.get("cdc.public.order_details")).containsEntry(0, 4_000L);
    assertThat(CaptureIntoBronze.covers(committed, sent)).isTrue();
    // Nothing sent: nothing to wait for; no progress yet or an unreadable one: not there.
    assertThat(CaptureIntoBronze.covers(Map.of(), Map.of())).isTrue();
    assertThat(CaptureIntoBronze.covers(Map.of(), Map.of("cdc.public.region", Map.of(0, 0L))))
        .as("an empty topic")
        .isTrue();
    CaptureIntoBronze.merge(committed, null);
    CaptureIntoBronze.merge(committed, "not json");
    assertThat(CaptureIntoBronze.covers(new HashMap<>(), sent)).isFalse();
  }

  /**
   * The drain waits only for topics Bronze reads: a capture also sends the logical decoding
   * messages of other captures on the same database (their drain markers) to its message topic.
   */
  @Test
  void theDrainWaitsOnlyForTheTablesTopicsNotTheMessageOrTransactionTopics() {
    String pattern = Pattern.quote("abnew.public.") + "[^.]+";
    CdcBronzeJob bronze =
        new CdcBronzeJob(
            null, null, KafkaTopics.pattern("127.0.0.1:1", pattern), "1 second", Progress.NONE);

    assertThat(bronze.reads("abnew.public.order_details")).isTrue();
    assertThat(bronze.reads("abnew.message")).isFalse();
    assertThat(bronze.reads("abnew.transaction")).isFalse();
    assertThat(bronze.reads("abold.public.order_details")).isFalse();
    // Nor does the capture count such a message as a change it sent.
    assertThat(KafkaChangeSink.tableTopic("abnew.public.order_details")).isTrue();
    assertThat(KafkaChangeSink.tableTopic("abnew.message")).isFalse();
    assertThat(KafkaChangeSink.tableTopic("abnew.transaction")).isFalse();
  }
}
