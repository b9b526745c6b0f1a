package dev.northwind.lakehouse.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
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
}
