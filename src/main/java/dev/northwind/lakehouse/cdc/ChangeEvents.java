package dev.northwind.lakehouse.cdc;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import dev.northwind.lakehouse.lake.Schemas;
import dev.northwind.lakehouse.stream.MicroBatch;
import java.sql.Timestamp;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Pure transforms from Debezium's JSON change events (as read from Kafka) to rows of {@code
 * bronze.cdc_changes}: what each event says, why an event is rejected, and its identity for
 * deduplication.
 */
public final class ChangeEvents {

  /** Columns of a change row, in table order (lineage columns follow). */
  static final String[] CHANGE_COLUMNS = {
    "change_id",
    "source_schema",
    "source_table",
    "op",
    "lsn",
    "txn_id",
    "txn_order",
    "commit_time",
    "key",
    "before",
    "after",
    "topic",
    "partition",
    "offset",
    "kafka_timestamp"
  };

  /**
   * The fields of a Debezium event that Bronze keeps, every leaf as text (numbers and objects as
   * their JSON text), so a field of an unexpected type is null rather than the whole event.
   */
  private static final StructType EVENT =
      Schemas.of("op STRING, before STRING, after STRING")
          .add(
              "source",
              Schemas.of("schema STRING, table STRING, lsn STRING, txId STRING, ts_ms STRING"))
          .add("transaction", Schemas.of("total_order STRING"));

  private ChangeEvents() {}

  /**
   * Kafka records (key, value, topic, partition, offset, timestamp) with the event's fields
   * extracted and a {@code reason} column: null for a valid change, else why it is rejected.
   */
  public static Dataset<Row> parse(Dataset<Row> kafka) {
    // One pass of the JSON parser per event: a get_json_object per field parsed every event nine
    // times over, 42% of the CDC Bronze step's executor samples. Every leaf is read as text and
    // cast as before, and the row images are kept as the JSON text Jackson copies out (the same
    // bytes get_json_object gave: change_id hashes them, ChangeEventsTest compares both ways).
    Column e = from_json(col("value"), EVENT, Map.of());
    Dataset<Row> rows =
        MicroBatch.records(kafka)
            .withColumn("_e", e)
            .withColumn("op", col("_e.op"))
            .withColumn("source_schema", col("_e.source.schema"))
            .withColumn("source_table", col("_e.source.table"))
            .withColumn("lsn", col("_e.source.lsn").try_cast("long"))
            .withColumn("txn_id", col("_e.source.txId").try_cast("long"))
            .withColumn("txn_order", col("_e.transaction.total_order").try_cast("long"))
            .withColumn("commit_time", timestamp_millis(col("_e.source.ts_ms").try_cast("long")))
            .withColumn("before", col("_e.before"))
            .withColumn("after", col("_e.after"))
            .drop("_e");
    return rows.withColumn("reason", reason()).withColumn("change_id", changeId());
  }

  /** Why an event cannot be a change row, or null. The first failing rule wins. */
  private static Column reason() {
    Column op = col("op");
    // Whether the message is JSON at all is asked only of events without an op: it parses the
    // message again, and every valid event has an op.
    return when(col("value").isNull(), lit("empty message: no change event"))
        .when(
            op.isNull().and(get_json_object(col("value"), "$").isNull()), lit("not a JSON object"))
        .when(op.isNull(), lit("no op: not a Debezium change event"))
        .when(
            op.isin("c", "u", "d", "r").unary_$bang(),
            concat_ws("", lit("unknown operation '"), op, lit("'")))
        .when(
            col("source_table").isNull().or(col("source_schema").isNull()),
            lit("no source.schema/source.table"))
        .when(col("lsn").isNull(), lit("no source.lsn (or not a number)"))
        .when(col("commit_time").isNull(), lit("no source.ts_ms (or not a number)"))
        .when(col("key").isNull(), lit("no key: the table has no primary key"))
        .when(op.isin("c", "u", "r").and(col("after").isNull()), lit("no row after the change"))
        .when(op.equalTo("d").and(col("before").isNull()), lit("no row before the delete"));
  }

