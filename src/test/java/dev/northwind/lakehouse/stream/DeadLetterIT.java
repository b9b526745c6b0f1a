package dev.northwind.lakehouse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestSpark;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Each kind of bad message lands in the dead-letter table with its reason; good ones around it
 * pass.
 */
class DeadLetterIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void badMessagesAreDeadLetteredWithTheirReason() throws Exception {
    String topic = TestKafka.newTopic("dead-letter", 1);
    Lake lake = TestSpark.newLake();
    List<OrderEvent> good = StreamFixtures.events(40001, 9, 4L);

    // value → expected reason (prefix); sent in this order between two good events.
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("hello, this is not an order", "not JSON");
    String full = good.get(1).toJson();
    bad.put(full.substring(0, full.length() / 2), "truncated JSON");
    bad.put(
        mutate(
            good.get(2), o -> ((ObjectNode) o.withArray("lines").get(0)).put("quantity", "lots")),
        "wrong type for lines[0].quantity");
    bad.put(mutate(good.get(3), o -> o.remove("order_id")), "missing field order_id");
    bad.put(mutate(good.get(4), o -> o.putArray("lines")), "empty lines");
    bad.put(
        mutate(good.get(5), o -> ((ObjectNode) o.withArray("lines").get(0)).put("quantity", -3)),
        "negative quantity in lines[0]");
    bad.put(mutate(good.get(6), o -> o.put("order_id", "11078")), "wrong type for order_id");
    bad.put(
        mutate(good.get(7), o -> ((ObjectNode) o.withArray("lines").get(0)).put("discount", 1.5)),
        "discount out of range");
    bad.put("[1, 2, 3]", "not a JSON object");

    try (OrderEventProducer p = new OrderEventProducer(TestKafka.bootstrap(), topic)) {
      p.send(List.of(good.get(0)), 0);
      for (String value : bad.keySet()) {
        p.sendRaw("k", value);
      }
      p.send(List.of(good.get(8)), 0);
    }

    List<StreamBatchReport> run = StreamFixtures.job(lake, topic, 1000).runUntilIdle();
    assertThat(run)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.rowsIn()).isEqualTo(2 + bad.size());
              assertThat(r.deadLettered()).isEqualTo(bad.size());
              assertThat(r.rowsWritten()).isEqualTo(2);
            });

    assertThat(StreamFixtures.eventIds(lake))
        .containsExactlyInAnyOrder(good.get(0).eventId(), good.get(8).eventId());
    List<Row> dead =
        StreamFixtures.lakeTable(lake, StreamJob.DEAD_LETTER)
            .selectExpr(
                "value",
                "key",
                "topic",
                "partition",
                "offset",
                "reason",
                "_source_system",
                "_run_id")
            .orderBy("offset")
            .collectAsList();
    assertThat(dead).hasSize(bad.size());
    int i = 0;
    for (Map.Entry<String, String> e : bad.entrySet()) {
      Row r = dead.get(i);
      assertThat(r.getString(0)).isEqualTo(e.getKey());
      assertThat(r.getString(1)).isEqualTo("k");
      assertThat(r.getString(2)).isEqualTo(topic);
      assertThat(r.getInt(3)).isZero();
      assertThat(r.getLong(4)).isEqualTo(i + 1);
      assertThat(r.getString(5)).as("reason of %s", e.getKey()).startsWith(e.getValue());
      assertThat(r.getString(6)).isEqualTo("kafka:" + TestKafka.bootstrap() + "/" + topic);
      assertThat(r.getString(7)).endsWith(":0");
      i++;
    }
    assertThat(
            StreamFixtures.lakeTable(lake, StreamJob.BATCHES)
                .selectExpr("dead_lettered")
                .first()
                .getLong(0))
        .isEqualTo(bad.size());
  }

  private static String mutate(OrderEvent e, Consumer<ObjectNode> change) throws Exception {
    ObjectNode o = (ObjectNode) JSON.readTree(e.toJson());
    change.accept(o);
    return JSON.writeValueAsString(o);
  }
}
