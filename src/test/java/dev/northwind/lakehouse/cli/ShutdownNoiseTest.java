package dev.northwind.lakehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class ShutdownNoiseTest {

  @Test
  void dropsTheRejectedExecutionTraceAndKeepsEverythingElse() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream target = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream err = ShutdownNoise.filtering(target);

    err.println("before: stopping the query");
    // As Scala's default reporter prints a rejected RPC reply.
    new RejectedExecutionException(
            "Task rejected from ThreadPoolExecutor[Shutting down]",
            new IllegalStateException("pool closed"))
        .printStackTrace(err);
    new IllegalArgumentException("a real failure").printStackTrace(err);
    err.print("last line, no newline: é");
    err.close();

    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .startsWith("before: stopping the query" + System.lineSeparator())
        .doesNotContain("RejectedExecutionException")
        .doesNotContain("pool closed")
        .contains("java.lang.IllegalArgumentException: a real failure")
        .contains("\tat dev.northwind.lakehouse.cli.ShutdownNoiseTest")
        .endsWith("last line, no newline: é");
  }
}
