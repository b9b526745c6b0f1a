package dev.northwind.lakehouse.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.northwind.lakehouse.LakehouseException;
import dev.northwind.lakehouse.testing.TestSpark;
import java.sql.Timestamp;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The expectation checker on in-memory candidates: pure, nothing written. */
class QualityTest {

  private final SparkSession spark = TestSpark.spark();
  private static final Timestamp AT = Timestamp.valueOf("2024-01-01 00:00:00");

  /**
   * One good line (order 10, alone in its order, so the order-unit rule keeps it), then one bad
   * line per DROP rule of fact_order_line.
   */
  private Dataset<Row> lines(String extra) {
    return spark.sql(
        "SELECT * FROM VALUES "
            + "(10, 1, 10.0, 5, 0.0, true, true, true), "
            + "(NULL, 2, 10.0, 5, 0.0, true, true, true), " // line_key_not_null
            + "(1, 3, 10.0, 0, 0.0, true, true, true), " // quantity_positive
            + "(1, 4, -0.5, 5, 0.0, true, true, true), " // unit_price_non_negative
            + "(1, 5, 10.0, 5, 1.5, true, true, true), " // discount_in_range
            + "(1, 6, 10.0, 5, NULL, true, true, true), " // discount_in_range (NULL counts as
            // failed)
            + "(2, 7, 10.0, 5, 0.0, false, true, true), " // line_order_exists
            + "(1, 8, 10.0, 5, 0.0, true, false, true), " // line_product_exists
            + "(3, 9, 10.0, 5, 0.0, true, true, false)" // line_customer_exists
            + extra
            + " AS t(order_id, product_id, unit_price, quantity, discount, __order_found, __product_found, __customer_found)");
  }

