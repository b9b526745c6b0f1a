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

  /** How a count reads in a line for people: {@code 1 row}, {@code 3 rows}. */
  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** Prints each line to the stream. */
  static Progress to(PrintStream out) {
    return line -> {
      out.println(line);
      out.flush();
    };
  }
}
