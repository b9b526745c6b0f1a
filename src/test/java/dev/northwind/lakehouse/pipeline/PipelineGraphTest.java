package dev.northwind.lakehouse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.northwind.lakehouse.LakehouseException;
import dev.northwind.lakehouse.config.ConfigLoader;
import dev.northwind.lakehouse.gold.GoldDatasets;
import dev.northwind.lakehouse.lake.DatasetKind;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.lake.WriteMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The declared graph: order, selection and validation, without Spark. */
class PipelineGraphTest {

  private final PipelineGraph graph =
      PipelineGraph.northwind(ConfigLoader.load(Map.of(), Map.of(), Optional.empty()));

  @Test
  void everyInputComesBeforeTheDatasetsThatReadIt() {
    List<String> order = graph.datasets().stream().map(DatasetSpec::name).toList();
    for (DatasetSpec d : graph.datasets()) {
      for (String in : d.inputs()) {
        if (!DatasetSpec.external(in)) {
          assertThat(order.indexOf(in))
              .as(d.name() + " reads " + in)
              .isLessThan(order.indexOf(d.name()));
        }
      }
    }
    assertThat(graph.flows()).containsSubsequence("bronze", "silver", "gold");
  }

  @Test
  void everyLayerIsDeclared() {
    assertThat(graph.select("bronze.*"))
        .contains("bronze.orders", "bronze.customers", "bronze.order_events")
        .hasSize(14 + 5);
    assertThat(graph.select("silver.*"))
        .containsExactly(
            "silver.dim_customer",
            "silver.dim_product",
            "silver.dim_employee",
            "silver.dim_date",
            "silver.fact_order_line",
            "silver.fact_order",
            "silver.quarantine",
            "silver.quality_results",
            "silver.cdc_state");
    assertThat(graph.dataset("gold.kpi_summary").mode()).isEqualTo(WriteMode.APPEND);
    assertThat(graph.dataset("gold.line_base").kind()).isEqualTo(DatasetKind.VIEW);
    assertThat(graph.dataset("bronze.orders").kind()).isEqualTo(DatasetKind.STREAMING_TABLE);
    assertThat(graph.dataset("bronze.customers").kind()).isEqualTo(DatasetKind.SNAPSHOT);
    assertThat(GoldDatasets.tableNames()).endsWith("kpi_summary").hasSize(10);
  }

  @Test
  void aTrailingPlusSelectsWhatDependsOnTheDataset() {
    assertThat(graph.select("gold.revenue_by_country+")).containsExactly("gold.revenue_by_country");
    assertThat(graph.select("gold.rfm_quartiles+"))
        .containsExactly("gold.rfm_quartiles", "gold.rfm_customer", "gold.rfm_segment");
    assertThat(graph.select("silver.dim_employee+"))
        .containsExactly("silver.dim_employee", "gold.employee_performance");
  }

  @Test
  void aLeadingPlusSelectsWhatTheDatasetReads() {
    assertThat(graph.select("+gold.top_products"))
        .containsExactly(
            "bronze.categories",
            "bronze.customers",
            "bronze.order_details",
            "bronze.orders",
            "bronze.products",
            "bronze.suppliers",
            "bronze.order_events",
            "silver.dim_product",
            "silver.fact_order_line",
            "gold.line_base",
            "gold.top_products");
  }

  @Test
  void tablesInputsLookThroughViews() {
    assertThat(graph.tableInputs("gold.revenue_by_country"))
        .containsExactlyInAnyOrder("silver.fact_order", "silver.dim_customer");
    assertThat(graph.readsExternal("bronze.orders")).isTrue();
    assertThat(graph.readsExternal("silver.fact_order")).isFalse();
  }

  @Test
  void anUnknownSelectorIsAUsageErrorListingTheDatasets() {
    assertThatThrownBy(() -> graph.select("gold.revenue_by_planet"))
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining("--select gold.revenue_by_planet matches no dataset")
        .hasMessageContaining("gold.revenue_by_country");
  }

  @Test
  void aCycleOrAnUndeclaredInputIsRefused() {
    DatasetSpec a = spec("gold.a", "gold.b");
    DatasetSpec b = spec("gold.b", "gold.a");
    assertThatThrownBy(() -> new PipelineGraph(List.of(a, b))).hasMessageContaining("cycle");
    assertThatThrownBy(() -> new PipelineGraph(List.of(spec("gold.a", "silver.nothing"))))
        .hasMessageContaining("gold.a reads silver.nothing, which is not declared");
    assertThatThrownBy(() -> new PipelineGraph(List.of(spec("gold.a"), spec("gold.a"))))
        .hasMessageContaining("declared twice");
  }

  private static DatasetSpec spec(String name, String... inputs) {
    return new DatasetSpec(
        name,
        DatasetKind.MATERIALIZED_VIEW,
        WriteMode.OVERWRITE,
        List.of(),
        List.of(inputs),
        "gold",
        "",
        "",
        "");
  }
}
