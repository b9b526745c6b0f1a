package dev.northwind.lakehouse.bronze;

import dev.northwind.lakehouse.lake.DatasetKind;
import dev.northwind.lakehouse.lake.DatasetSpec;
import dev.northwind.lakehouse.lake.WriteMode;
import dev.northwind.lakehouse.source.NorthwindSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Bronze datasets of the pipeline graph, declared once. Every source table lands as {@code
 * bronze.<table>}: a snapshot overwritten in one commit (none when its content is unchanged), or,
 * for tables named in {@code bronze.incremental}, an append of the rows above the watermark. Order
 * events come from Kafka through the stream flow.
 */
public final class BronzeDatasets {

  /** The flow that ingests the source tables ({@code lakehouse bronze}). */
  public static final String FLOW = "bronze";

  /**
   * The flow that appends order events from Kafka ({@code lakehouse stream}), run by the stream.
   */
  public static final String STREAM_FLOW = "stream";

  /** The flow that appends captured changes ({@code lakehouse cdc}), run by the capture. */
  public static final String CDC_FLOW = "cdc";

  private BronzeDatasets() {}

  /**
   * The declarations.
   *
   * @param incremental tables ingested incrementally, mapped to their watermark column
   * @param topic the Kafka topic of order events
   */
  public static List<DatasetSpec> declare(Map<String, String> incremental, String topic) {
    List<DatasetSpec> out = new ArrayList<>();
    for (String t : NorthwindSchema.TABLES) {
      String watermark = incremental.get(t);
      out.add(
          watermark == null
              ? new DatasetSpec(
                  "bronze." + t,
                  DatasetKind.SNAPSHOT,
                  WriteMode.OVERWRITE,
                  List.of(),
                  List.of(DatasetSpec.SOURCE + t),
                  FLOW,
                  "JDBC snapshot read + lineage columns",
                  "",
                  "source table " + t + " as of the last ingestion")
              : new DatasetSpec(
                  "bronze." + t,
                  DatasetKind.STREAMING_TABLE,
                  WriteMode.APPEND,
                  List.of(watermark),
                  List.of(DatasetSpec.SOURCE + t),
                  FLOW,
                  "JDBC read of rows with " + watermark + " above Bronze's maximum",
                  "",
                  "source table " + t + ", rows appended as they appear"));
    }
    out.add(
        new DatasetSpec(
            "bronze._runs",
            DatasetKind.STREAMING_TABLE,
            WriteMode.APPEND,
            List.of(),
            List.of(),
            FLOW,
            "one row per table per Bronze run",
            "",
            "Bronze run log"));
    String kafka = DatasetSpec.KAFKA + topic;
    out.add(
        new DatasetSpec(
            "bronze.order_events",
            DatasetKind.STREAMING_TABLE,
            WriteMode.APPEND,
            List.of("event_id"),
            List.of(kafka),
            STREAM_FLOW,
            "parsed order events, exactly once per event_id",
            "",
            "order events streamed from Kafka"));
    out.add(
        new DatasetSpec(
            "bronze.order_events_dead_letter",
            DatasetKind.STREAMING_TABLE,
            WriteMode.APPEND,
            List.of(),
            List.of(kafka),
            STREAM_FLOW,
            "unparseable or invalid messages with the reason",
            "",
            "rejected order messages"));
    out.add(
        new DatasetSpec(
            "bronze._stream_batches",
            DatasetKind.STREAMING_TABLE,
            WriteMode.APPEND,
            List.of(),
            List.of(kafka),
            STREAM_FLOW,
            "one row per micro-batch",
            "",
            "stream micro-batch log"));
    out.add(
        new DatasetSpec(
            "bronze.cdc_changes",
            DatasetKind.STREAMING_TABLE,
            WriteMode.APPEND,
            List.of("change_id"),
            List.of(DatasetSpec.KAFKA + "<cdc.topic-prefix>.*"),
            CDC_FLOW,
            "Debezium change events, exactly once per change_id",
            "",
            "every captured insert, update and delete of the source tables"));
    return List.copyOf(out);
  }
}
