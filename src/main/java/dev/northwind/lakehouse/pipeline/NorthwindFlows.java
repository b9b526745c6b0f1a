package dev.northwind.lakehouse.pipeline;

import dev.northwind.lakehouse.bronze.BronzeDatasets;
import dev.northwind.lakehouse.bronze.BronzeJob;
import dev.northwind.lakehouse.bronze.BronzeOptions;
import dev.northwind.lakehouse.bronze.BronzeReport;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.gold.GoldDatasets;
import dev.northwind.lakehouse.gold.GoldJob;
import dev.northwind.lakehouse.lake.DatasetKind;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.silver.SilverDatasets;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.source.JdbcSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The flows of the Northwind graph: each one calls its layer's job. */
final class NorthwindFlows {

  private NorthwindFlows() {}

  static Map<String, Flow> of(LakehouseConfig config, Supplier<JdbcSource> source) {
    return Map.of(
        BronzeDatasets.FLOW, r -> bronze(config, source.get(), r),
        SilverDatasets.FLOW,
            r -> SilverJob.run(r.spark(), r.lake(), r.runId(), r.progress(), r.consumed()),
        GoldDatasets.FLOW, NorthwindFlows::gold);
  }

  /** The selected source tables (all of them when every declared one is stale). */
  private static void bronze(LakehouseConfig config, JdbcSource source, Flow.Request r) {
    List<String> tables = sourceTables(r.stale());
    // Every declared table stale: ingest every base table of the schema, as `lakehouse bronze`
    // always did (a table added to the source is picked up too).
    List<String> subset =
        tables.isEmpty() || tables.size() == sourceTables(r.outputs()).size() ? List.of() : tables;
    BronzeReport report =
        BronzeJob.run(
            r.spark(), r.lake(), source, BronzeOptions.from(config, subset), r.progress());
    r.progress().report(report.summary());
    report.requireAllSucceeded(source.system());
  }

  /** The source tables the given Bronze datasets copy. */
  private static List<String> sourceTables(List<DatasetSpec> datasets) {
    return datasets.stream()
        .filter(d -> d.inputs().stream().anyMatch(i -> i.startsWith(DatasetSpec.SOURCE)))
        .map(d -> d.name().substring("bronze.".length()))
        .toList();
  }

  private static void gold(Flow.Request r) {
    Set<String> names = new LinkedHashSet<>();
    for (DatasetSpec d : r.stale()) {
      if (d.kind() != DatasetKind.VIEW) {
        names.add(d.name().substring("gold.".length()));
      }
    }
    GoldJob.refresh(
        r.spark(),
        r.lake(),
        r.runId(),
        r.progress(),
        names,
        r.mode() == RefreshMode.FULL_REFRESH ? GoldJob.Mode.RECOMPUTE : GoldJob.Mode.INCREMENTAL);
  }
}
