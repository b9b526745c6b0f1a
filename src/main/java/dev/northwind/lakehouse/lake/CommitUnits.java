package dev.northwind.lakehouse.lake;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Commits to several tables that belong together, and readers that want the tables' versions as of
 * a moment between such units, within this JVM. Delta commits one table at a time: Silver writes an
 * order's {@code fact_order} row and its {@code fact_order_line} rows in two commits, one after the
 * other, and Gold refreshed between them (the stream's refresh runs beside its next batch) counted
 * the orders without their lines, an order that was not one unit, until the refresh after.
 *
 * <p>A writer runs the commits of a unit in {@link #together}; a reader lists the versions it will
 * read in {@link #cut}, which waits for a unit in progress. Units run one at a time; cuts run side
 * by side. A reader in another process is not held back: it can still list versions between two
 * commits of a unit, and Gold then treats the unit's second commit as a change to orders it has
 * counted (it recomputes; see {@code AdditiveRefresh}).
 */
public final class CommitUnits {

  private static final ReentrantReadWriteLock LOCK = new ReentrantReadWriteLock();

  private CommitUnits() {}

  /**
   * Runs the commits of one unit: no {@link #cut} in this JVM lists versions while they run. Not to
   * be called within a cut.
   */
  public static <T> T together(Supplier<T> commits) {
    return holding(LOCK.writeLock(), commits);
  }

  /**
   * Lists versions between units: waits for a unit in progress, and holds the next one back until
   * {@code versions} returns. Keep it to listing versions: no Spark job, no commit.
   */
  public static <T> T cut(Supplier<T> versions) {
    return holding(LOCK.readLock(), versions);
  }

  private static <T> T holding(Lock lock, Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }
}
