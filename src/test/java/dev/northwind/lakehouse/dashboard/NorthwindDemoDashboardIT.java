package dev.northwind.lakehouse.dashboard;

import static dev.northwind.lakehouse.dashboard.DashboardBrowserIT.await;
import static dev.northwind.lakehouse.dashboard.DashboardBrowserIT.awaitSixViews;
import static dev.northwind.lakehouse.dashboard.DashboardBrowserIT.cumulativeSeries;
import static dev.northwind.lakehouse.dashboard.DashboardBrowserIT.kpi;
import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.NorthwindDump;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.support.ui.Select;

/**
 * `lakehouse demo` end to end on the real Northwind dump, everything embedded (its own PostgreSQL
 * and Kafka), then the served dashboard over that lake in headless Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NorthwindDemoDashboardIT {

  static final int EVENTS = 20;

  Path dir;
  String out;
  int exit;
  Lake lake;

  @BeforeAll
  void demo() throws Exception {
    Path dump = NorthwindDump.path();
    dir = Files.createTempDirectory("demo-e2e-");
    CliRun run =
        CliRun.of(
            "demo",
            "--lake",
            dir.resolve("lake").toString(),
            "--northwind-sql",
            dump.toString(),
            "--events",
            Integer.toString(EVENTS));
    exit = run.code();
    out = run.out();
    lake = new Lake(dir.resolve("lake").toUri());
    DashboardBrowserIT.browser();
  }

  @AfterAll
  void quit() throws Exception {
    DashboardBrowserIT.quit();
  }

  @Test
  void demoExitsZeroPrintsTheSummaryAndGoldHoldsTheStreamedOrders() {
    assertThat(exit).as(out).isZero();
    assertThat(out)
        .contains("KPI summary (gold.kpi_summary")
        .contains("RFM segments (gold.rfm_segment)")
        .contains("VIP")
        .contains("AT_RISK")
        .contains("Stage timings:")
        .contains("Dashboard file:");
    Row kpi = latestKpi();
    assertThat((Long) kpi.getAs("stream_orders")).isEqualTo(EVENTS);
    // The dump's 830 orders plus the streamed ones, each counted once.
    assertThat((Long) kpi.getAs("orders")).isEqualTo(830L + EVENTS);
    assertThat(Files.exists(dir.resolve("dashboard").resolve(DashboardExport.FILE_NAME))).isTrue();
  }

  @Test
  void servedDashboardShowsGoldOfTheRealDump() throws Exception {
    try (DashboardServer server =
        DashboardServer.start(new DashboardData(TestSpark.spark(), lake), 0)) {
      DashboardBrowserIT.driver.get(server.url().toString());
      awaitSixViews();
      Row kpi = latestKpi();
      assertThat(kpi("net_revenue")).isEqualTo(money(kpi.getAs("net_revenue")));
      assertThat(kpi("orders"))
          .isEqualTo(String.format(Locale.US, "%,d", (Long) kpi.getAs("orders")));
      assertThat(kpi("avg_basket")).isEqualTo(money(kpi.getAs("avg_basket")));
      String first =
          lake.read(TestSpark.spark(), TableId.gold("revenue_by_country"))
              .where("rank = 1")
              .select("country")
              .first()
              .getString(0);
      assertThat(
              DashboardBrowserIT.driver
                  .findElement(By.id("chart-countries"))
                  .getDomAttribute("data-first-country"))
          .isEqualTo(first);

      Select filter = new Select(DashboardBrowserIT.driver.findElement(By.id("country-filter")));
      filter.selectByValue("GERMANY");
      await(10).until(d -> "GERMANY".equals(cumulativeSeries().get("name")));
      filter.selectByValue("ALL");
      await(10).until(d -> "All countries".equals(cumulativeSeries().get("name")));

      Thread.sleep(1500);
      Path shot = Path.of("target", "dashboard-northwind.png");
      Files.createDirectories(shot.getParent());
      Files.copy(
          ((TakesScreenshot) DashboardBrowserIT.driver).getScreenshotAs(OutputType.FILE).toPath(),
          shot,
          StandardCopyOption.REPLACE_EXISTING);
      assertThat(Files.size(shot)).isGreaterThan(20_000);
    }
  }

  private Row latestKpi() {
    return lake.read(TestSpark.spark(), TableId.gold("kpi_summary"))
        .orderBy(functions.col("computed_at").desc())
        .first();
  }

  private static String money(Object v) {
    return "$"
        + String.format(Locale.US, "%,.2f", ((BigDecimal) v).setScale(2, RoundingMode.HALF_UP));
  }
}
