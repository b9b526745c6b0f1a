package dev.northwind.lakehouse.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.testing.ChildLakehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.sql.Connection;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.NorthwindGenerator;
import dev.northwind.lakehouse.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service that is down, or a lake that cannot be written: a bounded, clear failure with exit 1. */
class ServiceFailureTest {

  @TempDir Path tmp;

  @Test
  void postgresUnreachableFailsFastNamingTheAddressAndNeverThePassword() {
    Path lake = tmp.resolve("lake");
    long t0 = System.nanoTime();
    try (ChildLakehouse child = ChildLakehouse.start(tmp.resolve("logs"), Map.of("LAKEHOUSE_SOURCE_PASSWORD", "hunter2",
        "SPARK_LOCAL_IP", "127.0.0.1"), "bronze", "--lake", lake.toUri().toString(), "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/x")) {
      int code = child.waitFor(90);
      long seconds = (System.nanoTime() - t0) / 1_000_000_000;
      System.err.printf("ServiceFailureTest postgres down: exit %d after %d s; stderr: %s%n", code, seconds, child.err().strip());
      assertThat(code).isEqualTo(1);
      assertThat(seconds).isLessThan(60);
      assertThat(child.err()).contains("PostgreSQL").contains("127.0.0.1:1").doesNotContain("\tat ");
      assertThat(child.out() + child.err()).doesNotContain("hunter2");
    }
    assertThat(lake.resolve("bronze")).doesNotExist();
  }

  @Test
  void configMasksThePassword() {
    try (ChildLakehouse child = ChildLakehouse.start(tmp.resolve("logs"), Map.of("LAKEHOUSE_SOURCE_PASSWORD", "hunter2"), "config")) {
      assertThat(child.waitFor(60)).isZero();
      System.err.printf("ServiceFailureTest config: %s%n", child.out().lines().filter(l -> l.contains("password")).toList());
      assertThat(child.out()).contains("source.password").doesNotContain("hunter2");
      assertThat(child.err()).doesNotContain("hunter2");
    }
  }

  @Test
  void kafkaUnreachableFailsWithinABoundedTimeNamingKafkaAndTheAddress() {
    Path lake = tmp.resolve("lake");
    long t0 = System.nanoTime();
    try (ChildLakehouse child = ChildLakehouse.start(tmp.resolve("logs"), Map.of("SPARK_LOCAL_IP", "127.0.0.1"),
        "stream", "--until-idle", "--lake", lake.toUri().toString(), "--kafka-bootstrap", "127.0.0.1:1")) {
      int code = child.waitFor(150);
      long seconds = (System.nanoTime() - t0) / 1_000_000_000;
      System.err.printf("ServiceFailureTest kafka down: exit %d after %d s; stderr: %s%n", code, seconds, child.err().strip());
      assertThat(code).isEqualTo(1);
      assertThat(seconds).as("child JVM start + %d s broker probe", 20).isLessThan(100);
      assertThat(child.err()).contains("Kafka").contains("127.0.0.1:1").doesNotContain("\tat ");
    }
    assertThat(lake.resolve("bronze/order_events/_delta_log")).doesNotExist();
  }

  @Test
  void aLakeUnderARegularFileFailsClearlyAndLeavesTheFileAlone() throws Exception {
    // Tests run as root, where chmod a-w does not stop writes; a path through a regular file does.
    Path file = Files.writeString(tmp.resolve("file.txt"), "not a folder", StandardCharsets.UTF_8);
    Path lake = file.resolve("lake");
    String url = TestPostgres.freshDatabase(ServiceFailureTest.class);
    try (Connection c = TestPostgres.connect(url)) {
      NorthwindGenerator.generate(c, 1, NorthwindGenerator.DEFAULT_SEED, ExistingData.REFUSE);
    }
    Cli r = Cli.run("bronze", "--lake", lake.toUri().toString(), "--jdbc-url", url, "--jdbc-user", TestPostgres.user(),
        "--set", "source.password=postgres", "--tables", "shippers");
    System.err.printf("ServiceFailureTest unwritable lake (bronze): exit %d; stderr: %s%n", r.code(), r.err().strip());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isNotBlank().contains(lake.toString()).doesNotContain("\tat ");
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("not a folder");
  }
}
