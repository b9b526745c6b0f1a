package dev.northwind.lakehouse.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * System.err while Spark shuts down: drops the stack traces of {@link
 * java.util.concurrent.RejectedExecutionException} and passes every other line through. Spark's
 * shutdown races its own thread pools: an RPC reply that completes on a pool already shut down is
 * rejected, and Scala's default reporter prints that with {@code printStackTrace}, most often right
 * after a streaming query was stopped. The command's own outcome is what the user needs to see.
 */
final class ShutdownNoise extends OutputStream {

  private static final String REJECTED = "java.util.concurrent.RejectedExecutionException";

  private final PrintStream target;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean dropping;

  private ShutdownNoise(PrintStream target) {
    this.target = target;
  }

  /** A stream that writes to {@code target} all but the shutdown race's stack traces. */
  static PrintStream filtering(PrintStream target) {
    return new PrintStream(new ShutdownNoise(target), true);
  }

  @Override
  public synchronized void write(int b) {
    line.write(b);
    if (b == '\n') {
      endLine();
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  @Override
  public synchronized void close() {
    if (line.size() > 0) {
      endLine();
    }
    target.flush();
  }

  private void endLine() {
    // Latin-1 maps every byte to one char: enough to compare ASCII prefixes of any encoding.
    String s = line.toString(StandardCharsets.ISO_8859_1);
    if (s.startsWith(REJECTED)) {
      dropping = true;
    } else if (dropping && !partOfTrace(s)) {
      dropping = false;
    }
    if (!dropping) {
      target.write(line.toByteArray(), 0, line.size());
      target.flush();
    }
    line.reset();
  }

  /** A frame, a "... n more", a cause or a suppressed exception of the trace being dropped. */
  private static boolean partOfTrace(String s) {
    return s.startsWith("\t") || s.startsWith(" ") || s.startsWith("Caused by: ");
  }
}
