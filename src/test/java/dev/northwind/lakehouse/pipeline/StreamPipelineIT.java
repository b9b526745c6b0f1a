package dev.northwind.lakehouse.pipeline;

import static dev.northwind.lakehouse.pipeline.Figures.SPARK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.gold.GoldReport;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.stream.OrderEvent;
import dev.northwind.lakehouse.stream.OrderEventProducer;
import dev.northwind.lakehouse.stream.OrderEvents;
import dev.northwind.lakehouse.stream.OrderLine;
import dev.northwind.lakehouse.stream.ReferenceData;
import dev.northwind.lakehouse.stream.SilverSink;
import dev.northwind.lakehouse.stream.StreamBatchReport;
import dev.northwind.lakehouse.stream.StreamJob;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.GoldenLake;
import dev.northwind.lakehouse.testing.Jobs;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestPostgres;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Order events from real Kafka into a copy of the golden lake (generator data): Bronze, Silver (the
 * stream's Silver sink) and a Gold re-run grow by exactly what was sent; duplicates count once; an
 * event for an order the batch source already holds is ignored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamPipelineIT {

  private static final int EVENTS = 50;

  private String url;
  private Connection db;
  private Lake lake;
  private String topic;
  private ReferenceData catalog;
  private List<OrderEvent> events;

  @BeforeAll
  void copyGoldenLake() throws Exception {
    // The stream changes Silver and Gold: a copy of the golden lake. The source is only read.
    GoldenLake golden = GoldenLake.shared();
    assertThat(golden.gold().outcome()).isEqualTo(GoldReport.Outcome.WRITTEN);
    url = golden.jdbcUrl();
    db = golden.connect();
    lake = golden.lakeCopy();
    topic = TestKafka.newTopic("e2e-pipeline", 2);
    catalog = ReferenceData.read(TestPostgres.source(url));
    events =
        OrderEvents.generate(
            catalog,
            catalog.maxOrderId() + 1,
            EVENTS,
            20250101L,
            Instant.parse("2025-01-01T00:00:00Z"));
  }

  @AfterAll
  void close() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  /** The same adapter as `lakehouse stream`: each micro-batch merged into Silver. */
  private SilverSink silverSink() {
    return (spark, orders, lines, runId) ->
        SilverJob.mergeStreamOrders(spark, lake, orders, lines, runId);
  }

  private List<StreamBatchReport> streamUntilIdle() {
    return new StreamJob(
            SPARK,
            lake,
            TestKafka.bootstrap(),
            topic,
            new LakehouseConfig.Stream("1 second", 1000, LakehouseConfig.StreamSilver.MERGE),
            Progress.NONE)
        .withSilver(silverSink())
        .runUntilIdle();
  }

  private void send(List<OrderEvent> toSend) {
    try (OrderEventProducer p = new OrderEventProducer(TestKafka.bootstrap(), topic)) {
      p.send(toSend, 0);
    }
  }

  private Dataset<Row> lines() {
    return Figures.read(lake, SilverJob.FACT_ORDER_LINE);
  }

  private static BigDecimal net(List<OrderEvent> events) {
    return events.stream().map(OrderEvent::netAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  @Test
  @Order(1)
  void fiftyEventsGrowSilverAndGoldByExactlyTheirAmount() {
    long linesBefore = lines().count();
    BigDecimal silverBefore = Figures.sum(lines(), "net_amount");
    BigDecimal goldBefore = Figures.lastKpi(lake).getAs("net_revenue");
    long ordersBefore = Figures.lastKpi(lake).getAs("orders");
    assertThat(goldBefore).isEqualByComparingTo(silverBefore);
    long eventLines = events.stream().mapToLong(e -> e.lines().size()).sum();
    BigDecimal sent = net(events);

    send(events);
    List<StreamBatchReport> run = streamUntilIdle();
    assertThat(run.stream().mapToLong(StreamBatchReport::rowsWritten).sum()).isEqualTo(EVENTS);
    assertThat(Figures.read(lake, StreamJob.ORDER_EVENTS).count()).isEqualTo(EVENTS);

    Dataset<Row> streamed = lines().where("source = 'stream'");
    assertThat(streamed.count()).isEqualTo(eventLines);
    assertThat(streamed.where("event_id IS NULL").count()).isZero();
    assertThat(lines().count()).isEqualTo(linesBefore + eventLines);
    assertThat(Figures.read(lake, SilverJob.FACT_ORDER).where("source = 'stream'").count())
        .isEqualTo(EVENTS);
    assertThat(Figures.sum(streamed, "net_amount")).isEqualByComparingTo(sent);
    assertThat(Figures.sum(lines(), "net_amount")).isEqualByComparingTo(silverBefore.add(sent));

    GoldReport gold = Jobs.gold(lake, "stream-gold-2");
    assertThat(gold.outcome()).isEqualTo(GoldReport.Outcome.WRITTEN);
    Row kpi = Figures.lastKpi(lake);
    assertThat(kpi.<BigDecimal>getAs("net_revenue")).isEqualByComparingTo(goldBefore.add(sent));
    assertThat(kpi.<Long>getAs("orders")).isEqualTo(ordersBefore + EVENTS);
    assertThat(kpi.<Long>getAs("stream_orders")).isEqualTo(EVENTS);
    assertThat(kpi.<BigDecimal>getAs("stream_net_revenue")).isEqualByComparingTo(sent);
  }

  @Test
  @Order(2)
  void eventsSentAgainAreCountedOnce() {
    long linesBefore = lines().count();
    BigDecimal netBefore = Figures.sum(lines(), "net_amount");

    send(events.subList(0, 5));
    List<StreamBatchReport> run = streamUntilIdle();
    assertThat(run.stream().mapToLong(StreamBatchReport::rowsWritten).sum()).isZero();
    assertThat(run.stream().mapToLong(StreamBatchReport::duplicates).sum()).isEqualTo(5);

    assertThat(Figures.read(lake, StreamJob.ORDER_EVENTS).count()).isEqualTo(EVENTS);
    assertThat(lines().count()).isEqualTo(linesBefore);
    assertThat(Figures.sum(lines(), "net_amount")).isEqualByComparingTo(netBefore);
    assertThat(Figures.read(lake, SilverJob.FACT_ORDER).where("source = 'stream'").count())
        .isEqualTo(EVENTS);
  }

  @Test
  @Order(3)
  void anEventForAnOrderOfTheBatchSourceLeavesTheBatchRow() {
    Row batchOrder =
        Figures.read(lake, SilverJob.FACT_ORDER)
            .where("source = 'batch'")
            .orderBy("order_id")
            .first();
    int orderId = batchOrder.getAs("order_id");
    BigDecimal batchNet = batchOrder.getAs("net_amount");
    Dataset<Row> orderLines = lines().where("order_id = " + orderId);
    long batchLines = orderLines.count();
    BigDecimal batchLinesNet = Figures.sum(orderLines, "net_amount");
    long linesBefore = lines().count();
    BigDecimal netBefore = Figures.sum(lines(), "net_amount");

    // The same order id as the batch row, with other lines and a new event id.
    OrderEvent template = events.get(0);
    ReferenceData.Product product = catalog.products().get(0);
    OrderEvent copy =
        new OrderEvent(
            UUID.randomUUID().toString(),
            Instant.parse("2025-01-02T00:00:00Z"),
            orderId,
            batchOrder.getAs("customer_id"),
            template.employeeId(),
            template.orderDate(),
            template.requiredDate(),
            null,
            template.shipVia(),
            new BigDecimal("12.50"),
            template.shipName(),
            template.shipAddress(),
            template.shipCity(),
            template.shipRegion(),
            template.shipPostalCode(),
            template.shipCountry(),
            List.of(new OrderLine(product.id(), product.unitPrice(), 37, new BigDecimal("0.1"))));
    assertThat(copy.netAmount()).isNotEqualByComparingTo(batchNet);
    send(List.of(copy));
    List<StreamBatchReport> run = streamUntilIdle();
    assertThat(run.stream().mapToLong(StreamBatchReport::rowsWritten).sum()).isEqualTo(1);
    assertThat(Figures.read(lake, StreamJob.ORDER_EVENTS).count()).isEqualTo(EVENTS + 1);

    Row after = Figures.read(lake, SilverJob.FACT_ORDER).where("order_id = " + orderId).first();
    assertThat(after.<String>getAs("source")).isEqualTo("batch");
    assertThat(after.<BigDecimal>getAs("net_amount")).isEqualByComparingTo(batchNet);
    Dataset<Row> linesAfter = lines().where("order_id = " + orderId);
    assertThat(linesAfter.count()).isEqualTo(batchLines);
    assertThat(linesAfter.where("source <> 'batch' OR event_id IS NOT NULL").count()).isZero();
    assertThat(Figures.sum(linesAfter, "net_amount")).isEqualByComparingTo(batchLinesNet);
    assertThat(lines().count()).isEqualTo(linesBefore);
    assertThat(Figures.sum(lines(), "net_amount")).isEqualByComparingTo(netBefore);
    assertThat(Figures.read(lake, SilverJob.FACT_ORDER).where("source = 'stream'").count())
        .isEqualTo(EVENTS);
  }

  @Test
  @Order(4)
  void withStreamSilverOffEventsWaitInBronzeUntilSilverRuns() {
    List<OrderEvent> more =
        OrderEvents.generate(
            catalog,
            catalog.maxOrderId() + 1000,
            7,
            20250201L,
            Instant.parse("2025-02-01T00:00:00Z"));
    long eventLines = more.stream().mapToLong(e -> e.lines().size()).sum();
    long bronzeBefore = Figures.read(lake, StreamJob.ORDER_EVENTS).count();
    long linesBefore = lines().count();
    BigDecimal netBefore = Figures.sum(lines(), "net_amount");
    send(more);

    CliRun run =
        CliRun.of(
            "stream",
            "--until-idle",
            "--lake",
            lake.root().toString(),
            "--kafka-bootstrap",
            TestKafka.bootstrap(),
            "--topic",
            topic,
            "--set",
            "stream.silver=off");
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out() + run.err()).contains("stream.silver=off");
    assertThat(Figures.read(lake, StreamJob.ORDER_EVENTS).count())
        .isEqualTo(bronzeBefore + more.size());
    // Bronze only: Silver did not move.
    assertThat(lines().count()).isEqualTo(linesBefore);
    assertThat(Figures.sum(lines(), "net_amount")).isEqualByComparingTo(netBefore);

    // The next Silver run merges the waiting events, to the cent.
    Jobs.silver(lake, "stream-silver-off");
    assertThat(lines().count()).isEqualTo(linesBefore + eventLines);
    assertThat(Figures.sum(lines(), "net_amount")).isEqualByComparingTo(netBefore.add(net(more)));
  }
}
