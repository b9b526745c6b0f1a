package dev.northwind.lakehouse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Orders generated from a real source database, sent to a real broker, streamed into Bronze. */
class ProducerToBronzeIT {

  static JdbcSource source;

  @BeforeAll
  static void sourceDatabase() {
    String url = TestPostgres.freshDatabase(ProducerToBronzeIT.class);
    source = TestPostgres.source(url);
    TestPostgres.execute(
        url,
        "CREATE TABLE customers (customer_id varchar(5) PRIMARY KEY, company_name text, address text, city text, region text, postal_code text, country text)",
        "INSERT INTO customers VALUES ('ALFKI','Alfreds Futterkiste','Obere Str. 57','Berlin',NULL,'12209','Germany'),"
            + " ('ANATR','Ana Trujillo Emparedados y helados','Avda. de la Constitución 2222','México D.F.',NULL,'05021','Mexico'),"
            + " ('WOLZA','Wolski Zajazd','ul. Filtrowa 68','Warszawa',NULL,'01-012','Poland')",
        "CREATE TABLE employees (employee_id smallint PRIMARY KEY, last_name text)",
        "INSERT INTO employees VALUES (1,'Davolio'),(2,'Fuller'),(5,'Buchanan')",
        "CREATE TABLE shippers (shipper_id smallint PRIMARY KEY, company_name text)",
        "INSERT INTO shippers VALUES (1,'Speedy Express'),(2,'United Package'),(3,'Federal Shipping')",
        "CREATE TABLE products (product_id smallint PRIMARY KEY, product_name text, unit_price real, discontinued integer)",
        "INSERT INTO products VALUES (1,'Chai',18,0),(5,'Chef Anton''s Gumbo Mix',21.35,1),(14,'Tofu',23.25,0),"
            + " (17,'Alice Mutton',39,0),(38,'Côte de Blaye',263.5,0),(41,'Jack''s Clam Chowder',9.65,0),(43,'Ipoh Coffee',46,0),(76,'Lakkalikööri',18,0)",
        "CREATE TABLE orders (order_id smallint PRIMARY KEY, customer_id varchar(5), order_date date)",
        "INSERT INTO orders VALUES (10248,'WOLZA','1996-07-04'),(11077,'ALFKI','1998-05-06')");
  }

  @Test
  void fiftyProducedEventsLandInBronzeWithTheirNetTotal() {
    String topic = TestKafka.newTopic("produce", 2);
    Lake lake = TestSpark.newLake();
    List<OrderEvent> sent;
    try (OrderEventProducer producer = new OrderEventProducer(TestKafka.bootstrap(), topic)) {
      sent = producer.produce(source, OptionalInt.empty(), 50, 0, 42L, Progress.NONE);
    }
    assertThat(sent).hasSize(50);
    assertThat(sent)
        .extracting(OrderEvent::orderId)
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(11078, 11127).boxed().toList());
    // Realistic: existing keys, active products only, distinct products per order, contract ranges.
    assertThat(sent)
        .allSatisfy(
            e -> {
              assertThat(e.customerId()).isIn("ALFKI", "ANATR", "WOLZA");
              assertThat(e.employeeId()).isIn(1, 2, 5);
              assertThat(e.shipVia()).isIn(1, 2, 3);
              assertThat(e.orderDate())
                  .isBetween(LocalDate.of(1998, 5, 6), LocalDate.of(1998, 5, 7));
              assertThat(e.lines()).hasSizeBetween(1, 5);
              assertThat(e.lines())
                  .extracting(OrderLine::productId)
                  .doesNotHaveDuplicates()
                  .doesNotContain(5);
              assertThat(e.lines())
                  .allSatisfy(
                      l -> {
                        assertThat(l.quantity()).isBetween(1, 60);
                        assertThat(OrderEvents.DISCOUNTS)
                            .anySatisfy(d -> assertThat(d).isEqualByComparingTo(l.discount()));
                      });
            });
    assertThat(
            sent.stream()
                .flatMap(e -> e.lines().stream())
                .filter(l -> l.productId() == 41)
                .findFirst())
        .hasValueSatisfying(l -> assertThat(l.unitPrice()).isEqualByComparingTo("9.65"));

    // The generator is a pure function: the same inputs give the same orders (event time aside).
    List<OrderEvent> again =
        OrderEvents.generate(ReferenceData.read(source), 11078, 50, 42L, Instant.EPOCH);
    assertThat(again.stream().map(e -> e.at(Instant.EPOCH)).toList())
        .isEqualTo(sent.stream().map(e -> e.at(Instant.EPOCH)).toList());

    List<StreamBatchReport> reports = StreamFixtures.job(lake, topic, 1000).runUntilIdle();

    assertThat(StreamFixtures.count(lake, StreamJob.ORDER_EVENTS)).isEqualTo(50);
    assertThat(StreamFixtures.eventIds(lake))
        .isEqualTo(sent.stream().map(OrderEvent::eventId).sorted().toList());
    assertThat(StreamFixtures.bronzeNet(lake)).isEqualByComparingTo(StreamFixtures.net(sent));
    assertThat(StreamFixtures.count(lake, StreamJob.DEAD_LETTER)).isZero();
    assertThat(reports).extracting(StreamBatchReport::rowsWritten).containsExactly(50L);
    assertThat(reports.get(0).lagMaxMs())
        .isGreaterThanOrEqualTo(reports.get(0).lagP50Ms())
        .isPositive();

    Row lineage =
        TestSpark.spark()
            .read()
            .format("delta")
            .load(lake.location(StreamJob.ORDER_EVENTS))
            .selectExpr(
                "_source_system",
                "_source_table",
                "_run_id",
                "_ingestion_date IS NOT NULL",
                "_ingested_at IS NOT NULL")
            .distinct()
            .first();
    assertThat(lineage.getString(0)).isEqualTo("kafka:" + TestKafka.bootstrap() + "/" + topic);
    assertThat(lineage.getString(1)).isEqualTo("order_events");
    assertThat(lineage.getString(2)).endsWith(":0");
    assertThat(lineage.getBoolean(3)).isTrue();
    assertThat(lineage.getBoolean(4)).isTrue();

    Row batch =
        StreamFixtures.lakeTable(lake, StreamJob.BATCHES)
            .selectExpr(
                "batch_id", "rows_in", "dead_lettered", "lag_p50_ms", "lag_max_ms", "committed_at")
            .first();
    assertThat(batch.getLong(0)).isZero();
    assertThat(batch.getLong(1)).isEqualTo(50);
    assertThat(batch.getLong(2)).isZero();

    // Orders on the topic but not yet in Bronze keep their ids: the next ones continue after them.
    try (OrderEventProducer producer = new OrderEventProducer(TestKafka.bootstrap(), topic)) {
      List<OrderEvent> more =
          producer.produce(
              source,
              OrderEventProducer.bronzeMaxOrderId(TestSpark.spark(), lake),
              3,
              0,
              7L,
              Progress.NONE);
      assertThat(more).extracting(OrderEvent::orderId).containsExactly(11128, 11129, 11130);
      assertThat(producer.topicMaxOrderId()).isEqualTo(11130);
    }
    assertThat(OrderEventProducer.bronzeMaxOrderId(TestSpark.spark(), lake)).hasValue(11127);
    assertThat(sent.stream().map(OrderEvent::eventId).collect(Collectors.toSet())).hasSize(50);
  }
}
