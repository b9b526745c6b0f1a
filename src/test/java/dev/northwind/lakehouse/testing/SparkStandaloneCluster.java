package dev.northwind.lakehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Spark standalone cluster on this machine, from the Maven jars only: one Master and N Workers,
 * each a separate JVM on 127.0.0.1 with the test classpath. Executors are started by the Workers as
 * further JVMs. {@link #close()} (and a shutdown hook) stops every one of them.
 *
 * <p>Spark's own classes reach executors through {@code SPARK_DIST_CLASSPATH} (the dependency jars,
 * as in a "Hadoop free" Spark build); the application's classes do NOT: a driver must ship them
 * ({@code spark.jars}) or name them ({@code spark.executor.extraClassPath}), exactly as on a real
 * cluster. {@link #applicationClassPath()} gives the project's class folders for the latter.
 */
public final class SparkStandaloneCluster implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path dir;
  private final int port;
  private final int webUiPort;
  private final List<Process> processes = new ArrayList<>();
  private final Thread hook = new Thread(this::stopAll, "spark-standalone-cluster-stop");
  private final long startMillis;
  private final List<ProcessHandle> stopped = new ArrayList<>();
  private long startedAfter = -1;

  private SparkStandaloneCluster(Path dir, int port, int webUiPort) {
    this.dir = dir;
    this.port = port;
    this.webUiPort = webUiPort;
    this.startMillis = System.currentTimeMillis();
  }

  /**
   * Starts a Master and {@code workers} Workers (1 core, 1 GiB each) and waits until the Master
   * reports all Workers alive.
   */
  public static SparkStandaloneCluster start(int workers) {
    try {
      Path dir = Files.createTempDirectory("spark-standalone-");
      SparkStandaloneCluster c = new SparkStandaloneCluster(dir, freePort(), freePort());
      Runtime.getRuntime().addShutdownHook(c.hook);
      try {
        c.launch(workers);
        c.awaitWorkers(workers);
      } catch (RuntimeException | Error e) {
        c.close();
        throw e;
      }
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code spark://127.0.0.1:<port>}. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  /** The Master's web UI (its {@code /json} lists workers and applications). */
  public URI webUi() {
    return URI.create("http://127.0.0.1:" + webUiPort);
  }

  /** Milliseconds from start() until all Workers were alive. */
  public long startMillis() {
    return startedAfter;
  }

  /**
   * The cluster's folder: daemons' logs under {@code logs/}, workers' work dirs under {@code
   * work-N/}.
   */
  public Path dir() {
    return dir;
  }

  /** The project's own class folders (main and test), for {@code spark.executor.extraClassPath}. */
  public static String applicationClassPath() {
    return classPath().stream()
        .filter(e -> !e.endsWith(".jar"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** The dependency jars of the test classpath: what a Spark distribution's jars/ would hold. */
  static String dependencyClassPath() {
    return classPath().stream()
        .filter(e -> e.endsWith(".jar"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static List<String> classPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.isBlank())
        .toList();
  }

  /** Spark's JVM flags, generated from pom.xml into target/classes/lakehouse-jvm.flags. */
  public static List<String> jvmFlags() {
    try (var in = SparkStandaloneCluster.class.getResourceAsStream("/lakehouse-jvm.flags")) {
      if (in == null) {
        throw new IllegalStateException(
            "lakehouse-jvm.flags is not on the classpath: run mvn process-resources");
      }
      return Arrays.stream(
              new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+"))
          .filter(f -> !f.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The java launcher of the running JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void launch(int workers) throws IOException {
    Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));
    // Workers look for <SPARK_HOME>/jars to build executors' classpath; empty is fine because
    // SPARK_DIST_CLASSPATH below carries the jars.
    Files.createDirectories(sparkHome.resolve("jars"));
    Path logs = Files.createDirectories(dir.resolve("logs"));

    List<String> master = daemon("org.apache.spark.deploy.master.Master");
    master.addAll(
        List.of(
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--webui-port",
            Integer.toString(webUiPort)));
    processes.add(spawn(master, sparkHome, logs.resolve("master.log")));

    for (int i = 1; i <= workers; i++) {
      Path work = Files.createDirectories(dir.resolve("work-" + i));
      List<String> worker = daemon("org.apache.spark.deploy.worker.Worker");
      // Port 0: the worker's RPC port and web UI go to free ports (8081 may be taken).
      worker.addAll(
          List.of(
              "--host",
              "127.0.0.1",
              "--port",
              "0",
              "--webui-port",
              "0",
              "--cores",
              "1",
              "--memory",
              "1g",
              "--work-dir",
              work.toString(),
              masterUrl()));
      processes.add(spawn(worker, sparkHome, logs.resolve("worker-" + i + ".log")));
    }
  }

  private List<String> daemon(String mainClass) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.add("-Xmx256m");
    cmd.addAll(jvmFlags());
    // Else the Master also opens its REST submission server on the fixed port 6066.
    cmd.add("-Dspark.master.rest.enabled=false");
    cmd.add("-Dspark.ui.showConsoleProgress=false");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    return cmd;
  }

  private Process spawn(List<String> cmd, Path sparkHome, Path log) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    // Without it every executor launch fails with "Cannot find any build directories".
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_DIST_CLASSPATH", dependencyClassPath());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_DIRS", dir.resolve("local").toString());
    env.remove("SPARK_CONF_DIR");
    return pb.start();
  }

  private void awaitWorkers(int workers) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "a Spark daemon exited with " + p.exitValue() + "\n" + logs());
        }
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(webUi().resolve("/json/"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          JsonNode root = json.readTree(r.body());
          int alive = root.path("aliveworkers").asInt(0);
          last = "status " + root.path("status").asText() + ", " + alive + " alive workers";
          if ("ALIVE".equals(root.path("status").asText()) && alive >= workers) {
            startedAfter = System.currentTimeMillis() - startMillis;
            return;
          }
        }
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(300);
    }
    throw new IllegalStateException(
        "the standalone cluster did not get "
            + workers
            + " workers within "
            + START_TIMEOUT
            + " ("
            + last
            + ")\n"
            + logs());
  }

  /** The tail of every daemon's log, for failure messages. */
  public String logs() {
    StringBuilder sb = new StringBuilder();
    try (var files = Files.list(dir.resolve("logs"))) {
      for (Path f : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        sb.append("--- ").append(f.getFileName()).append(" (last 40 lines)\n");
        lines
            .subList(Math.max(0, lines.size() - 40), lines.size())
            .forEach(l -> sb.append(l).append('\n'));
      }
    } catch (IOException e) {
      sb.append("(logs unreadable: ").append(e).append(")");
    }
    return sb.toString();
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs (or ran) stopAll itself.
    }
  }

  /**
   * Stops Workers first (SIGTERM makes them end their executors), then the Master; anything still
   * alive after a grace period, executors included, is killed.
   */
  private synchronized void stopAll() {
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : processes) {
      all.add(p.toHandle());
      p.toHandle().descendants().forEach(all::add);
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).destroy();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    for (ProcessHandle h : all) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        h.onExit().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
    for (ProcessHandle h : all) {
      if (h.isAlive()) {
        h.destroyForcibly();
        try {
          h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          // Reported by the alive() check of callers; nothing else to do here.
        }
      }
    }
    stopped.addAll(all);
    processes.clear();
  }

  /**
   * The processes (daemons and executors) that were stopped and are still alive: empty after
   * close().
   */
  public List<ProcessHandle> leftovers() {
    return stopped.stream().filter(ProcessHandle::isAlive).toList();
  }

  /** The running daemons and their child processes (executors). */
  public List<ProcessHandle> processes() {
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : processes) {
      all.add(p.toHandle());
      p.toHandle().descendants().forEach(all::add);
    }
    return all;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
