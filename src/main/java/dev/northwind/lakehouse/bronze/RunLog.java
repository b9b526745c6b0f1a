package dev.northwind.lakehouse.bronze;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Schemas;
import dev.northwind.lakehouse.lake.TableId;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** {@code bronze._runs}: one row per run and table, appended in one commit at the end of a run. */
final class RunLog {

  static final TableId RUNS = TableId.bronze("_runs");

  static final StructType SCHEMA =
      Schemas.of(
          "run_id STRING NOT NULL, table_name STRING NOT NULL, "
              + "mode STRING NOT NULL, watermark_column STRING, watermark_from STRING, started_at TIMESTAMP NOT NULL, "
              + "ended_at TIMESTAMP NOT NULL, rows_read BIGINT, rows_written BIGINT NOT NULL, status STRING NOT NULL, "
              + "error STRING");

  private RunLog() {}

  static void append(
      SparkSession spark, Lake lake, String runId, List<BronzeReport.TableRun> runs) {
    if (runs.isEmpty()) {
      return;
    }
    List<Row> rows = new ArrayList<>();
    for (BronzeReport.TableRun r : runs) {
      rows.add(
          RowFactory.create(
              runId,
              r.table(),
              r.mode().id(),
              r.watermarkColumn(),
              r.watermarkFrom(),
              Timestamp.from(r.startedAt()),
              Timestamp.from(r.endedAt()),
              r.rowsRead(),
              r.rowsWritten(),
              r.status().name(),
              r.error()));
    }
    spark
        .createDataFrame(rows, SCHEMA)
        .coalesce(1)
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .save(lake.location(RUNS));
  }
}
