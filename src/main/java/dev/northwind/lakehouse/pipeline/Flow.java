package dev.northwind.lakehouse.pipeline;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.lake.Lake;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The work that refreshes some datasets of the graph (one flow may write several datasets). */
@FunctionalInterface
interface Flow {

  /**
   * Refreshes the given datasets, all outputs of this flow (a flow may refresh more of its outputs
   * than asked when they cannot be written apart, e.g. Silver checks every expectation first).
   *
   * @throws dev.northwind.lakehouse.LakehouseException when the flow fails; what it committed
   *     before failing stays (every commit is atomic), and the run stops
   */
  void refresh(Request request);

  /**
   * What one refresh works with.
   *
   * @param stale the datasets to refresh
   * @param outputs every stored dataset of the flow
   * @param consumed the versions of the flow's lake inputs its last refresh consumed (the lowest,
   *     where its outputs' records differ); empty when an output has no record or on a full
   *     refresh. A flow may process only what its inputs gained since.
   * @param mode {@link RefreshMode#FULL_REFRESH}: recompute, whatever was recorded
   */
  record Request(
      SparkSession spark,
      Lake lake,
      List<DatasetSpec> stale,
      List<DatasetSpec> outputs,
      String runId,
      Progress progress,
      Map<String, Long> consumed,
      RefreshMode mode) {}
}
