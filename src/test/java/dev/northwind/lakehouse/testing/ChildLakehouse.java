package dev.northwind.lakehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code lakehouse} as a child JVM (same classes and JVM flags as the launcher), so a test can
 * kill it with SIGKILL at any moment and then check what a re-run does.
 */
public final class ChildLakehouse implements AutoCloseable {

  static final String MAIN = "dev.northwind.lakehouse.cli.LakehouseCli";

  private final Process process;
  private final Path out;
  private final Path err;
  private final long startedNanos = System.nanoTime();

  private ChildLakehouse(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts {@code lakehouse args...} with extra environment variables; output goes to files in
   * logDir.
   */
  public static ChildLakehouse start(Path logDir, Map<String, String> env, String... args) {
    try {
      Files.createDirectories(logDir);
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx2g");
      cmd.addAll(jvmFlags());
      cmd.addAll(ChildArchive.flags());
      cmd.add("-cp");
      cmd.add(ChildArchive.classPath());
      cmd.add(MAIN);
      cmd.addAll(Arrays.asList(args));
      long n = System.nanoTime();
      Path out = logDir.resolve("child-" + n + ".out");
      Path err = logDir.resolve("child-" + n + ".err");
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().putAll(env);
      return new ChildLakehouse(pb.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JVM flags Spark needs, from the file the build generates out of pom.xml. */
  public static List<String> jvmFlags() {
    try {
      Path flags = Path.of("target", "classes", "lakehouse-jvm.flags");
      return Arrays.stream(Files.readString(flags, StandardCharsets.UTF_8).trim().split("\\s+"))
          .filter(s -> !s.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the child to end and returns its exit code. */
  public int waitFor(long seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(
            "lakehouse child did not finish within " + seconds + " s; stderr: " + err());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until the child's stdout contains {@code marker} (a progress line), so a kill can be
   * timed from the moment the job itself runs rather than from JVM start. False if the child ended
   * or the time ran out first.
   */
  public boolean awaitOutput(String marker, long seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (out().contains(marker)) {
        return true;
      }
      if (!process.isAlive()) {
        return out().contains(marker);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /**
   * SIGTERM, like Ctrl-C: shutdown hooks run (embedded services stop cleanly); SIGKILL after 60 s.
   */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill9();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL: no shutdown hooks, no clean-up, like a crash or an OOM kill. */
  public void kill9() {
    try {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whole seconds since the child JVM was launched. A bound on how fast a child fails must count
   * from here: {@link #start} may first spend a minute making the class-data archive (on the first
   * child of a build), which is not the child's time.
   */
  public long secondsSinceStart() {
    return (System.nanoTime() - startedNanos) / 1_000_000_000;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String out() {
    return read(out);
  }

  public String err() {
    return read(err);
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill9();
    }
  }
}
