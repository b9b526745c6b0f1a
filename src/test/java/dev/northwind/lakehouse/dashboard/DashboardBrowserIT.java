package dev.northwind.lakehouse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Refresh;
import dev.northwind.lakehouse.lake.RefreshLog;
import dev.northwind.lakehouse.lake.RunIds;
import dev.northwind.lakehouse.pipeline.PipelineRunner;
import dev.northwind.lakehouse.pipeline.RefreshMode;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.status.PipelineReport;
import dev.northwind.lakehouse.status.PipelineStatus;
import dev.northwind.lakehouse.testing.GoldenLake;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium + chromium-driver): the served page,
 * the live update from polling, and the exported file opened from disk with no server. One browser
 * for the whole class. Without Chromium the class is skipped, or fails when CI=true.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final List<String> CHARTS =
      List.of(
          "chart-countries",
          "chart-segments",
          "chart-recency",
          "chart-scatter",
          "chart-cumulative");

  static WebDriver driver;
  static Path profile;
  static DashboardServer server;

  @BeforeAll
  static void browser() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String missing =
        "Chromium is not installed ("
            + CHROMIUM
            + ", "
            + CHROMEDRIVER
            + "): run `apt-get update && apt-get install -y chromium chromium-driver` to run the browser tests.";
    if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(missing);
    }
    Assumptions.assumeTrue(present, missing);
    profile = Files.createTempDirectory("dashboard-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--user-data-dir=" + profile,
        "--window-size=1440,2000",
        "--hide-scrollbars");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    server = DashboardServer.start(new DashboardData(TestSpark.spark(), SampleGold.shared()), 0);
  }

  @AfterAll
  static void quit() throws Exception {
    if (server != null) {
      server.close();
    }
    if (driver != null) {
      driver.quit();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  static WebDriverWait await(int seconds) {
    WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(seconds));
    w.pollingEvery(Duration.ofMillis(200));
    return w;
  }

  /** Whether the chart's div holds a canvas with at least one painted pixel. */
  static boolean painted(String chartId) {
    return Boolean.TRUE.equals(
        js(
            "var c = document.querySelector('#' + arguments[0] + ' canvas');"
                + "if (!c || c.width === 0 || c.height === 0) { return false; }"
                + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "for (var i = 3; i < d.length; i += 4) { if (d[i] !== 0) { return true; } }"
                + "return false;",
            chartId));
  }

  static String kpi(String name) {
    return driver.findElement(By.cssSelector("[data-kpi='" + name + "'] .kpi-value")).getText();
  }

  static String money(java.math.BigDecimal v) {
    return "$" + String.format(Locale.US, "%,.2f", SampleGold.display(v));
  }

  static void awaitSixViews() {
    try {
      await(120).until(d -> "ready".equals(js("return document.body.getAttribute('data-state');")));
      // Gold may be mid-write when the page first polls: wait for every view, not just the first.
      await(60)
          .until(d -> driver.findElements(By.cssSelector("#segment-table tbody tr")).size() == 4);
      for (String chart : CHARTS) {
        await(30).withMessage("chart " + chart + " painted").until(d -> painted(chart));
      }
      await(30).until(d -> !kpi("net_revenue").equals("—"));
    } catch (RuntimeException e) {
      throw new AssertionError("The dashboard did not render: " + diagnostics(), e);
    }
  }

  /** What the page shows and what the browser logged, for a failure message. */
  static String diagnostics() {
    StringBuilder sb = new StringBuilder();
    try {
      sb.append("state=")
          .append(js("return document.body.getAttribute('data-state');"))
          .append(", indicator=")
          .append(js("return document.getElementById('live-indicator').textContent;"))
          .append(", banner=")
          .append(js("return document.getElementById('error-banner').textContent;"));
      for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
        sb.append(System.lineSeparator()).append("  console: ").append(entry.getMessage());
      }
    } catch (RuntimeException e) {
      sb.append(" (diagnostics failed: ").append(e.getMessage()).append(')');
    }
    return sb.toString();
  }

  @Test
  @Order(1)
  void servedDashboardShowsTheGoldValues() throws Exception {
    driver.get(server.url().toString());
    awaitSixViews();

    assertThat(kpi("net_revenue"))
        .isEqualTo(money(SampleGold.NET_REVENUE))
        .isEqualTo("$1,265,432.99");
    assertThat(kpi("orders")).isEqualTo("830");
    assertThat(kpi("customers_with_orders")).isEqualTo("89");
    assertThat(kpi("avg_basket")).isEqualTo(money(SampleGold.AVG_BASKET));
    assertThat(kpi("stream_share")).isEqualTo("3.2%");
    assertThat(kpi("computed_at")).isEqualTo("2024-07-01 09:30 UTC");
    assertThat(driver.findElement(By.id("last-refresh")).getText())
        .isEqualTo("2024-07-01 09:30 UTC");

    // Top-10: rank 1 first, as rendered by ECharts and as exposed on the div.
    SampleGold.Country first =
        SampleGold.COUNTRIES.stream().filter(c -> c.rank() == 1).findFirst().orElseThrow();
    assertThat(driver.findElement(By.id("chart-countries")).getDomAttribute("data-first-country"))
        .isEqualTo(first.name());
    @SuppressWarnings("unchecked")
    List<String> bars =
        (List<String>)
            js(
                "return echarts.getInstanceByDom(document.getElementById('chart-countries')).getOption().yAxis[0].data;");
    assertThat(bars)
        .hasSize(10)
        .startsWith("USA", "GERMANY", "AUSTRIA")
        .doesNotContain("BELGIUM", "DENMARK");

    // Segment table in sort order, with the action.
    String vip =
        driver.findElement(By.cssSelector("#segment-table tr[data-segment='VIP']")).getText();
    assertThat(vip).contains("VIP", "3", "$319,514.23", "premium loyalty programme");

    // Scatter: one series per segment, the company name in the data for the tooltip (HTML-escaped
    // there).
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> series =
        (List<Map<String, Object>>)
            js(
                "return echarts.getInstanceByDom(document.getElementById('chart-scatter')).getOption().series"
                    + ".map(function (s) { return { name: s.name, n: s.data.length, names: s.data.map(function (p) { return p.name; }) }; });");
    assertThat(series)
        .extracting(s -> s.get("name"))
        .containsExactly("VIP", "Loyal", "Regular", "At risk");
    assertThat(series.stream().mapToLong(s -> ((Number) s.get("n")).longValue()).sum())
        .isEqualTo(12);
    assertThat(series.get(3).get("names").toString()).contains("Du monde <entier> & Cie");

    // Recency histogram: the buckets from Gold.
    @SuppressWarnings("unchecked")
    List<Number> recency =
        (List<Number>)
            js(
                "return echarts.getInstanceByDom(document.getElementById('chart-recency')).getOption().series[0].data;");
    assertThat(recency).extracting(Number::longValue).containsExactly(5L, 3L, 0L, 1L, 1L, 0L, 2L);

    // Country filter: All + the 12 countries; choosing one shows that country's curve.
    Select filter = new Select(driver.findElement(By.id("country-filter")));
    assertThat(filter.getOptions()).hasSize(13);
    assertThat(cumulativeSeries())
        .containsEntry("name", "All countries")
        .containsEntry("points", 6L);
    filter.selectByValue("GERMANY");
    await(10).until(d -> "GERMANY".equals(cumulativeSeries().get("name")));
    assertThat(cumulativeSeries().get("points"))
        .isEqualTo((long) SampleGold.CUMULATIVE.get("GERMANY").size());
    assertThat(((Number) cumulativeSeries().get("last")).doubleValue())
        .isEqualTo(
            SampleGold.display(
                    SampleGold.CUMULATIVE
                        .get("GERMANY")
                        .get(SampleGold.CUMULATIVE.get("GERMANY").size() - 1)
                        .cumulative())
                .doubleValue());
    filter.selectByValue("ALL");
    await(10).until(d -> "All countries".equals(cumulativeSeries().get("name")));

    // The page and its scripts ran under the CSP without violations or errors.
    assertThat(js("return document.getElementById('error-banner').hidden;")).isEqualTo(true);

    // Let the last chart animation (400 ms) finish so the screenshot shows the final state.
    Thread.sleep(1500);
    Path shot = Path.of("target", "dashboard.png");
    Files.createDirectories(shot.getParent());
    Files.copy(
        ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(),
        shot,
        StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(shot)).isGreaterThan(20_000);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> cumulativeSeries() {
    return (Map<String, Object>)
        js(
            "var s = echarts.getInstanceByDom(document.getElementById('chart-cumulative')).getOption().series[0];"
                + "return { name: s.name, points: s.data.length, last: s.data[s.data.length - 1] };");
  }

  @Test
  @Order(2)
  void exportedFileShowsTheSixViewsWithoutAServer() throws Exception {
    Path dir = Files.createTempDirectory("dashboard-export-");
    Path file =
        DashboardExport.export(new DashboardData(TestSpark.spark(), SampleGold.shared()), dir);
    assertThat(file.getFileName().toString()).isEqualTo("northwind-dashboard.html");
    String html = Files.readString(file);
    assertThat(html)
        .contains("window.__DASHBOARD_DATA__")
        .doesNotContain("src=\"assets/")
        .doesNotContain("href=\"assets/")
        .doesNotContain("\\u003centier\\u003e & Cie")
        .contains("\\u003centier\\u003e \\u0026 Cie");

    driver.get(file.toUri().toString());
    awaitSixViews();
    assertThat(kpi("net_revenue")).isEqualTo("$1,265,432.99");
    assertThat(driver.findElement(By.id("live-indicator")).getText()).isEqualTo("Snapshot export");
    new Select(driver.findElement(By.id("country-filter"))).selectByValue("USA");
    await(10).until(d -> "USA".equals(cumulativeSeries().get("name")));
    assertThat(cumulativeSeries().get("points")).isEqualTo(6L);
    // No polling in the file: nothing was fetched.
    assertThat(
            js(
                "return performance.getEntriesByType('resource').filter(function (e) {"
                    + " return e.initiatorType === 'fetch'; }).length;"))
        .isEqualTo(0L);
  }

  @Test
  @Order(3)
  void emptyLakeShowsTheMessageThenTheDataAppearsWithoutReload() throws Exception {
    Lake lake = TestSpark.newLake();
    try (DashboardServer live =
        DashboardServer.start(new DashboardData(TestSpark.spark(), lake), 0)) {
      driver.get(live.url().toString());
      await(60).until(d -> "empty".equals(js("return document.body.getAttribute('data-state');")));
      assertThat(driver.findElement(By.id("empty-state")).isDisplayed()).isTrue();
      assertThat(driver.findElement(By.id("empty-message")).getText())
          .isEqualTo("No Gold data yet: run lakehouse demo or lakehouse gold");
      assertThat(driver.findElements(By.cssSelector("#empty-message code"))).hasSize(2);
      assertThat(driver.findElement(By.id("dashboard")).isDisplayed()).isFalse();
      js("window.__marker = 'same page';");

      // Gold appears (as after `lakehouse gold`, or a streamed order and a new Gold run): the page
      // polls and shows it, without a reload.
      SampleGold.write(lake);
      awaitSixViews();
      assertThat(kpi("net_revenue")).isEqualTo("$1,265,432.99");
      assertThat(driver.findElement(By.id("empty-state")).isDisplayed()).isFalse();

      SampleGold.appendKpi(
          lake,
          SampleGold.kpiRow(
              "run-3",
              "2024-07-02T10:00:00Z",
              new java.math.BigDecimal("1270000.004"),
              831,
              26,
              0.0401));
      await(60).until(d -> kpi("net_revenue").equals("$1,270,000.00"));
      assertThat(kpi("orders")).isEqualTo("831");
      assertThat(kpi("stream_share")).isEqualTo("4.0%");
      assertThat(js("return window.__marker;")).isEqualTo("same page");
    }
  }

  /**
   * The Pipeline page over a real lake (a copy of the golden lake after a pipeline run): the graph
   * coloured by state, a node's details, the run timeline, and the link from a KPI tile to the
   * datasets and versions it was computed from. Saves target/pipeline.png (docs/pipeline.png).
   */
  @Test
  @Order(4)
  void pipelinePageShowsTheGraphDetailsRunsAndWhereANumberComesFrom() throws Exception {
    GoldenLake golden = GoldenLake.shared();
    String url = golden.sourceCopy(DashboardBrowserIT.class);
    Lake lake = golden.lakeCopy();
    LakehouseConfig config = TestSpark.config(Path.of(lake.root()));
    PipelineRunner runner =
        PipelineRunner.northwind(
            config,
            TestSpark::spark,
            lake,
            () -> new JdbcSource(url, TestPostgres.user(), "postgres"),
            Progress.NONE);
    runner.run(runner.graph().select("*"), RefreshMode.INCREMENTAL, RunIds::next);
    PipelineReport expected =
        new PipelineStatus(config, lake, TestSpark::spark).read(PipelineStatus.Detail.FULL);
    Refresh kpiRefresh =
        new RefreshLog(lake, TestSpark.spark().sparkContext().hadoopConfiguration())
            .last("gold.kpi_summary")
            .orElseThrow();

    try (DashboardServer live =
        DashboardServer.start(
            DashboardFeed.primed(
                new DashboardData(TestSpark.spark(), lake),
                () -> new PipelineStatus(config, lake, TestSpark::spark)),
            "127.0.0.1",
            0,
            "",
            Progress.NONE)) {
      driver.get(live.url() + "pipeline");
      await(180)
          .withMessage("the pipeline page rendered")
          .until(d -> "healthy".equals(js("return document.body.getAttribute('data-state');")));
      assertThat(driver.findElement(By.id("verdict")).getText()).isEqualTo("All fresh and green");

      // One node per dataset, plus one per external input (the source database, the topics the
      // stream and CDC read); coloured by state.
      java.util.Set<String> names =
          expected.datasets().stream()
              .map(d -> d.spec().name())
              .collect(java.util.stream.Collectors.toSet());
      long externals =
          expected.datasets().stream()
              .flatMap(d -> d.spec().inputs().stream())
              .filter(i -> !names.contains(i))
              // The page draws the source database as one node, each topic as its own.
              .map(i -> i.startsWith("source.") ? "source" : i)
              .distinct()
              .count();
      assertThat(externals).as("the source and the topics").isGreaterThanOrEqualTo(2);
      List<org.openqa.selenium.WebElement> nodes =
          driver.findElements(By.cssSelector("#graph-svg g.node"));
      assertThat(nodes).hasSize(expected.datasets().size() + (int) externals);
      assertThat(
              driver
                  .findElement(By.cssSelector("#graph-svg g.node[data-dataset='gold.kpi_summary']"))
                  .getDomAttribute("data-state"))
          .isEqualTo("fresh");
      assertThat(
              driver
                  .findElement(
                      By.cssSelector("#graph-svg g.node[data-dataset='bronze.order_events']"))
                  .getDomAttribute("data-state"))
          .isEqualTo("idle");
      assertThat(driver.findElements(By.cssSelector("#graph-svg path.edge")).size())
          .isGreaterThan(expected.datasets().size());

      // A node's details: rows, schema, expectations with their counts.
      driver
          .findElement(By.cssSelector("#graph-svg g.node[data-dataset='silver.fact_order_line']"))
          .click();
      await(10)
          .until(
              d ->
                  "silver.fact_order_line"
                      .equals(driver.findElement(By.id("detail")).getDomAttribute("data-dataset")));
      PipelineReport.DatasetState lines =
          expected.datasets().stream()
              .filter(d -> d.spec().name().equals("silver.fact_order_line"))
              .findFirst()
              .orElseThrow();
      assertThat(driver.findElement(By.id("detail")).getText())
          .contains(String.format(Locale.US, "%,d", lines.rows()));
      assertThat(driver.findElements(By.cssSelector("#detail table.schema tbody tr")))
          .hasSize(lines.schema().size());
      long checks =
          expected.lastChecks().stream()
              .filter(c -> c.table().equals("silver.fact_order_line"))
              .count();
      assertThat(driver.findElements(By.cssSelector("#detail table.expectations tbody tr")))
          .hasSize((int) checks);

      // The run timeline: a bar per run, the Bronze ones with their duration.
      assertThat(
              driver.findElements(By.cssSelector("#timeline-svg rect.run[data-command='bronze']")))
          .isNotEmpty();
      assertThat(driver.findElements(By.cssSelector("#timeline-svg rect.run[data-command='gold']")))
          .isNotEmpty();
      assertThat(driver.findElement(By.id("lag-stream")).getDomAttribute("data-running"))
          .isEqualTo("never");
      assertThat(js("return document.getElementById('error-banner').hidden;")).isEqualTo(true);
      Thread.sleep(500);
      Path shot = Path.of("target", "pipeline.png");
      Files.copy(
          ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(),
          shot,
          StandardCopyOption.REPLACE_EXISTING);
      assertThat(Files.size(shot)).isGreaterThan(20_000);

      // Where a Gold number comes from: the KPI tile's link opens kpi_summary's lineage, with the
      // input versions its last refresh consumed.
      driver.get(live.url().toString());
      awaitSixViews();
      driver.findElement(By.cssSelector("#view-summary a.lineage")).click();
      await(60)
          .until(
              d ->
                  "gold.kpi_summary"
                      .equals(driver.findElement(By.id("detail")).getDomAttribute("data-dataset")));
      String lineage = driver.findElement(By.cssSelector("#detail table.lineage")).getText();
      for (Map.Entry<String, Long> in : kpiRefresh.inputs().entrySet()) {
        assertThat(lineage).contains(in.getKey() + " v" + in.getValue());
      }
      assertThat(kpiRefresh.inputs()).containsKey("silver.fact_order");
    }
  }
}
