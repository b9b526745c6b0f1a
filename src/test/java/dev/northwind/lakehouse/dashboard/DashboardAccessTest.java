package dev.northwind.lakehouse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northwind.lakehouse.Json;
import dev.northwind.lakehouse.LakehouseException;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.config.ConfigLoader;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.status.PipelineStatus;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.TestSpark;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Who may read the dashboard (the access token beyond loopback) and when (the server listens at
 * once and says "loading" until its first read is done), on real Spark-read Gold data.
 */
class DashboardAccessTest {

  static final String TOKEN = "s3cret-token-for-the-test-0123456789";

  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  static HttpResponse<String> get(DashboardServer s, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
            .timeout(Duration.ofSeconds(120))
            .GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void beyondLoopbackEveryRequestNeedsTheToken() throws Exception {
    List<String> logged = new ArrayList<>();
    try (DashboardServer s =
        DashboardServer.start(
            DashboardFeed.primed(new DashboardData(TestSpark.spark(), SampleGold.shared()), null),
            "0.0.0.0",
            0,
            TOKEN,
            logged::add)) {
      assertThat(s.guarded()).isTrue();
      for (String path : List.of("/", "/pipeline", "/api/dashboard", "/assets/dashboard.js")) {
        HttpResponse<String> r = get(s, path);
        assertThat(r.statusCode()).as(path).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate"))
            .hasValue("Bearer realm=\"lakehouse\"");
        assertThat(r.body()).doesNotContain(TOKEN);
      }
      assertThat(get(s, "/api/dashboard", "Authorization", "Bearer wrong-" + TOKEN).statusCode())
          .isEqualTo(401);
      assertThat(get(s, "/?token=" + TOKEN.substring(1)).statusCode()).isEqualTo(401);
      assertThat(get(s, "/", "Cookie", DashboardServer.TOKEN_COOKIE + "=nope").statusCode())
          .isEqualTo(401);

      HttpResponse<String> bearer = get(s, "/api/dashboard", "Authorization", "Bearer " + TOKEN);
      assertThat(bearer.statusCode()).isEqualTo(200);
      JsonNode doc = Json.tree(bearer.body());
      assertThat(doc.get("state").asText()).isEqualTo("ready");
      assertThat(doc.at("/summary/net_revenue").decimalValue())
          .isEqualByComparingTo(SampleGold.display(SampleGold.NET_REVENUE));

      // A link with ?token= sets the cookie and sends the browser to the same page without it.
      HttpResponse<String> link = get(s, "/pipeline?token=" + TOKEN);
      assertThat(link.statusCode()).isEqualTo(303);
      assertThat(link.headers().firstValue("Location")).hasValue("/pipeline");
      String cookie = link.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie)
          .startsWith(DashboardServer.TOKEN_COOKIE + "=" + TOKEN + ";")
          .contains("HttpOnly", "SameSite=Strict");
      HttpResponse<String> withCookie =
          get(s, "/api/summary", "Cookie", "other=1; " + cookie.substring(0, cookie.indexOf(';')));
      assertThat(withCookie.statusCode()).isEqualTo(200);
      assertThat(
              get(s, "/api/cumulative?country=USA&token=" + TOKEN).headers().firstValue("Location"))
          .hasValue("/api/cumulative?country=USA");
    }
    // Nothing the server reported carries the token.
    assertThat(String.join("\n", logged)).doesNotContain(TOKEN);
  }

