package dev.northwind.lakehouse.pipeline;

import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.lake.Refresh;
import java.util.Map;
import java.util.Optional;

/**
 * A dataset's state as the runner sees it before a run.
 *
 * @param spec its declaration
 * @param version its current Delta version, -1 when not built (or a view)
 * @param last its last recorded refresh
 * @param inputs the current version of every table it reads (through views)
 * @param stale why it would be refreshed now, empty when it is up to date
 */
public record DatasetStatus(
    DatasetSpec spec,
    long version,
    Optional<Refresh> last,
    Map<String, Long> inputs,
    Optional<String> stale) {

  public DatasetStatus {
    inputs = Map.copyOf(inputs);
  }
}
