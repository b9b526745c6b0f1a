package dev.northwind.lakehouse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestSpark;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An event sent twice (a producer retry, a replayed upstream) is kept once. */
class StreamDuplicatesIT {

  @Test
  void sameEventTwiceInOneBatchAndAgainLaterIsKeptOnce() {
    String topic = TestKafka.newTopic("duplicates", 2);
    Lake lake = TestSpark.newLake();
    List<OrderEvent> events = StreamFixtures.events(30001, 3, 3L);
    OrderEvent dup = events.get(0);
    StreamFixtures.send(topic, List.of(events.get(0), events.get(1), dup));

    List<StreamBatchReport> run1 = StreamFixtures.job(lake, topic, 100).runUntilIdle();
    assertThat(run1)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.rowsIn()).isEqualTo(3);
              assertThat(r.rowsWritten()).isEqualTo(2);
              assertThat(r.duplicates()).isEqualTo(1);
            });

    // Sent again later (different offset, later batch): already in Bronze, so skipped.
    StreamFixtures.send(topic, List.of(dup, events.get(2)));
    List<StreamBatchReport> run2 = StreamFixtures.job(lake, topic, 100).runUntilIdle();
    assertThat(run2)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.rowsWritten()).isEqualTo(1);
              assertThat(r.duplicates()).isEqualTo(1);
            });

    assertThat(StreamFixtures.count(lake, StreamJob.ORDER_EVENTS)).isEqualTo(3);
    assertThat(StreamFixtures.eventIds(lake))
        .isEqualTo(events.stream().map(OrderEvent::eventId).sorted().toList());
    assertThat(StreamFixtures.bronzeNet(lake)).isEqualByComparingTo(StreamFixtures.net(events));
  }
}
