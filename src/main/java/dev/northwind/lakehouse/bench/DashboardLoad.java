package dev.northwind.lakehouse.bench;

import dev.northwind.lakehouse.Threads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on the dashboard's JSON endpoints: {@code clients} threads, each sending GET requests back
 * to back (round-robin over the paths) for a fixed time, on loopback. Bounded: the run ends at its
 * deadline, each request has a timeout, and at most {@link #MAX_SAMPLES} latencies are kept per
 * client.
 */
public final class DashboardLoad {

  /** Latencies kept per client (beyond that, requests are counted but not timed). */
  static final int MAX_SAMPLES = 1_000_000;

  /** How long one request may take before it counts as an error. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The load to apply.
   *
   * @param clients concurrent clients (≥ 1)
   * @param seconds how long (0: no dashboard stage)
   */
  public record Plan(int clients, int seconds) {

    /** The load: 50 clients for 30 s. */
    public static final Plan DEFAULT = new Plan(50, 30);

    public boolean enabled() {
      return seconds > 0 && clients > 0;
    }
  }

  /**
   * What the load measured.
   *
   * @param requests responses received (any status)
   * @param errors responses other than 200, and requests that failed or timed out
   * @param seconds wall time of the run
   * @param p50Ms median latency, ms
   * @param p95Ms 95th percentile, ms
   * @param p99Ms 99th percentile, ms
   * @param maxMs slowest request, ms
   */
  public record Result(
      long requests,
      long errors,
      double seconds,
      double p50Ms,
      double p95Ms,
      double p99Ms,
      double maxMs) {

    public double requestsPerSecond() {
      return seconds <= 0 ? 0 : requests / seconds;
    }
  }

  private DashboardLoad() {}

  /** Applies the plan to {@code base} (e.g. {@code http://127.0.0.1:8080/}) and measures it. */
  public static Result run(URI base, List<String> paths, Plan plan) throws InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT)
            .build();
    List<HttpRequest> requests = new ArrayList<>();
    for (String p : paths) {
      requests.add(HttpRequest.newBuilder(base.resolve(p)).timeout(REQUEST_TIMEOUT).GET().build());
    }
    AtomicLong errors = new AtomicLong();
    AtomicLong done = new AtomicLong();
    long[][] samples = new long[plan.clients()][];
    int[] counts = new int[plan.clients()];
    CountDownLatch finished = new CountDownLatch(plan.clients());
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(plan.seconds()).toNanos();
    for (int c = 0; c < plan.clients(); c++) {
      int client = c;
      samples[c] = new long[1024];
      Thread t =
          Threads.daemon(
              () -> {
                try {
                  int i = client;
                  while (System.nanoTime() < deadline) {
                    HttpRequest req = requests.get(i++ % requests.size());
                    long t0 = System.nanoTime();
                    try {
                      HttpResponse<byte[]> r =
                          http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                      if (r.statusCode() != 200) {
                        errors.incrementAndGet();
                      }
                      done.incrementAndGet();
                    } catch (java.io.IOException e) {
                      errors.incrementAndGet();
                      continue;
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    long took = System.nanoTime() - t0;
                    if (counts[client] < MAX_SAMPLES) {
                      if (counts[client] == samples[client].length) {
                        samples[client] =
                            Arrays.copyOf(
                                samples[client], Math.min(MAX_SAMPLES, samples[client].length * 2));
                      }
                      samples[client][counts[client]++] = took;
                    }
                  }
                } finally {
                  finished.countDown();
                }
              },
              "bench-dashboard-client-" + c);
      t.start();
    }
    finished.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < plan.clients(); c++) {
      System.arraycopy(samples[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    return new Result(
        done.get(),
        errors.get(),
        seconds,
        percentile(all, 0.50),
        percentile(all, 0.95),
        percentile(all, 0.99),
        all.length == 0 ? 0 : all[all.length - 1] / 1e6);
  }

  /** The nearest-rank percentile of sorted nanosecond latencies, in ms. */
  static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }
}
