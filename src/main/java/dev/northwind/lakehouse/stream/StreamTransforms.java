package dev.northwind.lakehouse.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_date;

import dev.northwind.lakehouse.lake.Schemas;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Pure transformations of the order-event stream: Kafka rows → parsed and validated events → Bronze
 * rows, dead letters, and Bronze-shaped orders / order_details for Silver.
 */
public final class StreamTransforms {

  /** One order line of an event: money is DECIMAL(12,4), discounts DECIMAL(5,4). */
  public static final StructType LINE =
      Schemas.of(
          "product_id INT NOT NULL, unit_price DECIMAL(12,4) NOT NULL, "
              + "quantity INT NOT NULL, discount DECIMAL(5,4) NOT NULL");

  /**
   * The parsed event fields, in contract order; every event has lines (the array holds no nulls).
   */
  public static final StructType EVENT =
      Schemas.of(
              "event_id STRING, event_time TIMESTAMP, order_id INT, "
                  + "customer_id STRING, employee_id INT, order_date DATE, required_date DATE, shipped_date DATE, ship_via INT, "
                  + "freight DECIMAL(12,4), ship_name STRING, ship_address STRING, ship_city STRING, ship_region STRING, "
                  + "ship_postal_code STRING, ship_country STRING")
          .add("lines", DataTypes.createArrayType(LINE, false));

  /** The Kafka columns kept with each message. */
  public static final StructType MESSAGE =
      Schemas.of(
          "key STRING, value STRING, topic STRING, partition INT, offset BIGINT, kafka_timestamp TIMESTAMP");

  /** Output of {@link #parse}: message, event fields (null when rejected), and {@code reason}. */
  public static final StructType PARSED =
      Schemas.concat(MESSAGE, EVENT, Schemas.of("reason STRING"));

  /**
   * Columns of the orders rows given to Silver (Bronze orders names plus event_id and event_time:
   * Silver's merge keeps the latest event of an order by event_time, so a re-sent order wins over
   * its earlier versions when all of them are merged again from Bronze).
   */
  static final String[] ORDER_COLUMNS = {
    "order_id",
    "customer_id",
    "employee_id",
    "order_date",
    "required_date",
    "shipped_date",
    "ship_via",
    "freight",
    "ship_name",
    "ship_address",
    "ship_city",
    "ship_region",
    "ship_postal_code",
    "ship_country",
    "event_id",
    "event_time"
  };

  private StreamTransforms() {}

  /**
   * Parses and validates raw Kafka rows (the Kafka source's key, value, topic, partition, offset,
   * timestamp columns) into {@link #PARSED} rows; {@code reason} says why a message is rejected.
   */
  public static Dataset<Row> parse(Dataset<Row> kafka) {
    return MicroBatch.records(kafka).mapPartitions(new EventParser(), Encoders.row(PARSED));
  }

  /**
   * Valid events, one per event_id (the first by topic, partition, offset), without {@code reason}.
   */
  public static Dataset<Row> accepted(Dataset<Row> parsed) {
    return parsed
        .filter(col("reason").isNull())
        .withColumn(
            "_n",
            row_number()
                .over(Window.partitionBy("event_id").orderBy("topic", "partition", "offset")))
        .filter(col("_n").equalTo(1))
        .drop("_n", "reason");
  }

  /** Rejected messages as dead letters: value, key, topic, partition, offset, reason. */
  public static Dataset<Row> rejected(Dataset<Row> parsed) {
    return parsed
        .filter(col("reason").isNotNull())
        .select("value", "key", "topic", "partition", "offset", "reason");
  }

  /**
   * The accepted events whose event_id is not among {@code known} (a Dataset with an event_id
   * column).
   */
  public static Dataset<Row> unseen(Dataset<Row> accepted, Dataset<Row> known) {
    return accepted.join(
        known.select("event_id"),
        accepted.col("event_id").equalTo(known.col("event_id")),
        "left_anti");
  }

  /** Accepted events in the column order of bronze.order_events (lineage not included). */
  public static Dataset<Row> bronzeEvents(Dataset<Row> accepted) {
    Column[] cols =
        Stream.concat(
                Stream.of("value", "key", "topic", "partition", "offset", "kafka_timestamp"),
                Arrays.stream(EVENT.fieldNames()))
            .map(c -> col(c))
            .toArray(Column[]::new);
    return accepted.select(cols);
  }

  /** Adds Bronze's lineage columns. */
  public static Dataset<Row> withLineage(
      Dataset<Row> rows,
      String sourceSystem,
      String sourceTable,
      String runId,
      Timestamp ingestedAt) {
    return rows.withColumn("_ingested_at", lit(ingestedAt))
        .withColumn("_source_system", lit(sourceSystem))
        .withColumn("_source_table", lit(sourceTable))
        .withColumn("_ingestion_date", to_date(lit(ingestedAt)))
        .withColumn("_run_id", lit(runId));
  }

  /**
   * One Bronze-shaped {@code orders} row per event: order_id, customer_id, employee_id, order_date,
   * required_date, shipped_date, ship_via, freight, ship_name, ship_address, ship_city,
   * ship_region, ship_postal_code, ship_country, event_id, event_time.
   */
  public static Dataset<Row> toOrders(Dataset<Row> events) {
    return events.select(Arrays.stream(ORDER_COLUMNS).map(c -> col(c)).toArray(Column[]::new));
  }

  /**
   * One Bronze-shaped {@code order_details} row per event line: order_id, product_id, unit_price,
   * quantity, discount, event_id.
   */
  public static Dataset<Row> toLines(Dataset<Row> events) {
    return events
        .select(col("order_id"), col("event_id"), explode(col("lines")).as("l"))
        .select(
            col("order_id"),
            col("l.product_id").as("product_id"),
            col("l.unit_price").as("unit_price"),
            col("l.quantity").as("quantity"),
            col("l.discount").as("discount"),
            col("event_id"));
  }
}
