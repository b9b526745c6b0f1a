package dev.northwind.lakehouse.services;

import static dev.northwind.lakehouse.services.EmbeddedPostgresTest.names;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL started by a child JVM that is then killed -9 (see {@link PostgresChild}). */
class EmbeddedPostgresKillIT {

  @TempDir Path tmp;

  /**
   * The JVM that started the server is killed -9: its postmaster lives on; a new start must cope.
   */
  @Test
  void restartsAfterOwnerWasKilled() throws Exception {
    Path dir = tmp.resolve("pg");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PostgresChild.class.getName(),
                dir.toString()));
    Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String url;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      url = out.readLine();
      assertThat(url).as("child started PostgreSQL").startsWith("jdbc:postgresql:");
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.exists(dir.resolve("pg/postmaster.pid"))).as("orphan still runs").isTrue();
    long t0 = System.nanoTime();
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, 0, Mode.REUSE)) {
      System.err.printf(
          "postgres start after kill -9 %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(names(pg)).containsExactly("Ana Trujillo");
    }
  }
}
