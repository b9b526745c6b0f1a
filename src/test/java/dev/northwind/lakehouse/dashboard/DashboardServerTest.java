package dev.northwind.lakehouse.dashboard;

import static dev.northwind.lakehouse.dashboard.SampleGold.display;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northwind.lakehouse.cli.LakehouseCli;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Schemas;
import dev.northwind.lakehouse.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DashboardServerTest {

  static final HttpClient HTTP = client();

  static DashboardServer server;
  static DashboardServer emptyServer;
  static DashboardServer brokenServer;

  @BeforeAll
  static void start() {
    server = DashboardServer.start(new DashboardData(TestSpark.spark(), SampleGold.shared()), 0);
    emptyServer =
        DashboardServer.start(
            new DashboardData(TestSpark.spark(), TestSpark.newLake()), "127.0.0.1", 0);
    // A kpi_summary that does not follow the contract: reading it fails inside Spark.
    Lake broken = TestSpark.newLake();
    TestSpark.spark()
        .createDataFrame(List.of(RowFactory.create("x")), Schemas.of("run_id STRING"))
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .save(broken.location(DashboardData.KPI_SUMMARY));
    brokenServer =
        DashboardServer.start(new DashboardData(TestSpark.spark(), broken), "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.close();
    emptyServer.close();
    brokenServer.close();
  }

  static HttpResponse<String> send(DashboardServer s, String method, String pathAndQuery)
      throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + pathAndQuery))
            .timeout(Duration.ofSeconds(120))
            .method(
                method,
                idempotent(method)
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString("x=1"))
            .build();
    // The JDK client retries a request whose pooled connection the server had just closed as idle
    // (the JDK server closes idle connections after 30 s) only for GET and HEAD; a POST on such a
    // connection fails with "header parser received no bytes". A fresh connection for the other
    // methods keeps this a test of the server, not of that race.
    HttpClient client = idempotent(method) ? HTTP : client();
    return client.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private static boolean idempotent(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send(server, "GET", pathAndQuery);
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    return DashboardDataTest.JSON.readTree(r.body());
  }

  /**
   * A request written byte for byte, so no client normalises the path. Returns status line + body.
   */
  static String raw(DashboardServer s, String requestLine) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", s.port())) {
      socket.setSoTimeout(120_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(StandardCharsets.ISO_8859_1);
    }
  }

  static int status(String rawResponse) {
    return Integer.parseInt(rawResponse.split(" ", 3)[1]);
  }

  static void assertSecurityHeaders(HttpResponse<?> r) {
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValue(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
  }

  static void assertNoStackTrace(String body) {
    // (The JDK server itself answers an unparsable request line with "400 ... URISyntaxException
    // thrown":
    // a one-line text, no trace.)
    assertThat(body)
        .doesNotContain("\tat ")
        .doesNotContain("at java.")
        .doesNotContain("at dev.northwind")
        .doesNotContain("at org.apache")
        .doesNotContain("Caused by")
        .doesNotContain("LakehouseException")
        .doesNotContain("AnalysisException");
  }

  @Test
  void summaryEqualsTheLatestGoldKpiRow() throws Exception {
    HttpResponse<String> r = get("/api/summary");
    assertThat(r.statusCode()).isEqualTo(200);
    assertSecurityHeaders(r);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode body = json(r);
    assertThat(body.get("state").asText()).isEqualTo("ready");
    JsonNode s = body.get("data");
    assertThat(s.get("net_revenue").decimalValue())
        .isEqualByComparingTo(display(SampleGold.NET_REVENUE));
    assertThat(s.get("gross_revenue").decimalValue())
        .isEqualByComparingTo(display(SampleGold.GROSS_REVENUE));
    assertThat(s.get("avg_basket").decimalValue())
        .isEqualByComparingTo(display(SampleGold.AVG_BASKET));
    assertThat(s.get("median_basket").decimalValue())
        .isEqualByComparingTo(display(SampleGold.MEDIAN_BASKET));
    assertThat(s.get("orders").asLong()).isEqualTo(SampleGold.ORDERS);
    assertThat(s.get("stream_orders").asLong()).isEqualTo(SampleGold.STREAM_ORDERS);
    assertThat(s.get("stream_share").asDouble()).isEqualTo(SampleGold.STREAM_SHARE);
    assertThat(s.get("computed_at").asText()).isEqualTo(SampleGold.COMPUTED_AT);
  }

  @Test
  void countriesSegmentsRecencyScatterEqualGold() throws Exception {
    JsonNode countries = json(get("/api/countries")).get("data");
    assertThat(countries).hasSize(SampleGold.COUNTRIES.size());
    for (SampleGold.Country c : SampleGold.COUNTRIES) {
      JsonNode row = countries.get(c.rank() - 1);
      assertThat(row.get("country").asText()).isEqualTo(c.name());
      assertThat(row.get("net_revenue").decimalValue()).isEqualByComparingTo(display(c.revenue()));
      assertThat(row.get("customers").asLong()).isEqualTo(c.customers());
      assertThat(row.get("avg_basket").decimalValue()).isEqualByComparingTo(display(c.avgBasket()));
      assertThat(row.get("revenue_share").asDouble()).isEqualTo(c.share());
    }

    JsonNode segments = json(get("/api/segments")).get("data");
    for (SampleGold.Segment s : SampleGold.SEGMENTS) {
      JsonNode row = segments.get(s.sortOrder() - 1);
      assertThat(row.get("segment").asText()).isEqualTo(s.name());
      assertThat(row.get("customers").asLong()).isEqualTo(s.customers());
      assertThat(row.get("revenue").decimalValue()).isEqualByComparingTo(display(s.revenue()));
      assertThat(row.get("avg_monetary").decimalValue())
          .isEqualByComparingTo(display(s.avgMonetary()));
      assertThat(row.get("action").asText()).isEqualTo(s.action());
    }

    JsonNode recency = json(get("/api/recency")).get("data");
    long total = 0;
    for (JsonNode b : recency.get("buckets")) {
      total += b.get("customers").asLong();
    }
    assertThat(total).isEqualTo(SampleGold.CUSTOMERS.size());

    JsonNode scatter = json(get("/api/scatter")).get("data");
    assertThat(scatter.get("points")).hasSize(SampleGold.CUSTOMERS.size());
    for (JsonNode p : scatter.get("points")) {
      SampleGold.Customer c =
          SampleGold.CUSTOMERS.stream()
              .filter(x -> x.id().equals(p.get("customer_id").asText()))
              .findFirst()
              .orElseThrow();
      assertThat(p.get("company_name").asText()).isEqualTo(c.company());
      assertThat(p.get("frequency").asLong()).isEqualTo(c.frequency());
      assertThat(p.get("monetary").decimalValue()).isEqualByComparingTo(display(c.monetary()));
      assertThat(p.get("segment").asText()).isEqualTo(c.segment());
    }

    JsonNode list = json(get("/api/countries-list")).get("data");
    assertThat(list).hasSize(12);
    assertThat(list.get(0).asText()).isEqualTo("USA");

    JsonNode all = json(get("/api/dashboard"));
    assertThat(all.get("summary").get("net_revenue").decimalValue())
        .isEqualByComparingTo(new BigDecimal("1265432.99"));
  }

  @Test
  void cumulativeOfOneCountryAndOfAll() throws Exception {
    JsonNode germany = json(get("/api/cumulative?country=GERMANY"));
    assertThat(germany.get("country").asText()).isEqualTo("GERMANY");
    List<SampleGold.Month> expected = SampleGold.CUMULATIVE.get("GERMANY");
    assertThat(germany.get("data")).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(germany.get("data").get(i).get("year_month").asText())
          .isEqualTo(SampleGold.ym(expected.get(i).month()));
      assertThat(germany.get("data").get(i).get("cumulative_net_revenue").decimalValue())
          .isEqualByComparingTo(display(expected.get(i).cumulative()));
    }
    JsonNode all = json(get("/api/cumulative"));
    assertThat(all.get("country").asText()).isEqualTo("ALL");
    assertThat(all.get("data")).hasSize(SampleGold.MONTHS.size());
    assertThat(all.get("data").get(5).get("cumulative_net_revenue").decimalValue())
        .isEqualByComparingTo(display(SampleGold.MONTHS.get(5).cumulative()));
    assertThat(json(get("/api/cumulative?country=ALL")).get("data")).hasSize(6);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/cumulative?country=ATLANTIS",
        "/api/cumulative?country=germany",
        "/api/cumulative?country=GERMANY&country=USA",
        "/api/cumulative?nation=GERMANY",
        "/api/cumulative?country=%3Cscript%3E",
        "/api/cumulative?country=%FF"
      })
  void badCumulativeQueriesAre400(String pathAndQuery) throws Exception {
    HttpResponse<String> r = get(pathAndQuery);
    assertThat(r.statusCode()).isEqualTo(400);
    assertSecurityHeaders(r);
    assertThat(r.body()).doesNotContain("<script>").doesNotContain("ATLANTIS");
    assertNoStackTrace(r.body());
  }

  @Test
  void pageAndAssetsAreServed() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertSecurityHeaders(page);
    assertThat(page.body())
        .contains(
            "id=\"chart-countries\"",
            "id=\"chart-segments\"",
            "id=\"chart-recency\"",
            "id=\"chart-scatter\"",
            "id=\"chart-cumulative\"",
            "id=\"country-filter\"",
            "data-kpi=\"net_revenue\"");
    // The CSP forbids inline scripts and styles: the page must have none.
    assertThat(page.body())
        .doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
        .doesNotContain("<style")
        .doesNotContain("style=")
        .doesNotContain("http://")
        .doesNotContain("https://");

    HttpResponse<String> echarts = get("/assets/echarts.min.js");
    assertThat(echarts.statusCode()).isEqualTo(200);
    assertThat(echarts.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(echarts.body().length()).isGreaterThan(500_000);
    assertSecurityHeaders(echarts);
    assertThat(get("/assets/dashboard.js").body()).contains("__DASHBOARD_DATA__");
    assertThat(get("/assets/dashboard.css").headers().firstValue("Content-Type"))
        .hasValue("text/css; charset=utf-8");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/nope",
        "/api/nope",
        "/api/",
        "/assets/nope.js",
        "/index.html",
        "/assets/",
        "/dashboard/index.html",
        "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js",
        "/favicon.ico"
      })
  void unknownPathsAre404(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).isEqualTo(404);
    assertSecurityHeaders(r);
    assertNoStackTrace(r.body());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET /../etc/passwd HTTP/1.1",
        "GET /assets/../../pom.xml HTTP/1.1",
        "GET /assets/..%2f..%2fpom.xml HTTP/1.1",
        "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1",
        "GET /assets/%2E%2E/%2E%2E/pom.xml HTTP/1.1",
        "GET /assets/%2e%2e%5c%2e%2e%5cpom.xml HTTP/1.1",
        "GET /assets/./dashboard.js HTTP/1.1",
        "GET //etc/passwd HTTP/1.1",
        "GET /assets/dashboard.js%00.html HTTP/1.1",
        "GET /%zz HTTP/1.1",
        "GET /a b HTTP/1.1",
        "GARBAGE",
        "GET ../../etc/passwd HTTP/1.1"
      })
  void traversalAndMalformedRequestsGet4xxWithoutFileContents(String requestLine) throws Exception {
    String response = raw(server, requestLine);
    assertThat(status(response)).isBetween(400, 499);
    assertThat(response)
        .doesNotContain("root:")
        .doesNotContain("<project")
        .doesNotContain("echarts")
        .doesNotContain("__DASHBOARD_DATA__");
    assertNoStackTrace(response);
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
  void otherMethodsAre405(String method) throws Exception {
    for (String path : List.of("/", "/api/summary", "/assets/dashboard.js", "/nope")) {
      HttpResponse<String> r = send(server, method, path);
      assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
      assertSecurityHeaders(r);
    }
  }

  @Test
  void headHasTheHeadersAndNoBody() throws Exception {
    for (String path : List.of("/", "/api/summary", "/assets/echarts.min.js")) {
      HttpResponse<String> r = send(server, "HEAD", path);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEmpty();
      assertSecurityHeaders(r);
    }
    assertThat(send(server, "HEAD", "/api/summary").headers().firstValue("Cache-Control"))
        .hasValue("no-store");
    assertThat(send(server, "HEAD", "/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void hugeQueryStringsAre414() throws Exception {
    HttpResponse<String> r = get("/api/cumulative?country=" + "A".repeat(5 * 1024));
    assertThat(r.statusCode()).isEqualTo(414);
    assertSecurityHeaders(r);
    assertThat(get("/?x=" + "b".repeat(5 * 1024)).statusCode()).isEqualTo(414);
    assertThat(get("/api/summary?x=" + "b".repeat(1000)).statusCode()).isEqualTo(200);
  }

  @Test
  void anEmptyLakeAnswersTheEmptyStateAndThePageCarriesTheMessage() throws Exception {
    JsonNode doc = json(send(emptyServer, "GET", "/api/dashboard"));
    assertThat(doc.get("state").asText()).isEqualTo("empty");
    assertThat(doc.get("message").asText()).isEqualTo(DashboardData.EMPTY_MESSAGE);
    JsonNode summary = json(send(emptyServer, "GET", "/api/summary"));
    assertThat(summary.get("state").asText()).isEqualTo("empty");
    assertThat(summary.get("message").asText()).isEqualTo(DashboardData.EMPTY_MESSAGE);
    assertThat(json(send(emptyServer, "GET", "/api/countries")).get("data")).isEmpty();
    assertThat(json(send(emptyServer, "GET", "/api/cumulative")).get("data")).isEmpty();
    assertThat(send(emptyServer, "GET", "/api/cumulative?country=USA").statusCode()).isEqualTo(400);
    assertThat(send(emptyServer, "GET", "/").body())
        .contains(
            "No Gold data yet: run <code>lakehouse demo</code> or <code>lakehouse gold</code>");
  }

  @Test
  void aFailingReadIs500WithoutAStackTrace() throws Exception {
    HttpResponse<String> r = send(brokenServer, "GET", "/api/summary");
    assertThat(r.statusCode()).isEqualTo(500);
    assertSecurityHeaders(r);
    assertThat(json(r).get("error").asText()).contains("could not be read");
    assertNoStackTrace(r.body());
    assertThat(r.body()).doesNotContain("computed_at");
  }

  @Test
  void urlAndCliCommandsAreWired() {
    assertThat(server.url().toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/");
    assertThat(LakehouseCli.execute("serve", "--help")).isZero();
    assertThat(LakehouseCli.execute("dashboard", "--help")).isZero();
    assertThat(DashboardServer.query("country=C%C3%B4te+d%27Ivoire&a="))
        .isEqualTo(Map.of("country", "Côte d'Ivoire", "a", ""));
  }
}
