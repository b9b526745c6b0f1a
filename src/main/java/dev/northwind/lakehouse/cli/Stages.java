package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Runs named stages, printing each one's start and duration, and keeps the timings. */
final class Stages {

  /** One finished stage. */
  record Timing(String name, double seconds) {}

  private final Progress progress;
  private final List<Timing> timings = new ArrayList<>();

  Stages(Progress progress) {
    this.progress = progress;
  }

  <T> T run(String name, Supplier<T> body) {
    progress.report("▶ " + name);
    long t0 = System.nanoTime();
    T result = body.get();
    double s = (System.nanoTime() - t0) / 1e9;
    timings.add(new Timing(name, s));
    progress.report(String.format("✔ %s (%.1f s)", name, s));
    return result;
  }

  void run(String name, Runnable body) {
    run(
        name,
        () -> {
          body.run();
          return null;
        });
  }

  /** One line with every stage's time, e.g. {@code bronze 4.1 s · silver 6.0 s · total 10.1 s}. */
  String summary() {
    StringBuilder sb = new StringBuilder("Stage timings: ");
    double total = 0;
    for (Timing t : timings) {
      sb.append(String.format("%s %.1f s · ", t.name(), t.seconds()));
      total += t.seconds();
    }
    return sb.append(String.format("total %.1f s", total)).toString();
  }
}
