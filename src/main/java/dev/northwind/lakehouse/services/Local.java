package dev.northwind.lakehouse.services;

import dev.northwind.lakehouse.LakehouseErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small machine-local helpers shared by the embedded services: ports, child processes. */
final class Local {

  /** Both services listen on loopback only, so nothing outside the machine can reach them. */
  static final String HOST = "127.0.0.1";

  private Local() {}

  /**
   * Whether nothing listens on {@code port} of the loopback address. SO_REUSEADDR is on (as in
   * PostgreSQL and Kafka) so a port left in TIME_WAIT by a server that just stopped counts as free.
   */
  static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * What an embedded server starts with: its data folder (absolute), its port, and the folder's
   * lock, which the server releases when it stops (or the caller when the start fails).
   */
  record Claim(Path dir, int port, DirLock lock) {}

  /**
   * Claims a port ({@code 0}: any free one) and a data folder for a server, failing with a clear
   * error when the port is taken or another process holds the folder.
   */
  static Claim claim(String service, Path dataDir, int port) {
    Path dir = dataDir.toAbsolutePath().normalize();
    if (port != 0 && !free(port)) {
      throw LakehouseErrors.portInUse(service, port);
    }
    int actualPort = port == 0 ? anyFreePort() : port;
    return new Claim(dir, actualPort, DirLock.take(service, dir));
  }

  /**
   * A free port other than {@code taken}: a port chosen a moment ago and not yet bound (the client
   * port a service is about to listen on) is free again, and the system may hand it out twice
   * (Kafka then refused to start with its broker and controller on one port).
   */
  static int anyFreePortBut(int taken) {
    for (int i = 0; i < 100; i++) {
      int p = anyFreePort();
      if (p != taken) {
        return p;
      }
    }
    throw new UncheckedIOException(
        new IOException("No free TCP port on " + HOST + " other than " + taken));
  }

  /** A port that is free right now; another process could still take it before we bind it. */
  static int anyFreePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free TCP port on " + HOST, e);
    }
  }

  /**
   * Runs a command to completion and returns its combined output; a non-zero exit becomes an
   * IOException that carries the output, because that is where the tools explain what failed.
   */
  static String run(List<String> command, long timeoutSeconds) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    // Read on this thread: the tools print little, and a full pipe would block them.
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("Interrupted while running " + command.get(0), e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output);
    }
    return output;
  }

  /** Whether this JVM runs as root, where PostgreSQL refuses to start without help. */
  static boolean root() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (RuntimeException | LinkageError e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
