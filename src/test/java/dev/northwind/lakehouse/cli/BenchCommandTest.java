package dev.northwind.lakehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
      assertThat(s.get("rows").asLong()).as(s.toString()).isPositive();
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
            "stream to Silver at 2 events/s (latency)",
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
}
