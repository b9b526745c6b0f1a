package dev.northwind.lakehouse.gold;

import dev.northwind.lakehouse.lake.DatasetKind;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.lake.WriteMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Gold datasets of the pipeline graph, declared once. Each is one SQL resource ({@code
 * sql/gold/<name>.sql}) that reads the Silver tables and the views declared before it by their
 * short names ({@code line_base}, {@code order_base}, ...). Adding a Gold table is one SQL resource
 * plus one line here.
 *
 * <p>Views are shared bases computed once per refresh and cached, never stored. Tables are
 * materialized views: overwritten in one commit when any input changed, except {@code kpi_summary},
 * which appends one row per refresh and is written last, as the marker of a complete refresh.
 */
public final class GoldDatasets {

  /** The flow that refreshes Gold ({@code lakehouse gold}). */
  public static final String FLOW = "gold";

  /** The declarations in dependency order: a dataset only reads those declared before it. */
  public static final List<DatasetSpec> ALL =
      List.of(
          view(
              "customer", "base_customer", "current customers with country", "silver.dim_customer"),
          view(
              "line_base",
              "base_line",
              "order lines with product and category",
              "silver.fact_order_line",
              "silver.dim_product"),
          view(
              "order_base",
              "base_order",
              "orders with customer country",
              "silver.fact_order",
              "gold.customer"),
          view(
              "rfm_metric",
              "rfm_metric",
              "recency, frequency and monetary value per customer",
              "gold.order_base"),
          table(
              "revenue_by_country",
              "net revenue, orders and customers per country",
              List.of(),
              "gold.order_base"),
          table(
              "revenue_by_month", "net revenue and orders per month", List.of(), "gold.order_base"),
          table(
              "revenue_cumulative_by_country",
              "running net revenue per country and month",
              List.of(),
              "gold.order_base"),
          table(
              "revenue_by_category",
              "net revenue and units per category",
              List.of(),
              "gold.line_base"),
          table("top_products", "products ranked by net revenue", List.of(), "gold.line_base"),
          table(
              "employee_performance",
              "net revenue and orders per employee",
              List.of(),
              "gold.order_base",
              "silver.dim_employee"),
          table(
              "rfm_quartiles", "exact quartiles of each RFM metric", List.of(), "gold.rfm_metric"),
          table(
              "rfm_customer",
              "RFM scores and segment per customer",
              List.of(),
              "gold.customer",
              "gold.rfm_metric",
              "gold.rfm_quartiles"),
          table(
              "rfm_segment",
              "customers and revenue per RFM segment",
              List.of(),
              "gold.rfm_customer"),
          new DatasetSpec(
              "gold.kpi_summary",
              DatasetKind.MATERIALIZED_VIEW,
              WriteMode.APPEND,
              List.of(),
              List.of(
                  "gold.customer", "silver.fact_order_line", "gold.order_base", "gold.rfm_metric"),
              FLOW,
              "sql/gold/kpi_summary.sql",
              "",
              "headline KPIs, one row appended per refresh (the latest row is current)"));

  /**
   * A Gold table whose content is sums by key over orders: {@code sql/gold/<name>_sums.sql}
   * computes the sums from the bases, and {@code sql/gold/<name>.sql} derives the table from them
   * (ranks, shares, running totals, names). When Silver only gained new orders, the new orders'
   * sums added to the table's stored ones equal the sums over all orders, to the cent: a count of
   * distinct orders too, as a new order is in no stored sum. {@link AdditiveRefresh} decides when
   * that holds.
   *
   * @param keys the grouping columns
   * @param attributes columns that are functions of the keys (taken with MAX, as the sums query
   *     does)
   * @param sums the additive columns
   */
  record Sums(List<String> keys, List<String> attributes, List<String> sums) {

    /** Every column of the sums query, keys first. */
    List<String> columns() {
      List<String> out = new ArrayList<>(keys);
      out.addAll(attributes);
      out.addAll(sums);
      return out;
    }
  }

  /**
   * The Gold tables that take new orders without a recompute, by short name. The others are
   * recomputed: revenue_by_country counts distinct customers (a new order of a known customer adds
   * none), the RFM tables score every customer against all others, and kpi_summary holds a median.
   */
  static final Map<String, Sums> ADDITIVE =
      Map.of(
          "revenue_by_month",
          new Sums(List.of("month"), List.of(), List.of("orders", "net_revenue")),
          "revenue_cumulative_by_country",
          new Sums(List.of("country", "month"), List.of(), List.of("net_revenue")),
          "revenue_by_category",
          new Sums(
              List.of("category_id", "category_name"),
              List.of(),
              List.of("net_revenue", "quantity", "orders")),
          "top_products",
          new Sums(
              List.of("product_id"),
              List.of("product_name", "category_name"),
              List.of("net_revenue", "quantity", "orders")),
          "employee_performance",
          new Sums(List.of("employee_id"), List.of(), List.of("orders", "net_revenue")));

  private GoldDatasets() {}

  /** The short names of the Gold tables that can take new orders without a recompute. */
  public static Set<String> additive() {
    return ADDITIVE.keySet();
  }

  /** The stored Gold tables' short names, in write order (kpi_summary last). */
  public static List<String> tableNames() {
    return ALL.stream()
        .filter(d -> d.kind() != DatasetKind.VIEW)
        .map(GoldDatasets::shortName)
        .toList();
  }

  /** {@code revenue_by_country} for {@code gold.revenue_by_country}. */
  static String shortName(DatasetSpec d) {
    return d.name().substring(d.name().indexOf('.') + 1);
  }

  /** The SQL resource name of a Gold dataset, e.g. {@code base_line} for the view line_base. */
  static String sqlName(DatasetSpec d) {
    String t = d.transform();
    return t.substring("sql/gold/".length(), t.length() - ".sql".length());
  }

  /**
   * The named tables grouped so that each group reads only stored Gold tables of earlier groups
   * (views are computed inside the tables that read them): the order to materialise them in.
   */
  static List<List<String>> levels(Set<String> tables) {
    java.util.Map<String, Integer> level = new java.util.LinkedHashMap<>();
    for (DatasetSpec d : ALL) {
      String name = shortName(d);
      if (d.kind() == DatasetKind.VIEW || !tables.contains(name)) {
        continue;
      }
      int l = 0;
      for (String in : d.inputs()) {
        Integer upstream = level.get(in.substring(in.indexOf('.') + 1));
        if (in.startsWith("gold.") && upstream != null) {
          l = Math.max(l, upstream + 1);
        }
      }
      level.put(name, l);
    }
    List<List<String>> out = new ArrayList<>();
    level.forEach(
        (name, l) -> {
          while (out.size() <= l) {
            out.add(new ArrayList<>());
          }
          out.get(l).add(name);
        });
    return out;
  }

  private static DatasetSpec view(String name, String sql, String description, String... inputs) {
    return new DatasetSpec(
        "gold." + name,
        DatasetKind.VIEW,
        WriteMode.NONE,
        List.of(),
        List.of(inputs),
        FLOW,
        "sql/gold/" + sql + ".sql",
        "",
        description);
  }

  private static DatasetSpec table(
      String name, String description, List<String> keys, String... inputs) {
    return new DatasetSpec(
        "gold." + name,
        DatasetKind.MATERIALIZED_VIEW,
        WriteMode.OVERWRITE,
        keys,
        List.of(inputs),
        FLOW,
        "sql/gold/" + name + ".sql",
        "",
        description);
  }
}
