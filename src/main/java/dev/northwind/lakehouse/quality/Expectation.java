package dev.northwind.lakehouse.quality;

/**
 * One data-quality rule of a Silver table.
 *
 * @param name unique name, stored in quarantine and quality results (e.g. {@code
 *     quantity_positive})
 * @param table the Silver table whose candidate rows it checks (e.g. {@code fact_order_line})
 * @param rule a Spark SQL boolean expression over the candidate row that is TRUE for good rows; it
 *     may use window functions (uniqueness). NULL counts as a failure. The order-unit rules of
 *     {@link Expectations} are applied by {@link Quality} itself; their text says what they check.
 * @param action what happens to failing rows
 */
public record Expectation(String name, String table, String rule, Action action) {}