  @Test
  void eachDropRuleQuarantinesItsRowAndCountsInOnePass() {
    CheckedRows c = Quality.check(lines(""), Expectations.FACT_ORDER_LINE, "run-q", AT);
    try {
      assertThat(c.good().collectAsList())
          .singleElement()
          .satisfies(r -> assertThat(r.getInt(1)).isEqualTo(1));
      assertThat(c.good().columns()).doesNotContain("__order_found");
      Map<String, Long> failed =
          c.results().stream()
              .collect(
                  Collectors.toMap(r -> r.expectation().name(), ExpectationResult::rowsFailed));
      assertThat(failed)
          .containsEntry("line_key_not_null", 1L)
          .containsEntry("quantity_positive", 1L)
          .containsEntry("unit_price_non_negative", 1L)
          .containsEntry("discount_in_range", 2L)
          .containsEntry("line_order_exists", 1L)
          .containsEntry("line_product_exists", 1L)
          .containsEntry("line_customer_exists", 1L)
          .containsEntry("line_key_unique", 0L)
          .containsEntry(
              "line_order_valid", 0L); // no line passed only to be dropped with its order
      assertThat(c.results()).allSatisfy(r -> assertThat(r.rowsChecked()).isEqualTo(9));
      assertThat(c.droppedRows()).isEqualTo(8);
      List<Row> q = c.quarantined().collectAsList();
      assertThat(q).hasSize(8);
      Map<String, String> byName =
          q.stream()
              .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(2), (a, b) -> a));
      assertThat(byName.get("quantity_positive")).contains("\"product_id\":3").doesNotContain("__");
      assertThat(byName.get("line_customer_exists")).contains("\"product_id\":9");
      assertThat(q).anySatisfy(r -> assertThat(r.getString(2)).contains("\"discount\":null"));
      assertThat(q)
          .allSatisfy(
              r -> {
                assertThat(r.getString(1)).isEqualTo("fact_order_line");
                assertThat(r.getString(3)).isEqualTo("run-q");
              });
      Quality.enforce(c.results()); // no FAIL rule failed
      assertThat(Quality.resultsFrame(spark, c.results(), "run-q", AT).schema())
          .isEqualTo(Quality.RESULTS_SCHEMA);
    } finally {
      c.release();
    }
  }

  @Test
  void aDuplicateKeyFailsWithTheExpectationCountAndKey() {
    CheckedRows c =
        Quality.check(
            lines(", (10, 1, 11.0, 5, 0.0, true, true, true)"),
            Expectations.FACT_ORDER_LINE,
            "run-f",
            AT);
    try {
      ExpectationResult unique =
          c.results().stream()
              .filter(r -> r.expectation().name().equals("line_key_unique"))
              .findFirst()
              .orElseThrow();
      assertThat(unique.rowsFailed()).isEqualTo(2);
      assertThat(unique.stopsRun()).isTrue();
      assertThatThrownBy(() -> Quality.enforce(c.results()))
          .isInstanceOf(LakehouseException.class)
          .hasMessageContaining("line_key_unique")
          .hasMessageContaining("fact_order_line")
          .hasMessageContaining("2 rows")
          .hasMessageContaining("{\"order_id\":10,\"product_id\":1}");
    } finally {
      c.release();
    }
  }

  @Test
  void warnKeepsTheRow() {
    Dataset<Row> orders =
        spark.sql(
            "SELECT * FROM VALUES "
                + "(1, DATE'1996-07-04', DATE'1996-07-03', true), (2, DATE'1996-07-04', NULL, true) "
                + "AS t(order_id, order_date, shipped_date, __customer_found)");
    CheckedRows c = Quality.check(orders, Expectations.FACT_ORDER, "run-w", AT);
    try {
      assertThat(c.good().count()).isEqualTo(2);
      assertThat(c.results())
          .filteredOn(r -> r.expectation().action() == Action.WARN)
          .singleElement()
          .satisfies(r -> assertThat(r.rowsFailed()).isEqualTo(1));
      assertThat(c.droppedRows()).isZero();
    } finally {
      c.release();
    }
  }

  /**
   * Order 1: one bad line out of three; 2: all good; 3: no lines; 4: fails its own rule (its line
   * then fails line_order_exists); 5: its only line names an unknown product; 6: two lines failing
   * different rules, one good line.
   */
  @Test
  void aBadLineQuarantinesItsWholeOrder() {
    Dataset<Row> orders =
        spark.sql(
            "SELECT * FROM VALUES "
                + "(1, DATE'1996-07-04', NULL, true), (2, DATE'1996-07-04', NULL, true), (3, DATE'1996-07-04', NULL, true), "
                + "(4, NULL, NULL, true), (5, DATE'1996-07-04', NULL, true), (6, DATE'1996-07-04', NULL, true) "
                + "AS t(order_id, order_date, shipped_date, __customer_found)");
    Dataset<Row> lines =
        spark.sql(
            "SELECT * FROM VALUES "
                + "(1, 1, 10.0, 5, 0.0, true, true, true), (1, 2, 10.0, 0, 0.0, true, true, true), "
                + "(1, 3, 10.0, 5, 0.0, true, true, true), "
                + "(2, 1, 10.0, 5, 0.0, true, true, true), (2, 2, 10.0, 5, 0.0, true, true, true), "
                + "(4, 1, 10.0, 5, 0.0, false, true, true), "
                + "(5, 99, 10.0, 5, 0.0, true, false, true), "
                + "(6, 1, 10.0, 5, 2.0, true, true, true), (6, 2, -1.0, 5, 0.0, true, true, true), "
                + "(6, 3, 10.0, 5, 0.0, true, true, true) "
                + "AS t(order_id, product_id, unit_price, quantity, discount, "
                + "__order_found, __product_found, __customer_found)");
    CheckedRows own = Quality.check(orders, Expectations.FACT_ORDER, "run-u", AT);
    CheckedRows checkedLines = Quality.check(lines, Expectations.FACT_ORDER_LINE, "run-u", AT);
    try {
      assertThat(ids(checkedLines.good())).containsExactlyInAnyOrder("2/1", "2/2");
      Map<String, Long> lineFailed = failed(checkedLines);
      assertThat(lineFailed)
          .containsEntry("quantity_positive", 1L)
          .containsEntry("line_product_exists", 1L)
          .containsEntry("line_order_exists", 1L)
          .containsEntry("discount_in_range", 1L)
          .containsEntry("unit_price_non_negative", 1L)
          .containsEntry("line_order_valid", 3L); // 1/1, 1/3, 6/3
      assertThat(checkedLines.droppedRows()).isEqualTo(8);
      assertThat(checkedLines.keptOrders()).isEqualTo(1);
      assertThat(reasons(checkedLines.quarantined()))
          .containsExactlyInAnyOrder(
              "quantity_positive|1/2",
              "order 1 quarantined: line failed quantity_positive|1/1",
              "order 1 quarantined: line failed quantity_positive|1/3",
              "line_order_exists|4/1",
              "line_product_exists|5/99",
              "discount_in_range|6/1",
              "unit_price_non_negative|6/2",
              "order 6 quarantined: line failed discount_in_range, unit_price_non_negative|6/3");

      CheckedRows whole = Quality.wholeOrders(own, checkedLines, "run-u", AT);
      assertThat(ids(whole.good())).containsExactly("2");
      assertThat(failed(whole))
          .containsEntry("order_date_not_null", 1L)
          .containsEntry("order_lines_valid", 4L);
      assertThat(whole.results()).allSatisfy(r -> assertThat(r.rowsChecked()).isEqualTo(6));
      assertThat(whole.droppedRows()).isEqualTo(5);
      assertThat(reasons(whole.quarantined()))
          .containsExactlyInAnyOrder(
              "order_date_not_null|4",
              "order 1 quarantined: line failed quantity_positive|1",
              "order 3 quarantined: no lines|3",
              "order 5 quarantined: line failed line_product_exists|5",
              "order 6 quarantined: line failed discount_in_range, unit_price_non_negative|6");
      assertThat(whole.quarantined().collectAsList())
          .allSatisfy(
              r -> {
                assertThat(r.getString(1)).isEqualTo("fact_order");
                assertThat(r.getString(2)).doesNotContain("__");
              });
    } finally {
      own.release();
      checkedLines.release();
    }
  }

  /** "order/product" (or "order") of each row. */
  private static List<String> ids(Dataset<Row> rows) {
    return rows.collectAsList().stream()
        .map(
            r ->
                List.of(r.schema().fieldNames()).contains("product_id")
                    ? r.getAs("order_id") + "/" + r.getAs("product_id")
                    : String.valueOf(r.<Object>getAs("order_id")))
        .toList();
  }

  private static Map<String, Long> failed(CheckedRows c) {
    return c.results().stream()
        .collect(Collectors.toMap(r -> r.expectation().name(), ExpectationResult::rowsFailed));
  }

  /** "reason|order/product" of each quarantined row, read back from its JSON. */
  private List<String> reasons(Dataset<Row> quarantined) {
    return quarantined
        .selectExpr(
            "expectation",
            "concat_ws('/', get_json_object(row_json, '$.order_id'), get_json_object(row_json, '$.product_id'))")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0) + "|" + r.getString(1))
        .toList();
  }

  @Test
  void expectationsAreDeclaredOnceWithUniqueNames() {
    List<Expectation> all = Expectations.all();
    assertThat(new HashSet<>(all.stream().map(Expectation::name).toList())).hasSize(all.size());
    assertThat(all).extracting(Expectation::action).contains(Action.WARN, Action.DROP, Action.FAIL);
    for (Expectation e : all) {
      assertThat(Expectations.keys(e.table())).isNotEmpty();
    }
  }
}
