package dev.northwind.lakehouse.testing;

import dev.northwind.lakehouse.cli.LakehouseCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the CLI in this JVM, capturing what it prints (a child JVM costs a JVM and a SparkSession
 * start each; {@link ChildLakehouse} is for the tests that must kill or isolate the process). One
 * line per run goes to the real stderr, so the test log shows what ran and how it ended.
 */
public record CliRun(int code, String out, String err) {

  public static synchronized CliRun of(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = LakehouseCli.execute(args);
      return new CliRun(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      oldErr.println(
          "lakehouse "
              + String.join(" ", args)
              + " -> "
              + out.size()
              + "/"
              + err.size()
              + " bytes: "
              + err.toString(StandardCharsets.UTF_8).lines().limit(3).toList());
    }
  }
}
