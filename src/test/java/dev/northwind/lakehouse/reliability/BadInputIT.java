package dev.northwind.lakehouse.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.stream.OrderEvent;
import dev.northwind.lakehouse.stream.OrderEvents;
import dev.northwind.lakehouse.stream.ReferenceData;
import dev.northwind.lakehouse.stream.StreamJob;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.GoldenLake;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad source rows, schema drift and bad Kafka messages not covered by stream/DeadLetterIT (not
 * JSON, truncated, wrong types, missing fields, empty lines, negative quantity are there) or
 * stream/StreamDuplicatesIT (duplicate event ids). One source database and one lake, in steps.
 */
class BadInputIT {

  @TempDir java.nio.file.Path tmp;

  @Test
  void badSourceRowsSchemaDriftAndBadEvents() throws Exception {
    SparkSession spark = TestSpark.spark();
    // The generator's data (the golden lake's source), in a database of its own: the test breaks
    // it.
    String url = GoldenLake.shared().sourceCopy(BadInputIT.class);
    Lake lake = new Lake(tmp.resolve("lake").toUri());
    String customer;
    int product;
    int maxOrder;
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      customer = one(st, "SELECT min(customer_id) FROM customers");
      product = Integer.parseInt(one(st, "SELECT min(product_id) FROM products"));
      maxOrder = Integer.parseInt(one(st, "SELECT max(order_id) FROM orders"));
      // Source tables without constraints: keys may be NULL or repeated, references may dangle.
      for (String t : List.of("customers", "orders", "order_details")) {
        for (String con :
            list(st, "SELECT conname FROM pg_constraint WHERE conrelid = '" + t + "'::regclass")) {
          st.execute("ALTER TABLE " + t + " DROP CONSTRAINT IF EXISTS " + con + " CASCADE");
        }
      }
      st.execute("ALTER TABLE customers ALTER COLUMN customer_id DROP NOT NULL");
      st.execute("ALTER TABLE order_details ALTER COLUMN product_id DROP NOT NULL");
      st.execute(
          "INSERT INTO customers (customer_id, company_name) VALUES (NULL, 'Nameless Key Ltd')");
      int o1 = maxOrder + 1;
      int o2 = maxOrder + 2;
      st.execute(
          "INSERT INTO orders (order_id, customer_id, employee_id, order_date, ship_via, freight) VALUES "
              + "("
              + o1
              + ", '"
              + customer
              + "', 1, DATE '1998-05-06', 1, 1.5), ("
              + o2
              + ", 'ZZZZZ', 1, DATE '1998-05-06', 1, 2)");
      st.execute(
          "INSERT INTO order_details (order_id, product_id, unit_price, quantity, discount) VALUES "
              + "("
              + o1
              + ", "
              + product
              + ", 10, 1, 0), " // good
              + "("
              + o1
              + ", 99999, 10, 1, 0), " // orphan product
              + "("
              + o1
              + ", "
              + (product + 1)
              + ", 10, 1, 1.5), " // discount out of range
              + "("
              + o1
              + ", NULL, 10, 1, 0), " // NULL key
              + "("
              + o2
              + ", "
              + product
              + ", 10, 1, 0)"); // order of an unknown customer
    }
    String[] common = {
      "--lake",
      lake.root().toString(),
      "--jdbc-url",
      url,
      "--jdbc-user",
      TestPostgres.user(),
      "--set",
      "source.password=postgres"
    };

    // 1. NULL keys, orphan foreign keys, out-of-range discount → dropped into silver.quarantine
    // with the expectation.
    assertThat(CliRun.of(args("bronze", common)).code()).isZero();
    CliRun silver = CliRun.of(args("silver", common));
    assertThat(silver.code()).as(silver.err()).isZero();
    Map<String, Long> quarantined =
        lake
            .read(spark, SilverJob.QUARANTINE)
            .groupBy("expectation")
            .count()
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    System.err.println("BadInputIT quarantine after bad source rows: " + quarantined);
    assertThat(quarantined)
        .containsKeys(
            "customer_id_not_null",
            "line_key_not_null",
            "line_product_exists",
            "discount_in_range",
            "order_customer_exists");
    // An order is one unit: o1's good line does not reach Silver without its bad ones.
    assertThat(
            lake.read(spark, SilverJob.FACT_ORDER_LINE)
                .where("order_id = " + (maxOrder + 1))
                .count())
        .isZero();
    assertThat(
            lake.read(spark, SilverJob.FACT_ORDER)
                .where("order_id IN (" + (maxOrder + 1) + ", " + (maxOrder + 2) + ")")
                .count())
        .isZero();
    // The order and its good line, with the order-level reason.
    assertThat(quarantined)
        .containsEntry(
            "order "
                + (maxOrder + 1)
                + " quarantined: line failed discount_in_range, line_key_not_null, line_product_exists",
            2L);

