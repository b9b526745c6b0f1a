package dev.northwind.lakehouse.cdc;

/** Which part of change data capture {@code lakehouse cdc} runs. */
public enum CdcStage {
  /** Capture into Kafka and stream the change topics into Bronze. */
  ALL,
  /** Only Debezium into Kafka (no Spark in the process). */
  CAPTURE,
  /** Only the change topics into Bronze (capture runs elsewhere). */
  BRONZE
}
