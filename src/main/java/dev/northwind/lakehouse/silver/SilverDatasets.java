package dev.northwind.lakehouse.silver;

import dev.northwind.lakehouse.lake.DatasetKind;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.lake.WriteMode;
import dev.northwind.lakehouse.quality.Expectations;
import java.util.List;

/**
 * The Silver datasets of the pipeline graph, declared once. One flow ({@link SilverJob}) writes
 * them all: every expectation is checked before the first write, so a failing expectation leaves
 * every Silver table unchanged.
 */
public final class SilverDatasets {

  /** The flow that builds Silver from Bronze ({@code lakehouse silver}). */
  public static final String FLOW = "silver";

  private static final List<String> ORDER_INPUTS =
      List.of(
          "bronze.orders",
          "bronze.order_details",
          "bronze.customers",
          "bronze.products",
          "bronze.order_events");

  /** The declarations, in write order. */
  public static final List<DatasetSpec> ALL =
      List.of(
          new DatasetSpec(
              "silver.dim_customer",
              DatasetKind.MERGED_TABLE,
              WriteMode.SCD2,
              List.of("customer_id"),
              List.of("bronze.customers"),
              FLOW,
              "SilverTransforms.customerRows",
              Expectations.DIM_CUSTOMER,
              "customers with history: a version per change (valid_from, valid_to, is_current)"),
          new DatasetSpec(
              "silver.dim_product",
              DatasetKind.MERGED_TABLE,
              WriteMode.MERGE,
              List.of("product_id"),
              List.of("bronze.products", "bronze.categories", "bronze.suppliers"),
              FLOW,
              "SilverTransforms.dimProduct",
              Expectations.DIM_PRODUCT,
              "products with category and supplier"),
          new DatasetSpec(
              "silver.dim_employee",
              DatasetKind.MERGED_TABLE,
              WriteMode.MERGE,
              List.of("employee_id"),
              List.of("bronze.employees"),
              FLOW,
              "SilverTransforms.dimEmployee",
              Expectations.DIM_EMPLOYEE,
              "employees with their manager"),
          new DatasetSpec(
              "silver.dim_date",
              DatasetKind.MERGED_TABLE,
              WriteMode.MERGE,
              List.of("date_key"),
              List.of("bronze.orders", "bronze.order_events"),
              FLOW,
              "SilverTransforms.dimDate",
              "",
              "the calendar of every order date"),
          new DatasetSpec(
              "silver.fact_order_line",
              DatasetKind.MERGED_TABLE,
              WriteMode.MERGE,
              List.of("order_id", "product_id"),
              ORDER_INPUTS,
              FLOW,
              "SilverTransforms.factOrderLines",
              Expectations.FACT_ORDER_LINE,
              "order lines with exact DECIMAL amounts, batch and stream"),
          new DatasetSpec(
              "silver.fact_order",
              DatasetKind.MERGED_TABLE,
              WriteMode.MERGE,
              List.of("order_id"),
              ORDER_INPUTS,
              FLOW,
              "SilverTransforms.factOrders",
              Expectations.FACT_ORDER,
              "orders with their line totals, batch and stream"),
          new DatasetSpec(
              "silver.quarantine",
              DatasetKind.MERGED_TABLE,
              WriteMode.MERGE,
              List.of("expectation", "table_name", "row_json"),
              ORDER_INPUTS,
              FLOW,
              "rows dropped by expectations",
              "",
              "rows that failed a drop expectation, with the reason"),
          new DatasetSpec(
              "silver.quality_results",
              DatasetKind.STREAMING_TABLE,
              WriteMode.APPEND,
              List.of(),
              ORDER_INPUTS,
              FLOW,
              "one row per expectation per run",
              "",
              "expectation outcomes of every run"),
          // Declared last: the flow writes it first, but nothing else in the graph reads it.
          new DatasetSpec(
              ChangeApply.STATE.qualified(),
              DatasetKind.MERGED_TABLE,
              WriteMode.MERGE,
              List.of("source_schema", "source_table", "key"),
              List.of("bronze.cdc_changes"),
              FLOW,
              "ChangeApply: latest change per row by (lsn, txn_order), deletes as tombstones",
              "",
              "captured source rows as of their latest change; Silver is built from them once"
                  + " `lakehouse cdc` ran"));

  private SilverDatasets() {}
}