    // 2. Bad and odd Kafka events, merged into Silver by the stream.
    badEvents(lake, customer, product, maxOrder);

    // 3. Schema drift: a new source column reaches Bronze; Silver still builds.
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(
          "ALTER TABLE shippers ADD COLUMN tracking_url text DEFAULT 'https://track.example/'");
    }
    CliRun drift = CliRun.of(args("bronze", common));
    assertThat(drift.code()).as(drift.err()).isZero();
    assertThat(lake.read(spark, TableId.bronze("shippers")).columns()).contains("tracking_url");
    assertThat(CliRun.of(args("silver", common)).code()).isZero();

    // 4. Duplicate primary keys in the source: a FAIL expectation stops Silver with a clear line.
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO orders (order_id, customer_id, employee_id, order_date, ship_via, freight) VALUES "
              + "("
              + (maxOrder + 3)
              + ", '"
              + customer
              + "', 1, DATE '1998-05-06', 1, 1)");
      st.execute(
          "INSERT INTO order_details (order_id, product_id, unit_price, quantity, discount) VALUES "
              + "("
              + (maxOrder + 3)
              + ", "
              + product
              + ", 10, 1, 0), ("
              + (maxOrder + 3)
              + ", "
              + product
              + ", 11, 2, 0)");
    }
    assertThat(CliRun.of(args("bronze", common)).code()).isZero();
    long factVersion =
        lake.delta(spark, SilverJob.FACT_ORDER_LINE)
            .history()
            .selectExpr("max(version)")
            .first()
            .getLong(0);
    CliRun dup = CliRun.of(args("silver", common));
    System.err.printf(
        "BadInputIT duplicate source key: silver exit %d: %s%n", dup.code(), dup.err().strip());
    assertThat(dup.code()).isEqualTo(1);
    assertThat(dup.err()).contains("line_key_unique").doesNotContain("\tat ");
    assertThat(
            lake.delta(spark, SilverJob.FACT_ORDER_LINE)
                .history()
                .selectExpr("max(version)")
                .first()
                .getLong(0))
        .isEqualTo(factVersion);

    // 5. A column type change (quantity smallint → text): a clear error or a safe widening, never a
    // stack trace.
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(
          "DELETE FROM order_details WHERE order_id = " + (maxOrder + 3) + " AND unit_price = 11");
      st.execute("ALTER TABLE order_details ALTER COLUMN quantity TYPE text");
      st.execute(
          "INSERT INTO orders (order_id, customer_id, employee_id, order_date, ship_via, freight) VALUES "
              + "("
              + (maxOrder + 4)
              + ", '"
              + customer
              + "', 1, DATE '1998-05-06', 1, 1)");
      st.execute(
          "INSERT INTO order_details (order_id, product_id, unit_price, quantity, discount) VALUES "
              + "("
              + (maxOrder + 4)
              + ", "
              + product
              + ", 10, '3', 0)");
    }
    CliRun typed = CliRun.of(args("bronze", common));
    System.err.printf(
        "BadInputIT quantity -> text: bronze exit %d: %s%n", typed.code(), typed.err().strip());
    assertThat(typed.code()).isIn(0, 1);
    assertThat(typed.err()).doesNotContain("\tat ");
    if (typed.code() == 1) {
      assertThat(typed.err()).contains("order_details");
    }
  }

  private void badEvents(Lake lake, String customer, int product, int maxOrder) throws Exception {
    SparkSession spark = TestSpark.spark();
    String topic = TestKafka.newTopic("bad-input", 1);
    Instant at = Instant.parse("2025-01-01T00:00:00Z");
    LocalDate day = LocalDate.of(1998, 5, 6);
    ReferenceData known = catalog(customer, product, maxOrder + 100, day);
    OrderEvent good1 = OrderEvents.generate(known, maxOrder + 101, 1, 1, at).get(0);
    OrderEvent good2 = OrderEvents.generate(known, maxOrder + 102, 1, 2, at).get(0);
    OrderEvent unknownCustomer =
        OrderEvents.generate(
                catalog("NOPE1", product, maxOrder + 100, day), maxOrder + 103, 1, 3, at)
            .get(0);
    OrderEvent unknownProduct =
        OrderEvents.generate(
                catalog(customer, 99999, maxOrder + 100, day), maxOrder + 104, 1, 4, at)
            .get(0);
    // An event for an order the batch source already has (and Silver holds): the batch row wins.
    OrderEvent batchOrder =
        OrderEvents.generate(catalog(customer, product, 0, day), maxOrder, 1, 5, at).get(0);
    OrderEvent hugeEvent = OrderEvents.generate(known, maxOrder + 105, 1, 6, at).get(0);
    String hugeJson =
        hugeEvent
            .toJson()
            .replaceFirst("\"ship_name\":\"", "\"ship_name\":\"" + "x".repeat(5 * 1024 * 1024));
    assertThat(hugeJson.length()).isGreaterThan(5_000_000);

    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 10 * 1024 * 1024);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (OrderEvent e : List.of(good1, unknownCustomer, unknownProduct, batchOrder)) {
        producer.send(new ProducerRecord<>(topic, e.key(), e.toJson())).get();
      }
      producer.send(new ProducerRecord<>(topic, hugeEvent.key(), hugeJson)).get();
      producer.send(new ProducerRecord<>(topic, good2.key(), good2.toJson())).get();
    }
    CliRun stream =
        CliRun.of(
            "stream",
            "--until-idle",
            "--lake",
            lake.root().toString(),
            "--kafka-bootstrap",
            TestKafka.bootstrap(),
            "--topic",
            topic);
    assertThat(stream.code()).as(stream.err()).isZero();
    List<String> inBronze =
        lake
            .read(spark, StreamJob.ORDER_EVENTS)
            .where("topic = '" + topic + "'")
            .select("event_id")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .toList();
    List<Row> dead =
        lake.exists(spark, StreamJob.DEAD_LETTER)
            ? lake.read(spark, StreamJob.DEAD_LETTER)
                .where("topic = '" + topic + "'")
                .selectExpr("offset", "reason", "length(value)")
                .collectAsList()
            : List.of();
    System.err.println(
        "BadInputIT stream: bronze events " + inBronze.size() + ", dead letters " + dead);
    assertThat(inBronze)
        .contains(
            good1.eventId(), good2.eventId(), unknownCustomer.eventId(), unknownProduct.eventId());
    boolean hugeInBronze = inBronze.contains(hugeEvent.eventId());
    boolean hugeDead = dead.stream().anyMatch(r -> r.getLong(0) == 4);
    System.err.println(
        "BadInputIT 5 MB event: "
            + (hugeInBronze ? "processed into Bronze" : hugeDead ? "dead-lettered" : "LOST"));
    assertThat(hugeInBronze || hugeDead).as("5 MB event processed or dead-lettered").isTrue();

    Dataset facts =
        new Dataset(
            lake.read(spark, SilverJob.FACT_ORDER).collectAsList(),
            lake.read(spark, SilverJob.FACT_ORDER).columns());
    assertThat(facts.has("order_id", good1.orderId())).isTrue();
    assertThat(facts.has("order_id", good2.orderId())).isTrue();
    assertThat(facts.has("order_id", unknownCustomer.orderId()))
        .as("order of an unknown customer")
        .isFalse();
    assertThat(
            lake.read(spark, SilverJob.FACT_ORDER_LINE)
                .where("order_id = " + unknownProduct.orderId())
                .count())
        .as("line of an unknown product")
        .isZero();
    assertThat(facts.has("order_id", unknownProduct.orderId()))
        .as("order whose only line names an unknown product")
        .isFalse();
    Map<String, Long> q =
        lake
            .read(spark, SilverJob.QUARANTINE)
            .where(
                "row_json LIKE '%"
                    + (maxOrder + 103)
                    + "%' OR row_json LIKE '%"
                    + (maxOrder + 104)
                    + "%'")
            .groupBy("expectation")
            .count()
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    System.err.println("BadInputIT stream quarantine: " + q);
    assertThat(q)
        .containsKeys(
            "order_customer_exists",
            "line_product_exists",
            "order " + unknownProduct.orderId() + " quarantined: line failed line_product_exists");
    List<Row> batchWins =
        lake.read(spark, SilverJob.FACT_ORDER)
            .where("order_id = " + maxOrder)
            .select("source")
            .collectAsList();
    assertThat(batchWins)
        .singleElement()
        .satisfies(r -> assertThat(r.getString(0)).isEqualTo("batch"));
  }

  /** Just enough of a collected table to ask whether a key is there. */
  record Dataset(List<Row> rows, String[] columns) {
    boolean has(String column, int value) {
      int i = List.of(columns).indexOf(column);
      return rows.stream().anyMatch(r -> !r.isNullAt(i) && ((Number) r.get(i)).intValue() == value);
    }
  }

  private static ReferenceData catalog(
      String customer, int product, int maxOrderId, LocalDate day) {
    return new ReferenceData(
        List.of(
            new ReferenceData.Customer(
                customer, "Co", "Street 1", "Berlin", null, "10115", "Germany")),
        List.of(1),
        List.of(1),
        List.of(new ReferenceData.Product(product, new BigDecimal("10"))),
        maxOrderId,
        day);
  }

  private static String[] args(String cmd, String[] common) {
    List<String> a = new ArrayList<>();
    a.add(cmd);
    a.addAll(List.of(common));
    return a.toArray(String[]::new);
  }

  private static String one(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static List<String> list(Statement st, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
