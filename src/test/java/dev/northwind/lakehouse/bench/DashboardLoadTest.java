package dev.northwind.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.dashboard.DashboardServer;
import dev.northwind.lakehouse.testing.TestSpark;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's load generator against a real dashboard server, briefly. */
class DashboardLoadTest {

  @Test
  void countsRequestsAndErrorsAndOrdersThePercentiles() throws Exception {
    try (DashboardServer s =
        DashboardServer.start(
            new dev.northwind.lakehouse.dashboard.DashboardData(
                TestSpark.spark(), TestSpark.newLake()),
            0)) {
      DashboardLoad.Result ok =
          DashboardLoad.run(
              s.url(), List.of("api/dashboard", "api/summary"), new DashboardLoad.Plan(4, 2));
      assertThat(ok.requests()).isPositive();
      assertThat(ok.errors()).isZero();
      assertThat(ok.p50Ms()).isPositive().isLessThanOrEqualTo(ok.p95Ms());
      assertThat(ok.p95Ms()).isLessThanOrEqualTo(ok.p99Ms());
      assertThat(ok.p99Ms()).isLessThanOrEqualTo(ok.maxMs());
      assertThat(ok.seconds()).isGreaterThanOrEqualTo(2.0);

      // Every answer other than 200 is an error: here every request is a 404.
      DashboardLoad.Result missing =
          DashboardLoad.run(s.url(), List.of("api/nothing-here"), new DashboardLoad.Plan(2, 1));
      assertThat(missing.requests()).isPositive();
      assertThat(missing.errors()).isEqualTo(missing.requests());
    }
  }

  @Test
  void percentilesAreNearestRank() {
    long[] ns = new long[100];
    for (int i = 0; i < 100; i++) {
      ns[i] = (i + 1) * 1_000_000L;
    }
    assertThat(DashboardLoad.percentile(ns, 0.50)).isEqualTo(50.0);
    assertThat(DashboardLoad.percentile(ns, 0.95)).isEqualTo(95.0);
    assertThat(DashboardLoad.percentile(ns, 0.99)).isEqualTo(99.0);
    assertThat(DashboardLoad.percentile(new long[0], 0.5)).isZero();
  }
}
