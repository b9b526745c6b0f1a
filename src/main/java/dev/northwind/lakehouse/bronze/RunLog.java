package dev.northwind.lakehouse.bronze;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code bronze._runs}: one row per run and table, appended in one commit at the end of a run. */
final class RunLog {

  static final TableId RUNS = TableId.bronze("_runs");

  static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("table_name", DataTypes.StringType, false)
      .add("mode", DataTypes.StringType, false)
      .add("watermark_column", DataTypes.StringType, true)
      .add("watermark_from", DataTypes.StringType, true)
      .add("started_at", DataTypes.TimestampType, false)
      .add("ended_at", DataTypes.TimestampType, false)
      .add("rows_read", DataTypes.LongType, true)
      .add("rows_written", DataTypes.LongType, false)
      .add("status", DataTypes.StringType, false)
      .add("error", DataTypes.StringType, true);

  private RunLog() {}

  static void append(SparkSession spark, Lake lake, String runId, List<BronzeReport.TableRun> runs) {
    if (runs.isEmpty()) {
      return;
    }
    List<Row> rows = new ArrayList<>();
    for (BronzeReport.TableRun r : runs) {
      rows.add(RowFactory.create(runId, r.table(), r.mode().id(), r.watermarkColumn(), r.watermarkFrom(),
          Timestamp.from(r.startedAt()), Timestamp.from(r.endedAt()), r.rowsRead(), r.rowsWritten(),
          r.status().name(), r.error()));
    }
    spark.createDataFrame(rows, SCHEMA).coalesce(1).write().format("delta").mode(SaveMode.Append)
        .save(lake.location(RUNS));
  }
}
