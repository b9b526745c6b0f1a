package dev.northwind.lakehouse.quality;

import static dev.northwind.lakehouse.quality.Action.DROP;
import static dev.northwind.lakehouse.quality.Action.FAIL;
import static dev.northwind.lakehouse.quality.Action.WARN;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every data-quality expectation of the Silver layer, declared once here.
 *
 * <p>Rules run over the <em>candidate</em> rows of a Silver table: the Bronze columns (source
 * names, e.g. {@code quantity}, {@code discount}), the lineage columns, and flag columns the Silver
 * transforms add for lookups ({@code __order_found}, {@code __product_found}, {@code
 * __customer_found}; columns starting with {@code __} never reach Silver or the quarantine JSON). A
 * rule that evaluates to NULL counts as failed. Uniqueness rules are window expressions, so they
 * see the whole batch being processed (the Bronze snapshot, after "latest row per key" for the
 * incremental tables).
 *
 * <p>An order and its lines are one unit ({@link #ORDER_LINES_VALID}, {@link #LINE_ORDER_VALID}):
 * when a line fails a DROP expectation, its order and all the order's other lines are quarantined
 * too, so Silver never holds a partial order (nor an empty one). These two rules are not evaluated
 * row by row like the others: {@link Quality#check} applies the line rule over each order's lines,
 * and {@link Quality#wholeOrders} the order rule after both tables are checked.
 */
public final class Expectations {

  /** Silver tables that have expectations. */
  public static final String DIM_CUSTOMER = "dim_customer";

  public static final String DIM_PRODUCT = "dim_product";
  public static final String DIM_EMPLOYEE = "dim_employee";
  public static final String FACT_ORDER = "fact_order";
  public static final String FACT_ORDER_LINE = "fact_order_line";

  private static final List<Expectation> ALL =
      List.of(
          // dim_customer (Bronze customers snapshot)
          new Expectation(
              "customer_id_not_null",
              DIM_CUSTOMER,
              "customer_id IS NOT NULL AND trim(customer_id) <> ''",
              DROP),
          new Expectation(
              "customer_id_unique",
              DIM_CUSTOMER,
              "customer_id IS NULL OR count(1) OVER (PARTITION BY trim(customer_id)) = 1",
              FAIL),
          // dim_product (Bronze products snapshot)
          notNull(DIM_PRODUCT, "product_id"),
          unique(DIM_PRODUCT, "product_id"),
          // dim_employee (Bronze employees snapshot)
          notNull(DIM_EMPLOYEE, "employee_id"),
          unique(DIM_EMPLOYEE, "employee_id"),
          // fact_order (latest Bronze row per order, or stream candidates)
          notNull(FACT_ORDER, "order_id"),
          unique(FACT_ORDER, "order_id"),
          notNull(FACT_ORDER, "order_date"),
          new Expectation("order_customer_exists", FACT_ORDER, "__customer_found", DROP),
          new Expectation(
              "shipped_not_before_order",
              FACT_ORDER,
              "shipped_date IS NULL OR order_date IS NULL OR shipped_date >= order_date",
              WARN),
          // fact_order_line (latest Bronze row per (order_id, product_id), or stream candidates)
          new Expectation(
              "line_key_not_null",
              FACT_ORDER_LINE,
              "order_id IS NOT NULL AND product_id IS NOT NULL",
              DROP),
          new Expectation(
              "line_key_unique",
              FACT_ORDER_LINE,
              "order_id IS NULL OR product_id IS NULL OR count(1) OVER (PARTITION BY order_id, product_id) = 1",
              FAIL),
          new Expectation("quantity_positive", FACT_ORDER_LINE, "quantity > 0", DROP),
          new Expectation("unit_price_non_negative", FACT_ORDER_LINE, "unit_price >= 0", DROP),
          new Expectation("discount_in_range", FACT_ORDER_LINE, "discount BETWEEN 0 AND 1", DROP),
          new Expectation("line_order_exists", FACT_ORDER_LINE, "__order_found", DROP),
          new Expectation("line_product_exists", FACT_ORDER_LINE, "__product_found", DROP),
          new Expectation("line_customer_exists", FACT_ORDER_LINE, "__customer_found", DROP));

  /** DROP a row whose {@code key} is NULL; named {@code <key>_not_null}. */
  private static Expectation notNull(String table, String key) {
    return new Expectation(key + "_not_null", table, key + " IS NOT NULL", DROP);
  }

  /**
   * FAIL when a {@code key} value stands in more than one row (NULL keys are the not-null rule's);
   * named {@code <key>_unique}.
   */
  private static Expectation unique(String table, String key) {
    return new Expectation(
        key + "_unique",
        table,
        key + " IS NULL OR count(1) OVER (PARTITION BY " + key + ") = 1",
        FAIL);
  }

  /** The column that ties a line to its order (the order-unit rule groups lines by it). */
  public static final String ORDER_KEY = "order_id";

  /**
   * A line is kept only when every line of its order passed its own DROP expectations. {@code
   * __row_kept} is the line's own verdict, which {@link Quality#check} adds before this rule. A
   * line that fails its own expectations is quarantined for those, not counted here.
   */
  public static final Expectation LINE_ORDER_VALID =
      new Expectation(
          "line_order_valid",
          FACT_ORDER_LINE,
          "bool_and(__row_kept) OVER (PARTITION BY " + ORDER_KEY + ")",
          DROP);

  /**
   * An order is kept only when it has lines and all of them were kept (an order that fails its own
   * expectations is quarantined for those, not counted here). The rule text documents what {@link
   * Quality#wholeOrders} does with a semi-join against the kept lines.
   */
  public static final Expectation ORDER_LINES_VALID =
      new Expectation(
          "order_lines_valid",
          FACT_ORDER,
          ORDER_KEY + " IN (SELECT " + ORDER_KEY + " FROM kept fact_order_line candidates)",
          DROP);

  /** Key columns per table, used for the example key of a failure. */
  private static final Map<String, List<String>> KEYS =
      Map.of(
          DIM_CUSTOMER, List.of("customer_id"),
          DIM_PRODUCT, List.of("product_id"),
          DIM_EMPLOYEE, List.of("employee_id"),
          FACT_ORDER, List.of("order_id"),
          FACT_ORDER_LINE, List.of("order_id", "product_id"));

  private Expectations() {}

  /** All expectations, the row rules in declaration order, then the two order-unit rules. */
  public static List<Expectation> all() {
    return Stream.concat(ALL.stream(), Stream.of(LINE_ORDER_VALID, ORDER_LINES_VALID)).toList();
  }

  /**
   * The row expectations of one Silver table, in declaration order: the rules {@link Quality#check}
   * evaluates on each row (the order-unit rules are not among them).
   */
  public static List<Expectation> of(String table) {
    return ALL.stream().filter(e -> e.table().equals(table)).toList();
  }

  /** The order-unit rule that applies to the rows of this table while they are checked, if any. */
  static Optional<Expectation> unitRule(String table) {
    return table.equals(FACT_ORDER_LINE) ? Optional.of(LINE_ORDER_VALID) : Optional.empty();
  }

  /** The expectation of that name. */
  public static Expectation named(String name) {
    return all().stream()
        .filter(e -> e.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no expectation named " + name));
  }

  /** The key columns of a table's candidate rows. */
  public static List<String> keys(String table) {
    List<String> k = KEYS.get(table);
    if (k == null) {
      throw new IllegalArgumentException("no expectations for table " + table);
    }
    return k;
  }
}
