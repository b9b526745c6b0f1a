package dev.northwind.lakehouse.bronze;

import static org.apache.spark.sql.functions.lit;

import dev.northwind.lakehouse.lake.RunIds;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The lineage every Bronze row carries: which run wrote it, when, and from which source table.
 *
 * @param runId {@code bronze-<yyyyMMddHHmmss>-<6 hex>} ({@link RunIds})
 * @param ingestedAt the run's timestamp, the same for all its tables (microsecond precision, as
 *     Spark stores it)
 * @param sourceSystem {@code postgresql:<host:port>/<db>}
 */
record Lineage(String runId, Instant ingestedAt, String sourceSystem) {

  static final String INGESTED_AT = "_ingested_at";
  static final String SOURCE_SYSTEM = "_source_system";
  static final String SOURCE_TABLE = "_source_table";
  static final String INGESTION_DATE = "_ingestion_date";
  static final String RUN_ID = "_run_id";

  /** A new run's lineage, stamped now. */
  static Lineage start(String sourceSystem) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    return new Lineage(RunIds.next("bronze", now), now, sourceSystem);
  }

  /** The run's date in UTC: Bronze's partition value. */
  LocalDate ingestionDate() {
    return LocalDate.ofInstant(ingestedAt, ZoneOffset.UTC);
  }

  /** The source rows with the lineage columns appended (a pure projection). */
  Dataset<Row> apply(Dataset<Row> source, String sourceTable) {
    return source
        .withColumn(INGESTED_AT, lit(ingestedAt))
        .withColumn(SOURCE_SYSTEM, lit(sourceSystem))
        .withColumn(SOURCE_TABLE, lit(sourceTable))
        .withColumn(INGESTION_DATE, lit(ingestionDate()))
        .withColumn(RUN_ID, lit(runId));
  }
}
