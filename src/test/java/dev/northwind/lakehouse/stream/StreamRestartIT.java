package dev.northwind.lakehouse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestSpark;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stop and start again on the same checkpoint: nothing lost, nothing twice. */
class StreamRestartIT {

  @Test
  void runUntilIdleTwiceWithMoreEventsInBetween() {
    String topic = TestKafka.newTopic("restart", 2);
    Lake lake = TestSpark.newLake();
    List<OrderEvent> first = StreamFixtures.events(20001, 30, 1L);
    StreamFixtures.send(topic, first);

    List<StreamBatchReport> run1 = StreamFixtures.job(lake, topic, 1000).runUntilIdle();
    assertThat(run1).extracting(StreamBatchReport::rowsIn).containsExactly(30L);
    assertThat(StreamFixtures.count(lake, StreamJob.ORDER_EVENTS)).isEqualTo(30);

    List<OrderEvent> second = StreamFixtures.events(20031, 20, 2L);
    StreamFixtures.send(topic, second);
    List<StreamBatchReport> run2 = StreamFixtures.job(lake, topic, 1000).runUntilIdle();
    assertThat(run2).extracting(StreamBatchReport::rowsIn).containsOnly(20L);
    assertThat(run2.get(0).batchId()).isGreaterThan(run1.get(run1.size() - 1).batchId());

    List<OrderEvent> all = new ArrayList<>(first);
    all.addAll(second);
    assertThat(StreamFixtures.count(lake, StreamJob.ORDER_EVENTS)).isEqualTo(50);
    assertThat(StreamFixtures.eventIds(lake))
        .isEqualTo(all.stream().map(OrderEvent::eventId).sorted().toList());
    assertThat(StreamFixtures.bronzeNet(lake)).isEqualByComparingTo(StreamFixtures.net(all));

    // Nothing new: no batch, no change.
    assertThat(StreamFixtures.job(lake, topic, 1000).runUntilIdle()).isEmpty();
    assertThat(StreamFixtures.count(lake, StreamJob.ORDER_EVENTS)).isEqualTo(50);
    assertThat(StreamFixtures.count(lake, StreamJob.BATCHES)).isEqualTo(run1.size() + run2.size());
  }
}
