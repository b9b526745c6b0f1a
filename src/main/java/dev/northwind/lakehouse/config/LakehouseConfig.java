package dev.northwind.lakehouse.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The effective configuration, parsed and checked once by {@link ConfigLoader}. Immutable.
 *
 * @param lakeRoot root URI of the lake, normalised (a local path becomes an absolute file: URI)
 * @param servicesDir folder of the embedded services' data
 * @param ports ports of the embedded services
 * @param source the source database
 * @param kafka the order-event topic and its brokers
 * @param spark Spark master and extra settings
 * @param stream streaming settings
 * @param dashboard dashboard server address
 * @param raw every key's effective string value (secrets included; print via {@link #describe()})
 */
public record LakehouseConfig(
    URI lakeRoot,
    Path servicesDir,
    Ports ports,
    Source source,
    Kafka kafka,
    Spark spark,
    Stream stream,
    Dashboard dashboard,
    Map<String, Resolved> raw) {

  /**
   * The source database.
   *
   * @param jdbcUrl empty when the embedded PostgreSQL is to be used
   * @param incremental tables read incrementally, mapped to their watermark column
   */
  public record Source(
      Optional<String> jdbcUrl,
      String user,
      String password,
      String schema,
      int fetchSize,
      int readPartitions,
      int partitionMinRows,
      Map<String, String> incremental) {

    @Override
    public String toString() {
      // Records print every component; the password must never reach a log.
      return "Source[jdbcUrl="
          + jdbcUrl.orElse("(embedded)")
          + ", user="
          + user
          + ", schema="
          + schema
          + "]";
    }
  }

  /** Ports of the embedded services (0 = any free port). */
  public record Ports(int postgres, int kafka) {}

  /** Kafka: empty bootstrap means the embedded broker. */
  public record Kafka(Optional<String> bootstrapServers, String topic) {}

  /** Spark master and extra settings applied to the session. */
  public record Spark(String master, Map<String, String> conf) {

    @Override
    public String toString() {
      // conf may hold s3a keys or passwords: mask them like lakehouse config does.
      StringBuilder sb = new StringBuilder("Spark[master=" + master + ", conf={");
      String sep = "";
      for (Map.Entry<String, String> e : conf.entrySet()) {
        sb.append(sep)
            .append(e.getKey())
            .append('=')
            .append(ConfigKey.secretName(e.getKey()) ? "******" : e.getValue());
        sep = ", ";
      }
      return sb.append("}]").toString();
    }
  }

  /**
   * Streaming settings.
   *
   * @param silver what each micro-batch does after its Bronze writes
   */
  public record Stream(String triggerInterval, int maxOffsetsPerTrigger, StreamSilver silver) {

    /** The same settings with another Silver mode. */
    public Stream withSilver(StreamSilver mode) {
      return new Stream(triggerInterval, maxOffsetsPerTrigger, mode);
    }
  }

  /** Key {@code stream.silver}: what a micro-batch does after Bronze. */
  public enum StreamSilver {
    /**
     * Merge the batch's orders into Silver (when Silver exists): events reach Silver within a
     * batch.
     */
    MERGE,
    /**
     * Bronze only: the stream's throughput is Bronze's; {@code lakehouse silver} merges the events
     * later.
     */
    OFF;

    static StreamSilver parse(String value) {
      return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    }
  }

  /**
   * Dashboard server address and access token.
   *
   * @param token the access token, empty when none is set
   */
  public record Dashboard(String host, int port, String token) {

    /** Without the token: records print their fields, and the token must never be printed. */
    @Override
    public String toString() {
      return "Dashboard[host="
          + host
          + ", port="
          + port
          + ", token="
          + (token.isEmpty() ? "" : "******")
          + "]";
    }
  }

  /** Where a key's effective value came from. */
  public enum Origin {
    FLAG,
    ENVIRONMENT,
    FILE,
    DEFAULT
  }

  /** A key's effective raw value and its origin. */
  public record Resolved(ConfigKey key, String value, Origin origin) {
    /** The value as it may be printed (secrets masked). */
    public String display() {
      return key.display(value);
    }
  }

  /** Whether the lake lives on the local file system. */
  public boolean localLake() {
    return lakeRoot.getScheme() == null || "file".equals(lakeRoot.getScheme());
  }

  /** The effective configuration as aligned lines, secrets masked. */
  public String describe() {
    int width = raw.keySet().stream().mapToInt(String::length).max().orElse(10);
    StringBuilder sb = new StringBuilder();
    for (Resolved r : raw.values()) {
      sb.append(
          String.format(
              "%-" + width + "s  %-28s  (%s)%n",
              r.key().name(),
              r.display(),
              r.origin().name().toLowerCase(java.util.Locale.ROOT)));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "LakehouseConfig[lakeRoot="
        + lakeRoot
        + ", source="
        + source
        + ", kafka="
        + kafka
        + ", spark="
        + spark
        + "]";
  }
}
