package dev.northwind.lakehouse.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;

/** Shared helpers of the stream tests: a tiny catalog, jobs on the shared broker and session. */
final class StreamFixtures {

  private StreamFixtures() {}

  static final int SOURCE_MAX_ORDER_ID = 11077;
  static final LocalDate SOURCE_MAX_ORDER_DATE = LocalDate.of(1998, 5, 6);

  /** A small catalog like Northwind's, without a database. */
  static ReferenceData catalog() {
    return new ReferenceData(
        List.of(
            new ReferenceData.Customer(
                "ALFKI",
                "Alfreds Futterkiste",
                "Obere Str. 57",
                "Berlin",
                null,
                "12209",
                "Germany"),
            new ReferenceData.Customer(
                "BONAP", "Bon app'", "12, rue des Bouchers", "Marseille", null, "13008", "France"),
            new ReferenceData.Customer(
                "GREAL",
                "Great Lakes Food Market",
                "2732 Baker Blvd.",
                "Eugene",
                "OR",
                "97403",
                "USA")),
        List.of(1, 2, 3),
        List.of(1, 2, 3),
        List.of(
            new ReferenceData.Product(1, new BigDecimal("18")),
            new ReferenceData.Product(2, new BigDecimal("19")),
            new ReferenceData.Product(11, new BigDecimal("21")),
            new ReferenceData.Product(14, new BigDecimal("23.25")),
            new ReferenceData.Product(42, new BigDecimal("14")),
            new ReferenceData.Product(72, new BigDecimal("34.8")),
            new ReferenceData.Product(77, new BigDecimal("13"))),
        SOURCE_MAX_ORDER_ID,
        SOURCE_MAX_ORDER_DATE);
  }

  static List<OrderEvent> events(int firstOrderId, int count, long seed) {
    return OrderEvents.generate(
        catalog(), firstOrderId, count, seed, Instant.parse("2025-01-01T00:00:00Z"));
  }

  static StreamJob job(Lake lake, String topic, int maxOffsetsPerTrigger) {
    return new StreamJob(
        TestSpark.spark(),
        lake,
        TestKafka.bootstrap(),
        topic,
        new LakehouseConfig.Stream(
            "1 second", maxOffsetsPerTrigger, LakehouseConfig.StreamSilver.MERGE),
        Progress.NONE);
  }

  static void send(String topic, List<OrderEvent> events) {
    try (OrderEventProducer p = new OrderEventProducer(TestKafka.bootstrap(), topic)) {
      p.send(events, 0);
    }
  }

  static BigDecimal net(List<OrderEvent> events) {
    BigDecimal total = BigDecimal.ZERO;
    for (OrderEvent e : events) {
      for (OrderLine l : e.lines()) {
        // Computed here from the contract formula, not with the production helper.
        total =
            total.add(
                l.unitPrice()
                    .multiply(new BigDecimal(l.quantity()))
                    .multiply(BigDecimal.ONE.subtract(l.discount())));
      }
    }
    return total;
  }

  /** The net total of every line in bronze.order_events, summed exactly by Spark. */
  static BigDecimal bronzeNet(Lake lake) {
    Row r =
        lake.read(TestSpark.spark(), StreamJob.ORDER_EVENTS)
            .select(explode(col("lines")).as("l"))
            .agg(expr("sum(CAST(l.unit_price * l.quantity * (1 - l.discount) AS DECIMAL(20,8)))"))
            .first();
    return r.isNullAt(0) ? BigDecimal.ZERO : r.getDecimal(0);
  }

  static long count(Lake lake, dev.northwind.lakehouse.lake.TableId table) {
    return lake.exists(TestSpark.spark(), table) ? lake.read(TestSpark.spark(), table).count() : 0;
  }

  static long distinctEvents(Lake lake) {
    return lake.read(TestSpark.spark(), StreamJob.ORDER_EVENTS)
        .select("event_id")
        .distinct()
        .count();
  }

  static List<String> eventIds(Lake lake) {
    return lake
        .read(TestSpark.spark(), StreamJob.ORDER_EVENTS)
        .select("event_id")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .sorted()
        .toList();
  }

  static org.apache.spark.sql.Dataset<Row> lakeTable(
      Lake lake, dev.northwind.lakehouse.lake.TableId table) {
    return lake.read(TestSpark.spark(), table);
  }
}
