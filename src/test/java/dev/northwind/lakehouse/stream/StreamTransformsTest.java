package dev.northwind.lakehouse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Schemas;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The pure transformations on Kafka-shaped rows, and the per-batch Delta idempotence. */
class StreamTransformsTest {

  static final StructType KAFKA =
      Schemas.of(
          "key BINARY, value BINARY, topic STRING, partition INT, offset BIGINT, "
              + "timestamp TIMESTAMP, timestampType INT");

  static Dataset<Row> kafkaRows(List<String> values) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      rows.add(
          RowFactory.create(
              "k".getBytes(StandardCharsets.UTF_8),
              values.get(i).getBytes(StandardCharsets.UTF_8),
              "t",
              0,
              (long) i,
              new Timestamp(0),
              0));
    }
    return TestSpark.spark().createDataFrame(rows, KAFKA);
  }

  @Test
  void eventsBecomeBronzeShapedOrdersAndLines() {
    List<OrderEvent> events = StreamFixtures.events(60001, 4, 6L);
    Dataset<Row> accepted =
        StreamTransforms.accepted(
            StreamTransforms.parse(kafkaRows(events.stream().map(OrderEvent::toJson).toList())));

    Dataset<Row> orders = StreamTransforms.toOrders(accepted);
    Dataset<Row> lines = StreamTransforms.toLines(accepted);
    assertThat(orders.columns())
        .containsExactly(
            "order_id",
            "customer_id",
            "employee_id",
            "order_date",
            "required_date",
            "shipped_date",
            "ship_via",
            "freight",
            "ship_name",
            "ship_address",
            "ship_city",
            "ship_region",
            "ship_postal_code",
            "ship_country",
            "event_id",
            "event_time");
    assertThat(lines.columns())
        .containsExactly(
            "order_id", "product_id", "unit_price", "quantity", "discount", "event_id");
    assertThat(orders.schema().apply("freight").dataType())
        .isEqualTo(DataTypes.createDecimalType(12, 4));
    assertThat(lines.schema().apply("discount").dataType())
        .isEqualTo(DataTypes.createDecimalType(5, 4));
    assertThat(orders.count()).isEqualTo(4);
    assertThat(lines.count()).isEqualTo(events.stream().mapToLong(e -> e.lines().size()).sum());
    Row first = orders.filter("order_id = 60001").first();
    OrderEvent e = events.get(0);
    assertThat(first.getString(1)).isEqualTo(e.customerId());
    assertThat(first.getDate(3).toLocalDate()).isEqualTo(e.orderDate());
    assertThat(first.getDecimal(7)).isEqualByComparingTo(e.freight());
    assertThat(first.getString(14)).isEqualTo(e.eventId());
    BigDecimal sparkNet =
        lines
            .selectExpr("sum(CAST(unit_price * quantity * (1 - discount) AS DECIMAL(20,8)))")
            .first()
            .getDecimal(0);
    assertThat(sparkNet).isEqualByComparingTo(StreamFixtures.net(events));
  }

  /** A replayed batch id is skipped by Delta (txnVersion), for the dead letters as well. */
  @Test
  void replayedBatchIsNotWrittenTwice() {
    Lake lake = TestSpark.newLake();
    List<OrderEvent> events = StreamFixtures.events(61001, 2, 7L);
    Dataset<Row> batch = kafkaRows(List.of(events.get(0).toJson(), "nope", events.get(1).toJson()));
    AtomicReference<Long> silverOrders = new AtomicReference<>(0L);
    StreamJob job =
        StreamFixtures.job(lake, "t", 10)
            .withSilver(
                (SparkSession s, Dataset<Row> o, Dataset<Row> l, String runId) ->
                    silverOrders.accumulateAndGet(o.count(), Long::sum));
    job.process(batch, 0);
    job.process(batch, 0);

    assertThat(StreamFixtures.count(lake, StreamJob.ORDER_EVENTS)).isEqualTo(2);
    assertThat(StreamFixtures.count(lake, StreamJob.DEAD_LETTER)).isEqualTo(1);
    assertThat(StreamFixtures.count(lake, StreamJob.BATCHES)).isEqualTo(1);
    // Silver is called again on a replay (it must be idempotent) with the batch's valid orders.
    assertThat(silverOrders.get()).isEqualTo(4);
    assertThat(job.reports()).extracting(StreamBatchReport::rowsWritten).containsExactly(2L, 0L);
  }
}
