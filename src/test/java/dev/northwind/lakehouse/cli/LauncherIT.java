package dev.northwind.lakehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real {@code ./lakehouse} launcher as a child process and checks its exit codes. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherIT {

  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of("lakehouse").toAbsolutePath().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.redirectOutput(dir.resolve("out.txt").toFile());
    pb.redirectError(dir.resolve("err.txt").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("launcher finished").isTrue();
    return new Result(
        p.exitValue(),
        java.nio.file.Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        java.nio.file.Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  /**
   * First, so the other tests start from a made archive (on a fresh clone this run builds the
   * project and makes it, after the command, as a user's first run does in the background). {@code
   * -Xshare:on} makes the JVM refuse to start unless it can map and validate the archive, so exit 0
   * proves every later start really uses it.
   */
  @Test
  @Order(1)
  void theClassDataArchiveIsMadeOnceAndUsedByEveryStart() throws Exception {
    Path target = Path.of("target").toAbsolutePath();
    // The launcher makes a missing archive in the background after the command; here, at once.
    assertThat(run(Map.of("LAKEHOUSE_CDS_WAIT", "1"), "--version").code()).isZero();
    assertThat(target.resolve("lakehouse.jsa")).exists();
    assertThat(target.resolve("lakehouse.jsa.classpath"))
        .hasSameTextualContentAs(target.resolve("classpath.txt"));
    Result again = run(Map.of("LAKEHOUSE_JAVA_OPTS", "-Xshare:on"), "--version");
    assertThat(again.code())
        .as("a start that must use the archive; stderr: %s", again.err())
        .isZero();
    assertThat(again.err()).as("nothing made again, no CDS warnings").isEmpty();
    assertThat(again.out()).startsWith("northwind-lakehouse");
  }

  @Test
  void helpExitsZeroAndDocumentsTheExitCodes() throws Exception {
    Result r = run(Map.of(), "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("Usage: lakehouse")
        .contains("Exit codes: 0 success, 1 a job failed, 2 a usage");
  }

  @Test
  void unknownFlagIsOneClearLineAndExitTwo() throws Exception {
    Result r = run(Map.of(), "config", "--no-such-flag");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "error: Unknown option: '--no-such-flag'. Run `lakehouse config --help` for usage.");
  }

  @Test
  void configErrorsExitTwoWithoutStackTraceAndWithoutSecrets() throws Exception {
    Result r =
        run(
            Map.of("LAKEHOUSE_SOURCE_PASSWORD", "hunter2", "LAKEHOUSE_DASHBOARD_PORT", "-1"),
            "config",
            "--lake",
            dir.resolve("lake").toString(),
            "--spark-master",
            "nowhere");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("spark.master = 'nowhere' (flag)")
        .contains("dashboard.port = '-1' (environment)")
        .doesNotContain("hunter2")
        .doesNotContain("\tat ");
  }

  @Test
  void configPrintsEffectiveValuesWithSecretsMasked() throws Exception {
    Result r =
        run(
            Map.of("LAKEHOUSE_SOURCE_PASSWORD", "hunter2"),
            "config",
            "--lake",
            dir.resolve("lake").toString(),
            "--topic",
            "t1");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("kafka.topic")
        .contains("t1")
        .contains("(flag)")
        .contains("source.password")
        .contains("******")
        .contains("(environment)")
        .doesNotContain("hunter2");
  }

  @Test
  void queryOnAMissingTableExitsTwo() throws Exception {
    Result r =
        run(
            Map.of(),
            "sql",
            "--lake",
            dir.resolve("lake").toString(),
            "SELECT * FROM gold.kpi_summary");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Table gold.kpi_summary does not exist").doesNotContain("\tat ");
  }
}
