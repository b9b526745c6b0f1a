package dev.northwind.lakehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs independent pieces of driver work at the same time (Bronze tables, Gold tables, the
 * pipeline's flows of one wave). Spark accepts jobs from several threads: while one piece waits on
 * JDBC, the Delta log or the driver's planning, another's tasks use the cores.
 */
public final class Parallel {

  private Parallel() {}

  /**
   * Applies {@code body} to every item on at most {@code threads} daemon threads named {@code
   * name}, and returns the results in the items' order. A RuntimeException thrown by a body is
   * rethrown as it is, as it would be without threads (a {@link LakehouseException}, or a raw Spark
   * error its caller classifies); anything else fails the job named {@code job}.
   */
  public static <T, R> List<R> map(
      String job, String name, int threads, List<T> items, Function<T, R> body) {
    int n = Math.max(1, Math.min(threads, items.size()));
    if (n == 1) {
      return items.stream().map(body).toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(n, Threads.daemons(name));
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> body.apply(item)));
      }
      List<R> out = new ArrayList<>();
      for (Future<R> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LakehouseErrors.jobFailed(job, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw LakehouseErrors.jobFailed(job, e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