  /**
   * A change's identity, the same every time the event is sent: table, operation and key, with the
   * WAL position and the order in the transaction for a streamed change. A snapshot read (op r) is
   * identified by the row itself instead: a snapshot redone after a crash reads the same rows at
   * another LSN, and must not add them twice.
   */
  private static Column changeId() {
    Column position =
        when(col("op").equalTo("r"), coalesce(col("after"), lit("")))
            .otherwise(
                concat_ws(
                    ":",
                    col("lsn").cast("string"),
                    coalesce(col("txn_order").cast("string"), lit("-"))));
    return sha2(
        concat_ws(
            "|",
            col("source_schema"),
            col("source_table"),
            col("op"),
            position,
            coalesce(col("key"), lit(""))),
        256);
  }

  /** The valid changes, once each within the batch, as change rows (lineage not included). */
  public static Dataset<Row> accepted(Dataset<Row> parsed) {
    return parsed
        .filter(col("reason").isNull())
        .dropDuplicates("change_id")
        .select(java.util.Arrays.stream(CHANGE_COLUMNS).map(c -> col(c)).toArray(Column[]::new));
  }

  /** The rejected events with their reason, for the dead-letter table. */
  public static Dataset<Row> rejected(Dataset<Row> parsed) {
    return parsed
        .filter(col("reason").isNotNull())
        .select(
            col("value"),
            col("key"),
            col("topic"),
            col("partition"),
            col("offset"),
            col("reason"),
            coalesce(col("source_table"), col("topic")).as("source_table"));
  }

  /**
   * What the dedupe against Bronze needs to know of a parsed batch, counted in one Spark job.
   *
   * @param counts messages read and rejected
   * @param minLsn lowest WAL position of a valid change (null when there is none)
   * @param maxLsn highest WAL position of a valid change (null when there is none)
   * @param snapshotReads valid snapshot reads (op r)
   */
  public record BatchRange(MicroBatch.Counts counts, Long minLsn, Long maxLsn, long snapshotReads) {

    /** Counts {@code parsed} (the output of {@link #parse}). */
    public static BatchRange of(Dataset<Row> parsed) {
      Column valid = col("reason").isNull();
      Row r =
          parsed
              .agg(
                  count(lit(1)),
                  count(when(valid.unary_$bang(), lit(1))),
                  min(when(valid, col("lsn"))),
                  max(when(valid, col("lsn"))),
                  count(when(valid.and(col("op").equalTo("r")), lit(1))))
              .first();
      return new BatchRange(
          new MicroBatch.Counts(r.getLong(0), r.getLong(1)),
          r.isNullAt(2) ? null : r.getLong(2),
          r.isNullAt(3) ? null : r.getLong(3),
          r.getLong(4));
    }
  }

  /**
   * The Bronze changes a batch's changes can be copies of. A streamed change's id holds its WAL
   * position, so its copy has the same LSN: within the batch's range, which Delta's per-file LSN
   * statistics narrow to the last few files instead of every change ever captured. A snapshot
   * read's id holds the row instead (a snapshot taken again reads it at another LSN), so a batch
   * with snapshot reads is checked against everything.
   */
  public static Dataset<Row> possibleCopies(Dataset<Row> bronze, BatchRange batch) {
    if (batch.snapshotReads() > 0 || batch.minLsn() == null) {
      return bronze;
    }
    return bronze.where(col("lsn").between(batch.minLsn(), batch.maxLsn()));
  }

  /** The changes whose change_id is not among {@code known} (a Dataset with a change_id column). */
  public static Dataset<Row> unseen(Dataset<Row> changes, Dataset<Row> known) {
    return changes.join(
        known.select("change_id"),
        changes.col("change_id").equalTo(known.col("change_id")),
        "left_anti");
  }

  /** Adds Bronze's lineage columns; {@code _source_table} is each row's own source table. */
  public static Dataset<Row> withLineage(
      Dataset<Row> rows, String sourceSystem, String runId, Timestamp ingestedAt) {
    return rows.withColumn("_ingested_at", lit(ingestedAt))
        .withColumn("_source_system", lit(sourceSystem))
        .withColumn("_source_table", col("source_table"))
        .withColumn("_ingestion_date", to_date(lit(ingestedAt)))
        .withColumn("_run_id", lit(runId));
  }
}
