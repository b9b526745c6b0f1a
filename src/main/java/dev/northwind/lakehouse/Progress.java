package dev.northwind.lakehouse;

import java.io.PrintStream;

/**
 * Where long jobs report progress (table i/n, rows, stage timings). The CLI prints to stdout; tests
 * usually pass {@link #NONE}.
 */
@FunctionalInterface
public interface Progress {

  void report(String line);

  /** Discards progress lines. */
  Progress NONE = line -> {};

  /** Prints each line to the stream. */
  static Progress to(PrintStream out) {
    return line -> {
      out.println(line);
      out.flush();
    };
  }
}
