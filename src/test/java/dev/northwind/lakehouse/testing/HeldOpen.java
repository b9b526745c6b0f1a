package dev.northwind.lakehouse.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Work that another thread runs under a lock ({@code CommitUnits.together} or {@code cut}) and
 * keeps open half way: {@code before} runs, then the thread waits until {@link #finish}, then
 * {@code after} runs. For tests of what a second thread may do while the lock is held.
 */
public final class HeldOpen {

  private static final long TIMEOUT_SECONDS = 60;

  private final CountDownLatch inside = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final CompletableFuture<Object> done;

  private HeldOpen(Function<Supplier<Object>, Object> lock, Runnable before, Runnable after) {
    done =
        CompletableFuture.supplyAsync(
            () ->
                lock.apply(
                    () -> {
                      before.run();
                      inside.countDown();
                      await(release);
                      after.run();
                      return null;
                    }));
  }

  /** Starts the work on another thread and returns once {@code before} has run. */
  public static HeldOpen start(
      Function<Supplier<Object>, Object> lock, Runnable before, Runnable after) {
    HeldOpen held = new HeldOpen(lock, before, after);
    await(held.inside);
    return held;
  }

  /** Lets the work go on past {@code before} and waits for it to end. */
  public void finish() throws Exception {
    release.countDown();
    done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out waiting for the other thread");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
