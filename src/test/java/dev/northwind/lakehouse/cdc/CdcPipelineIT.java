package dev.northwind.lakehouse.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.northwind.lakehouse.testing.CliRun;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real PostgreSQL, Debezium, Kafka, Spark and Delta: a snapshot, then a scripted sequence of
 * inserts, updates and deletes on orders, order lines, products and customers, captured with {@code
 * lakehouse cdc --until-idle}; Bronze holds exactly those changes, in order, with the right rows
 * before and after, and re-running adds nothing.
 */
class CdcPipelineIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static CdcFixture f;

  @BeforeAll
  static void source() {
    f = CdcFixture.create("pipeline");
  }

  @AfterAll
  static void dropSlot() {
    f.dropSlot();
  }

  @Test
  void snapshotThenScriptedChangesReachBronzeOnceInOrder() throws Exception {
    CliRun first = f.cli("--until-idle");
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    List<Row> snapshot = f.changes();
    assertThat(snapshot).extracting(r -> r.getAs("op")).containsOnly("r");
    assertThat(snapshot)
        .extracting(r -> r.getAs("source_table") + " " + r.getAs("key"))
        .containsExactlyInAnyOrder(
            "customers {\"customer_id\":\"ALFKI\"}",
            "customers {\"customer_id\":\"ANATR\"}",
            "products {\"product_id\":1}",
            "products {\"product_id\":2}",
            "orders {\"order_id\":10248}",
            "order_details {\"order_id\":10248,\"product_id\":1}",
            "order_details {\"order_id\":10248,\"product_id\":2}");
    Row chai =
        snapshot.stream()
            .filter(r -> r.getAs("key").equals("{\"product_id\":1}"))
            .findFirst()
            .orElseThrow();
    assertThat(json(chai, "after").get("unit_price").asDouble()).isEqualTo(18.0);
    assertThat((Object) chai.getAs("before")).isNull();

    f.sql(
        "BEGIN; INSERT INTO orders VALUES (10249, 'ANATR', '1996-07-05', NULL, 11.61);"
            + " INSERT INTO order_details VALUES (10249, 1, 18, 9, 0), (10249, 2, 19, 40, 0); COMMIT",
        "UPDATE orders SET shipped_date = '1996-07-16', freight = 33.5 WHERE order_id = 10248",
        "UPDATE order_details SET quantity = 7, discount = 0.1 WHERE order_id = 10249 AND product_id = 1",
        "UPDATE products SET unit_price = 19.5 WHERE product_id = 1",
        "UPDATE customers SET address = 'Neue Str. 1' WHERE customer_id = 'ALFKI'",
        "DELETE FROM order_details WHERE order_id = 10248 AND product_id = 2",
        "BEGIN; DELETE FROM order_details WHERE order_id = 10249; DELETE FROM orders WHERE order_id = 10249; COMMIT",
        "DELETE FROM customers WHERE customer_id = 'ANATR'");
    CliRun second = f.cli("--until-idle");
    assertThat(second.code()).as(second.out() + second.err()).isZero();

    List<Row> streamed = f.changes().stream().filter(r -> !"r".equals(r.getAs("op"))).toList();
    assertThat(streamed)
        .extracting(r -> r.getAs("op") + " " + r.getAs("source_table") + " " + r.getAs("key"))
        .containsExactly(
            "c orders {\"order_id\":10249}",
            "c order_details {\"order_id\":10249,\"product_id\":1}",
            "c order_details {\"order_id\":10249,\"product_id\":2}",
            "u orders {\"order_id\":10248}",
            "u order_details {\"order_id\":10249,\"product_id\":1}",
            "u products {\"product_id\":1}",
            "u customers {\"customer_id\":\"ALFKI\"}",
            "d order_details {\"order_id\":10248,\"product_id\":2}",
            "d order_details {\"order_id\":10249,\"product_id\":1}",
            "d order_details {\"order_id\":10249,\"product_id\":2}",
            "d orders {\"order_id\":10249}",
            "d customers {\"customer_id\":\"ANATR\"}");
    // The first transaction: one id, positions 1..3 in it; commit time and LSN present.
    assertThat(streamed.subList(0, 3))
        .extracting(r -> r.<Long>getAs("txn_id"))
        .containsOnly(streamed.get(0).<Long>getAs("txn_id"));
    assertThat(streamed.subList(0, 3))
        .extracting(r -> r.<Long>getAs("txn_order"))
        .containsExactly(1L, 2L, 3L);
    assertThat(streamed).allSatisfy(r -> assertThat((Object) r.getAs("commit_time")).isNotNull());

    Row shipped = streamed.get(3);
    assertThat(json(shipped, "before").get("shipped_date").isNull()).isTrue();
    assertThat(json(shipped, "after").get("shipped_date").asText())
        .as("Debezium isostring date")
        .isEqualTo("1996-07-16Z");
    assertThat(json(shipped, "before").get("freight").asDouble()).isEqualTo(32.38);
    assertThat(json(shipped, "after").get("freight").asDouble()).isEqualTo(33.5);
    Row line = streamed.get(4);
    assertThat(json(line, "before").get("quantity").asInt()).isEqualTo(9);
    assertThat(json(line, "after").get("quantity").asInt()).isEqualTo(7);
    assertThat(json(line, "after").get("discount").asDouble()).isEqualTo(0.1);
    assertThat(json(streamed.get(5), "before").get("unit_price").asDouble()).isEqualTo(18.0);
    assertThat(json(streamed.get(5), "after").get("unit_price").asDouble()).isEqualTo(19.5);
    assertThat(json(streamed.get(6), "before").get("address").asText()).isEqualTo("Obere Str. 57");
    assertThat(json(streamed.get(6), "after").get("address").asText()).isEqualTo("Neue Str. 1");
    // Deletes carry the whole row before (REPLICA IDENTITY FULL) and no row after.
    Row gone = streamed.get(11);
    assertThat(json(gone, "before").get("company_name").asText())
        .isEqualTo("Ana Trujillo Emparedados y helados");
    assertThat((Object) gone.getAs("after")).isNull();
    assertThat(f.count(CdcBronzeJob.DEAD_LETTER)).isZero();

    // Nothing new: a re-run captures nothing and appends nothing.
    long before = f.count(CdcBronzeJob.CHANGES);
    CliRun third = f.cli("--until-idle");
    assertThat(third.code()).as(third.out() + third.err()).isZero();
    assertThat(f.count(CdcBronzeJob.CHANGES)).isEqualTo(before).isEqualTo(7 + 12);

    // Slot and offsets dropped: a new snapshot into this history would miss what changed while no
    // slot existed, so it is refused, in one line, and Bronze is left as it was.
    f.dropSlot();
    CliRun afterDrop = f.cli("--until-idle");
    assertThat(afterDrop.code()).as(afterDrop.out() + afterDrop.err()).isEqualTo(2);
    assertThat(afterDrop.err())
        .contains("already holds changes streamed through an earlier replication slot")
        .contains("Capture into a new lake (--lake DIR)")
        .doesNotContain("\tat ");
    assertThat(f.count(CdcBronzeJob.CHANGES)).isEqualTo(before);
  }

  private static JsonNode json(Row r, String column) throws Exception {
    return JSON.readTree((String) r.getAs(column));
  }
}
