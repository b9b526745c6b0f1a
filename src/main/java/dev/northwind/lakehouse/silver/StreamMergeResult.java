package dev.northwind.lakehouse.silver;

import dev.northwind.lakehouse.quality.ExpectationResult;
import java.util.List;

/**
 * What one merge of stream orders into the facts did.
 *
 * @param ordersChanged fact_order rows inserted, updated or deleted (withdrawn: the order's latest
 *     event is bad); 0 for a re-merge of the same events
 * @param linesChanged fact_order_line rows inserted, updated or deleted
 * @param ordersIgnored candidate orders skipped because the batch already owns them
 * @param rowsDropped candidate rows moved to quarantine (a bad line takes its order and the order's
 *     other lines with it)
 * @param results the expectations' results for the stream candidates
 */
public record StreamMergeResult(
    long ordersChanged,
    long linesChanged,
    long ordersIgnored,
    long rowsDropped,
    List<ExpectationResult> results) {}