  @Test
  void onLoopbackNoTokenIsNeededAndBeyondItOneIsRequired() throws Exception {
    try (DashboardServer s =
        DashboardServer.start(new DashboardData(TestSpark.spark(), SampleGold.shared()), 0)) {
      assertThat(s.guarded()).isFalse();
      assertThat(get(s, "/api/summary").statusCode()).isEqualTo(200);
      assertThat(get(s, "/").statusCode()).isEqualTo(200);
    }
    assertThatThrownBy(
            () ->
                DashboardServer.start(
                    DashboardFeed.primed(
                        new DashboardData(TestSpark.spark(), TestSpark.newLake()), null),
                    "0.0.0.0",
                    0,
                    "",
                    Progress.NONE))
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining("0.0.0.0")
        .hasMessageContaining("LAKEHOUSE_DASHBOARD_TOKEN");

    // The CLI says the same in one line, and never takes the token as a flag.
    Lake lake = TestSpark.newLake();
    CliRun open =
        CliRun.of(
            "serve", "--host", "0.0.0.0", "--port", "0", "--lake", Path.of(lake.root()).toString());
    assertThat(open.code()).isNotZero();
    assertThat(open.err()).contains("without an access token").doesNotContain("\tat ");
    CliRun flag =
        CliRun.of(
            "serve",
            "--set",
            "dashboard.token=" + TOKEN,
            "--lake",
            Path.of(lake.root()).toString());
    assertThat(flag.code()).isNotZero();
    assertThat(flag.err())
        .contains(
            "dashboard.token cannot be given on the command line", "LAKEHOUSE_DASHBOARD_TOKEN")
        .doesNotContain(TOKEN);
    // From the environment it is taken, and printed masked.
    var config =
        ConfigLoader.load(
            Map.of("lake.root", Path.of(lake.root()).toString()),
            Map.of("LAKEHOUSE_DASHBOARD_TOKEN", TOKEN),
            Optional.empty());
    assertThat(config.dashboard().token()).isEqualTo(TOKEN);
    assertThat(config.dashboard().toString()).doesNotContain(TOKEN);
    assertThat(config.describe()).doesNotContain(TOKEN);
  }

  @Test
  void theServerAnswersLoadingUntilItsFirstReadIsDoneThenTheData() throws Exception {
    Lake lake = SampleGold.shared();
    CountDownLatch sparkReady = new CountDownLatch(1);
    DashboardFeed feed =
        DashboardFeed.background(
            () -> {
              // Stands for Spark's start: the readers wait, the server does not.
              await(sparkReady);
              return new DashboardData(TestSpark.spark(), lake);
            },
            () -> {
              await(sparkReady);
              return new PipelineStatus(
                  TestSpark.config(Path.of(lake.root())), lake, TestSpark::spark);
            },
            Progress.NONE);
    try (DashboardServer s = DashboardServer.start(feed, "127.0.0.1", 0, "", Progress.NONE)) {
      HttpResponse<String> page = get(s, "/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("id=\"loading-state\"");
      for (String api : List.of("/api/dashboard", "/api/summary", "/api/pipeline")) {
        HttpResponse<String> r = get(s, api);
        assertThat(r.statusCode()).as(api).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(Json.tree(r.body()).get("state").asText()).isEqualTo("loading");
      }

      sparkReady.countDown();

      JsonNode doc = awaitStatus(s, "/api/dashboard", 200);
      assertThat(doc.at("/summary/net_revenue").decimalValue())
          .isEqualByComparingTo(SampleGold.display(SampleGold.NET_REVENUE));
      JsonNode pipeline = awaitStatus(s, "/api/pipeline", 200);
      JsonNode kpi = null;
      for (JsonNode d : pipeline.get("datasets")) {
        if (d.get("name").asText().equals("gold.kpi_summary")) {
          kpi = d;
        }
      }
      assertThat(kpi).isNotNull();
      assertThat(kpi.get("version").asLong())
          .isEqualTo(lake.version(TestSpark.spark(), DashboardData.KPI_SUMMARY));
      assertThat(kpi.get("rows").asLong())
          .isEqualTo(lake.read(TestSpark.spark(), DashboardData.KPI_SUMMARY).count());
      // Only Gold was written to this lake: Silver and Bronze are not built.
      assertThat(pipeline.get("healthy").asBoolean()).isFalse();
      assertThat(pipeline.get("problems").toString()).contains("silver.fact_order is not built");
    }
  }

  /** A dashboard without a pipeline status has no Pipeline data. */
  @Test
  void withoutAPipelineStatusThePipelineEndpointIs404() throws Exception {
    try (DashboardServer s =
        DashboardServer.start(new DashboardData(TestSpark.spark(), SampleGold.shared()), 0)) {
      assertThat(get(s, "/api/pipeline").statusCode()).isEqualTo(404);
    }
  }

  static JsonNode awaitStatus(DashboardServer s, String path, int status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    HttpResponse<String> r = get(s, path);
    while (r.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(200);
      r = get(s, path);
    }
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
    return Json.tree(r.body());
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
