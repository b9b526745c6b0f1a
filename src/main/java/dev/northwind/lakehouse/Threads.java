package dev.northwind.lakehouse;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Background threads of the lakehouse: all daemons, so that none keeps the JVM alive once the
 * command's own work is done (Ctrl-C, an error, or a job that returns while a reader still waits),
 * and all named, so that a thread dump says whose they are.
 */
public final class Threads {

  private Threads() {}

  /** A daemon thread running {@code body}, not yet started (the arguments of {@link Thread}). */
  public static Thread daemon(Runnable body, String name) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /** Daemon threads for an executor, all named {@code name}. */
  public static ThreadFactory daemons(String name) {
    return body -> daemon(body, name);
  }

  /** Daemon threads for an executor, named {@code prefix1}, {@code prefix2}, ... */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return body -> daemon(body, prefix + n.incrementAndGet());
  }
}
