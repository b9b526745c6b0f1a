package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.gold.GoldSummary;
import dev.northwind.lakehouse.lake.Lake;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Prints Gold at a glance ({@link GoldSummary}): the latest KPI summary and the RFM segment table.
 */
final class Summary {

  private Summary() {}

  static void print(SparkSession spark, Lake lake, Progress out) {
    Optional<GoldSummary> summary = GoldSummary.read(spark, lake);
    if (summary.isEmpty()) {
      out.report("No Gold tables yet.");
      return;
    }
    Row k = summary.get().kpi();
    out.report("KPI summary (gold.kpi_summary, run " + k.getAs("run_id") + "):");
    out.report(String.format("  %-24s %18s", "net revenue", money(k.getAs("net_revenue"))));
    out.report(String.format("  %-24s %18s", "gross revenue", money(k.getAs("gross_revenue"))));
    out.report(String.format("  %-24s %18s", "total discount", money(k.getAs("total_discount"))));
    out.report(String.format("  %-24s %,18d", "orders", (Long) k.getAs("orders")));
    out.report(String.format("  %-24s %,18d", "order lines", (Long) k.getAs("order_lines")));
    out.report(
        String.format(
            "  %-24s %,18d", "customers with orders", (Long) k.getAs("customers_with_orders")));
    out.report(String.format("  %-24s %18s", "average basket", money(k.getAs("avg_basket"))));
    out.report(String.format("  %-24s %18s", "median basket", money(k.getAs("median_basket"))));
    out.report(
        String.format(
            "  %-24s %18s",
            "orders from the stream",
            k.getAs("stream_orders") + " (" + money(k.getAs("stream_net_revenue")) + ")"));
    out.report(
        String.format(
            "  %-24s %18s",
            "order dates", k.getAs("first_order_date") + " .. " + k.getAs("last_order_date")));
    out.report("");
    out.report("RFM segments (gold.rfm_segment):");
    out.report(
        String.format(
            "  %-8s %9s %16s %7s  %s", "segment", "customers", "revenue", "share", "action"));
    for (Row r : summary.get().segments()) {
      Double share = r.getAs("revenue_share");
      out.report(
          String.format(
              "  %-8s %,9d %16s %6.1f%%  %s",
              r.getAs("segment"),
              (Long) r.getAs("customers"),
              money(r.getAs("revenue")),
              share == null ? 0.0 : share * 100,
              r.getAs("action")));
    }
  }

  /** Money is exact in the tables; rounded here, for display only. */
  static String money(Object v) {
    if (v == null) {
      return "-";
    }
    BigDecimal d = v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
    return String.format("%,.2f", d.setScale(2, RoundingMode.HALF_UP));
  }
}
