package dev.northwind.lakehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.northwind.lakehouse.cdc.CdcPostgres;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// A whole bench run costs minutes, and `lakehouse bench` itself is run for the README's figures;
// excluded from the default run to keep CI short: -Dexcluded.groups= -Dgroups=bench
// -Dtest=BenchCommandTest.
@Tag("bench")
class BenchCommandTest {

  @Test
  void benchAtScaleOneReportsEveryStageWithRows(@TempDir Path dir) throws Exception {
    TestSpark.spark();
    String url = TestPostgres.freshDatabase(BenchCommandTest.class);
    Path out = dir.resolve("out/bench.md");
    CliRun run =
        CliRun.of(
            "bench",
            "--scales",
            "1",
            "--repeat",
            "1",
            "--stream-events",
            "20",
            "--stream-rate",
            "2",
            // The CDC part needs a logical-decoding server: its own test below.
            "--parts",
            "pipeline",
            "--lake",
            dir.resolve("lake").toString(),
            "--jdbc-url",
            url,
            "--jdbc-user",
            TestPostgres.user(),
            "--kafka-bootstrap",
            TestKafka.bootstrap(),
            "--out",
            out.toString());
    assertThat(run.code()).as(run.out() + run.err()).isZero();

    JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("out/bench.json")));
    List<String> stages = new ArrayList<>();
    for (JsonNode s : json.get("stages")) {
      stages.add(s.get("stage").asText());
      if (s.get("stage").asText().contains("nothing new")) {
        // The point of that stage: a refresh with nothing new touches no row.
        assertThat(s.get("rows").asLong()).as(s.toString()).isZero();
      } else {
        assertThat(s.get("rows").asLong()).as(s.toString()).isPositive();
      }
      assertThat(s.get("scale").asInt()).isEqualTo(1);
    }
    assertThat(stages)
        .contains(
            "load source (generator)",
            "bronze",
            "silver",
            "gold",
            "produce events (Kafka, max rate)",
            "stream into Bronze (stream.silver=off)",
            "stream to Silver and Gold at 2 events/s (latency)",
            "postgres baseline (gold figures as SQL)");
    for (JsonNode s : json.get("stages")) {
      if (s.get("stage").asText().endsWith("(latency)")) {
        // 40 events at 2/s: every one reached Silver, after it was produced.
        assertThat(s.get("rows").asLong()).isEqualTo(40);
        assertThat(s.get("event_to_silver_p50_ms").asLong()).isPositive();
      }
    }
    assertThat(Files.readString(out)).contains("| scale | stage |").contains("| 1 | gold |");
    assertThat(run.out()).contains("spark_gold_over_postgres=");
  }

  @Test
  void cdcStagesReportCaptureThroughputAndCommitToSilverLatency(@TempDir Path dir)
      throws Exception {
    TestSpark.spark();
    JdbcSource db = CdcPostgres.newDatabase("bench_cdc");
    Path out = dir.resolve("out/bench.md");
    CliRun run =
        CliRun.of(
            "bench",
            "--scales",
            "1",
            "--repeat",
            "1",
            "--parts",
            "cdc",
            "--cdc-changes",
            "300",
            "--cdc-rate",
            "20",
            "--cdc-seconds",
            "3",
            "--lake",
            dir.resolve("lake").toString(),
            "--jdbc-url",
            db.url(),
            "--jdbc-user",
            db.user(),
            "--kafka-bootstrap",
            TestKafka.bootstrap(),
            "--set",
            "cdc.idle=1 second",
            "--set",
            "stream.trigger.interval=1 second",
            "--out",
            out.toString());
    assertThat(run.code()).as(run.out() + run.err()).isZero();

    JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("out/bench.json")));
    Map<String, JsonNode> stages = new LinkedHashMap<>();
    json.get("stages").forEach(s -> stages.put(s.get("stage").asText(), s));
    assertThat(stages)
        .containsOnlyKeys(
            "load source (generator)",
            "cdc capture into Kafka (until idle, start-up and idle included)",
            "cdc changes into Bronze (AvailableNow)",
            "cdc capture into Bronze, 300 changes (cdc --until-idle)",
            "cdc commit → Silver at 20 changes/s for 3 s (latency)");
    // Exactly the committed changes were captured and appended (the stage checks it, too).
    assertThat(
            stages
                .get("cdc capture into Bronze, 300 changes (cdc --until-idle)")
                .get("rows")
                .asLong())
        .isEqualTo(300);
    JsonNode latency = stages.get("cdc commit → Silver at 20 changes/s for 3 s (latency)");
    assertThat(latency.get("rows").asLong()).isEqualTo(60);
    long toBronze = latency.get("commit_to_bronze_p50_ms").asLong();
    long p50 = latency.get("commit_to_silver_p50_ms").asLong();
    long p99 = latency.get("commit_to_silver_p99_ms").asLong();
    assertThat(toBronze).isPositive();
    // Silver is reached after Bronze, by an apply that ended after the change was committed.
    assertThat(p50).isGreaterThan(toBronze);
    assertThat(p99).isGreaterThanOrEqualTo(p50);
    assertThat(latency.get("applies").asInt()).isPositive();
    // The bench's slot and publication are gone: a slot left behind would hold WAL forever.
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'northwind_bench'),"
                    + " (SELECT count(*) FROM pg_publication WHERE pubname = 'northwind_bench')")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
      assertThat(rs.getInt(2)).isZero();
    }
  }
}
