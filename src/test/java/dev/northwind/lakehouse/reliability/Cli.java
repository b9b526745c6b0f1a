package dev.northwind.lakehouse.reliability;

import dev.northwind.lakehouse.cli.LakehouseCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in this JVM, capturing what it prints (children cost a JVM start each). */
record Cli(int code, String out, String err, long millis) {

  static synchronized Cli run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = LakehouseCli.execute(args);
      return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
          (System.nanoTime() - t0) / 1_000_000);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      oldErr.println(String.join(" ", args) + " -> " + out.size() + "/" + err.size() + " bytes: "
          + err.toString(StandardCharsets.UTF_8).lines().limit(3).toList());
    }
  }
}
