package dev.northwind.lakehouse.silver;

import dev.northwind.lakehouse.quality.ExpectationResult;
import java.util.List;
import java.util.Map;

/**
 * What a Silver run did.
 *
 * @param runId the run's id (stored in facts, quarantine and quality results)
 * @param results every expectation's result
 * @param rowsDropped distinct candidate rows moved to quarantine
 * @param changedRows per Silver table, the source rows that changed it (0: table untouched, no new
 *     Delta version); for dim_customer, the versions inserted
 */
public record SilverReport(
    String runId,
    List<ExpectationResult> results,
    long rowsDropped,
    Map<String, Long> changedRows) {}
