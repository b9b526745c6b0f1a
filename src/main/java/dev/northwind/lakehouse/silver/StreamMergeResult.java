package dev.northwind.lakehouse.silver;

import dev.northwind.lakehouse.quality.ExpectationResult;
import java.util.List;

/**
 * What one merge of stream orders into the facts did.
 *
 * @param ordersChanged fact_order rows inserted or updated (0 for a re-merge of the same events)
 * @param linesChanged fact_order_line rows inserted, updated or deleted
 * @param ordersIgnored candidate orders skipped because the batch already owns them
 * @param rowsDropped candidate rows moved to quarantine
 * @param results the expectations' results for the stream candidates
 */
public record StreamMergeResult(long ordersChanged, long linesChanged, long ordersIgnored, long rowsDropped,
    List<ExpectationResult> results) {}
