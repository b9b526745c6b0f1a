package dev.northwind.lakehouse.reliability;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Layer;
import dev.northwind.lakehouse.lake.TableId;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Row count plus a content checksum (sum of xxhash64 over the columns that must not differ between
 * two runs) for each table of a layer. Run ids, timestamps of the run and lineage columns differ
 * legitimately between runs and are left out; run-log tables (one row per run) are compared as
 * their distinct rows, since a run killed after committing them adds a legitimate extra row.
 */
final class LakeFingerprint {

  /** Columns that record when/which run wrote a row, not what the row says. */
  static final Set<String> VOLATILE =
      Set.of(
          "_ingested_at",
          "_ingestion_date",
          "_run_id",
          "run_id",
          "updated_at",
          "quarantined_at",
          "checked_at",
          "computed_at",
          "valid_from",
          "valid_to",
          "silver_version");

  /** Tables that get one row (or a few) per run by design. */
  static final Set<String> PER_RUN = Set.of("kpi_summary", "quality_results", "quarantine");

  private LakeFingerprint() {}

  static Map<String, String> of(SparkSession spark, Lake lake, Layer layer) {
    Map<String, String> out = new TreeMap<>();
    for (TableId id : lake.tables(spark, layer)) {
      if (id.name().startsWith("_")) {
        continue; // run logs of the jobs themselves (bronze._runs, _stream_batches)
      }
      out.put(id.qualified(), of(lake.read(spark, id), PER_RUN.contains(id.name())));
    }
    return out;
  }

  static String of(Dataset<Row> df, boolean distinct) {
    String[] drop = Arrays.stream(df.columns()).filter(VOLATILE::contains).toArray(String[]::new);
    Dataset<Row> kept = df.drop(drop);
    if (distinct) {
      kept = kept.distinct();
    }
    Row r =
        kept.selectExpr("count(*)", "coalesce(sum(cast(xxhash64(*) as decimal(38,0))), 0)").first();
    return r.getLong(0) + " rows, checksum " + r.get(1);
  }
}
