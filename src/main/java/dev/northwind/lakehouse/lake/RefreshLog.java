package dev.northwind.lakehouse.lake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northwind.lakehouse.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The pipeline runner's memory: one small JSON file per dataset under {@code
 * <lake>/_pipeline/datasets/<layer.name>.json} with its last {@link Refresh}. Read and written
 * through Hadoop's file system (so an {@code s3a://} lake keeps it beside its tables), without any
 * Spark job.
 *
 * <p>A file is replaced in one write. A refresh whose record was never written (the process died
 * after the commit) or whose file cannot be read is simply stale: the next run refreshes the
 * dataset again, and every flow is idempotent, so a lost record costs time, never correctness.
 */
public final class RefreshLog {

  private final Path dir;
  private final Configuration hadoop;

  public RefreshLog(Lake lake, Configuration hadoop) {
    this.dir = new Path(lake.root() + "/_pipeline/datasets");
    this.hadoop = hadoop;
  }

  /** The dataset's last recorded refresh, if any (an unreadable record counts as none). */
  public Optional<Refresh> last(String dataset) {
    Path file = file(dataset);
    try {
      FileSystem fs = file.getFileSystem(hadoop);
      if (!fs.exists(file)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(file)) {
        return Optional.of(parse(Json.tree(new String(in.readAllBytes(), StandardCharsets.UTF_8))));
      }
    } catch (IOException | RuntimeException e) {
      // A torn or foreign file: the dataset is refreshed again, which is always safe.
      return Optional.empty();
    }
  }

  /** Records a refresh, replacing the previous record. */
  public void record(Refresh r) {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("dataset", r.dataset());
    n.put("run_id", r.runId());
    n.put("refreshed_at", r.refreshedAt().toString());
    n.put("outcome", r.outcome().name());
    n.put("inputs", new java.util.TreeMap<>(r.inputs()));
    n.put("version", r.version());
    n.put("millis", r.millis());
    Path file = file(r.dataset());
    try {
      FileSystem fs = file.getFileSystem(hadoop);
      try (OutputStream out = fs.create(file, true)) {
        out.write(Json.pretty(n).getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot record the refresh of " + r.dataset() + " at " + file, e);
    }
  }

  private Path file(String dataset) {
    return new Path(dir, dataset + ".json");
  }

  private static Refresh parse(JsonNode n) {
    Map<String, Long> inputs = new LinkedHashMap<>();
    n.path("inputs").fields().forEachRemaining(e -> inputs.put(e.getKey(), e.getValue().asLong()));
    return new Refresh(
        n.get("dataset").asText(),
        n.path("run_id").asText(),
        Instant.parse(n.get("refreshed_at").asText()),
        Refresh.Outcome.valueOf(n.get("outcome").asText()),
        inputs,
        n.path("version").asLong(-1),
        n.path("millis").asLong());
  }
}
