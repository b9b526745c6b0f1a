package dev.northwind.lakehouse.config;

import dev.northwind.lakehouse.config.ConfigKey.Secrecy;
import dev.northwind.lakehouse.config.ConfigKey.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every configuration key of the lakehouse, each defined once with its default, check and
 * description. Set a key with a flag, with its environment variable ({@link ConfigKey#envVar()}),
 * or in the {@code --config} file; precedence is flags &gt; environment &gt; file &gt; defaults.
 */
public final class ConfigKeys {

  private ConfigKeys() {}

  /** Root of the lake: a path or URI (file:, s3a:, hdfs:). Tables live under layer/table. */
  public static final ConfigKey LAKE_ROOT =
      new ConfigKey(
          "lake.root",
          Type.URI,
          "./lakehouse-data/lake",
          Checks.uri(),
          Secrecy.PLAIN,
          "Root of the lake (path or URI such as s3a://bucket/lake); tables live at <root>/<layer>/<table>.");

  /**
   * Where embedded services keep their data; empty means the lake's sibling folder {@code
   * services}.
   */
  public static final ConfigKey SERVICES_DIR =
      new ConfigKey(
          "services.dir",
          Type.STRING,
          "",
          ConfigKey.Check.NONE,
          Secrecy.PLAIN,
          "Folder for the embedded PostgreSQL and Kafka data; empty = <lake parent>/services.");

  public static final ConfigKey SERVICES_POSTGRES_PORT =
      new ConfigKey(
          "services.postgres.port",
          Type.INT,
          "0",
          Checks.intBetween(0, 65535),
          Secrecy.PLAIN,
          "Port of the embedded PostgreSQL on 127.0.0.1 (0 = any free port).");

  public static final ConfigKey SERVICES_KAFKA_PORT =
      new ConfigKey(
          "services.kafka.port",
          Type.INT,
          "0",
          Checks.intBetween(0, 65535),
          Secrecy.PLAIN,
          "Port of the embedded Kafka broker on 127.0.0.1 (0 = any free port).");

  /** JDBC URL of the source; empty starts (or reuses) the embedded PostgreSQL. */
  public static final ConfigKey SOURCE_JDBC_URL =
      new ConfigKey(
          "source.jdbc.url",
          Type.STRING,
          "",
          Checks.jdbcPostgresOrEmpty(),
          Secrecy.PLAIN,
          "JDBC URL of the source PostgreSQL; empty = the embedded one.");

  public static final ConfigKey SOURCE_USER =
      new ConfigKey(
          "source.user",
          Type.STRING,
          "postgres",
          Checks.notBlank(),
          Secrecy.PLAIN,
          "User for the source database.");

  /**
   * Never printed; set it with LAKEHOUSE_SOURCE_PASSWORD or in the config file, not on the command
   * line.
   */
  public static final ConfigKey SOURCE_PASSWORD =
      new ConfigKey(
          "source.password",
          Type.STRING,
          "",
          ConfigKey.Check.NONE,
          Secrecy.SECRET,
          "Password for the source database (environment or config file only; always masked).");

  public static final ConfigKey SOURCE_SCHEMA =
      new ConfigKey(
          "source.schema",
          Type.STRING,
          "public",
          Checks.identifier(),
          Secrecy.PLAIN,
          "Schema of the source database whose base tables are ingested.");

  public static final ConfigKey SOURCE_FETCH_SIZE =
      new ConfigKey(
          "source.fetch.size",
          Type.INT,
          "10000",
          Checks.intBetween(1, 1_000_000),
          Secrecy.PLAIN,
          "JDBC fetch size: rows per round trip when reading the source.");

  public static final ConfigKey SOURCE_READ_PARTITIONS =
      new ConfigKey(
          "source.read.partitions",
          Type.INT,
          "4",
          Checks.intBetween(1, 1024),
          Secrecy.PLAIN,
          "JDBC read partitions (key ranges read in parallel) for tables above source.partition.min.rows.");

  public static final ConfigKey SOURCE_PARTITION_MIN_ROWS =
      new ConfigKey(
          "source.partition.min.rows",
          Type.INT,
          "50000",
          Checks.intBetween(0, Integer.MAX_VALUE),
          Secrecy.PLAIN,
          "Tables with at least this many rows are read in key ranges in parallel.");

  public static final ConfigKey BRONZE_INCREMENTAL =
      new ConfigKey(
          "bronze.incremental",
          Type.STRING,
          "orders=order_id,order_details=order_id",
          Checks.tableMap(),
          Secrecy.PLAIN,
          "Tables ingested incrementally, as table=watermark column; every other table is a full snapshot.");

  public static final ConfigKey KAFKA_BOOTSTRAP =
      new ConfigKey(
          "kafka.bootstrap.servers",
          Type.STRING,
          "",
          Checks.hostPortListOrEmpty(),
          Secrecy.PLAIN,
          "Kafka bootstrap servers (host:port,...); empty = the embedded broker.");

  public static final ConfigKey KAFKA_TOPIC =
      new ConfigKey(
          "kafka.topic",
          Type.STRING,
          "northwind.orders",
          Checks.topicName(),
          Secrecy.PLAIN,
          "Topic of the order events.");

  public static final ConfigKey STREAM_TRIGGER =
      new ConfigKey(
          "stream.trigger.interval",
          Type.STRING,
          "5 seconds",
          Checks.duration(),
          Secrecy.PLAIN,
          "Micro-batch interval of the continuous stream.");

  public static final ConfigKey STREAM_MAX_OFFSETS =
      new ConfigKey(
          "stream.max.offsets.per.trigger",
          Type.INT,
          "200000",
          Checks.intBetween(1, Integer.MAX_VALUE),
          Secrecy.PLAIN,
          "Most Kafka records read per micro-batch.");

  /** What a micro-batch does after Bronze; see {@link LakehouseConfig.StreamSilver}. */
  public static final ConfigKey STREAM_SILVER =
      new ConfigKey(
          "stream.silver",
          Type.STRING,
          "merge",
          Checks.oneOf(java.util.Set.of("merge", "off")),
          Secrecy.PLAIN,
          "merge = each micro-batch's orders are merged into Silver after Bronze (lowest latency to Silver); off = Bronze only (highest throughput; the next `lakehouse silver` merges them).");

  public static final ConfigKey SPARK_MASTER =
      new ConfigKey(
          "spark.master",
          Type.STRING,
          "local[*]",
          Checks.sparkMaster(),
          Secrecy.PLAIN,
          "Spark master: local[*], local[N] or spark://host:port.");

  public static final ConfigKey SPARK_CONF =
      new ConfigKey(
          "spark.conf",
          Type.LIST,
          "",
          sparkConfCheck(),
          Secrecy.SECRET_PAIRS,
          "Extra Spark settings as comma-separated key=value pairs (spark.* keys); values of keys naming a secret, password, access key or token are masked when printed.");

  public static final ConfigKey DASHBOARD_HOST =
      new ConfigKey(
          "dashboard.host",
          Type.STRING,
          "127.0.0.1",
          Checks.notBlank(),
          Secrecy.PLAIN,
          "Address the dashboard server binds to.");

  public static final ConfigKey DASHBOARD_PORT =
      new ConfigKey(
          "dashboard.port",
          Type.INT,
          "8080",
          Checks.intBetween(0, 65535),
          Secrecy.PLAIN,
          "Port of the dashboard server (0 = any free port).");

  /**
   * The dashboard's access token. Never printed, never a flag (the process list would show it):
   * LAKEHOUSE_DASHBOARD_TOKEN or the config file.
   */
  public static final ConfigKey DASHBOARD_TOKEN =
      new ConfigKey(
          "dashboard.token",
          Type.STRING,
          "",
          raw ->
              raw.isEmpty()
                      || (raw.length() >= 16 && raw.chars().noneMatch(Character::isWhitespace))
                  ? java.util.Optional.empty()
                  : java.util.Optional.of("empty, or at least 16 characters without spaces"),
          Secrecy.SECRET,
          "Access token of the dashboard, required when dashboard.host is not a loopback address: requests carry it as `Authorization: Bearer <token>`, or open the page once with `?token=<token>` (environment or config file only; always masked).");

  /**
   * Logical replication slot of {@code lakehouse cdc}; PostgreSQL allows lower-case letters, digits
   * and '_'.
   */
  public static final ConfigKey CDC_SLOT =
      new ConfigKey(
          "cdc.slot",
          Type.STRING,
          "northwind_cdc",
          slotName(),
          Secrecy.PLAIN,
          "Replication slot lakehouse cdc reads the WAL through (created on first run; `lakehouse cdc --drop-slot` drops it).");

  public static final ConfigKey CDC_PUBLICATION =
      new ConfigKey(
          "cdc.publication",
          Type.STRING,
          "northwind_cdc",
          Checks.identifier(),
          Secrecy.PLAIN,
          "Publication over the captured tables (created when the user may, else the CDC preflight prints the SQL).");

  public static final ConfigKey CDC_TOPIC_PREFIX =
      new ConfigKey(
          "cdc.topic-prefix",
          Type.STRING,
          "northwind.cdc",
          Checks.topicName(),
          Secrecy.PLAIN,
          "Prefix of the change topics: one topic per table, <prefix>.<schema>.<table>.");

  public static final ConfigKey CDC_TABLES =
      new ConfigKey(
          "cdc.tables",
          Type.LIST,
          "",
          identifierList(),
          Secrecy.PLAIN,
          "Tables of source.schema to capture, comma-separated; empty = every base table.");

  public static final ConfigKey CDC_MAX_LAG_BYTES =
      new ConfigKey(
          "cdc.max-lag-bytes",
          Type.INT,
          "1073741824",
          Checks.intBetween(0, Integer.MAX_VALUE),
          Secrecy.PLAIN,
          "lakehouse cdc warns when its slot holds back more WAL than this on the server.");

  public static final ConfigKey CDC_IDLE =
      new ConfigKey(
          "cdc.idle",
          Type.STRING,
          "3 seconds",
          Checks.duration(),
          Secrecy.PLAIN,
          "With --until-idle, capture stops once streaming has run this long without a new change.");

  /** All keys, in the order {@code lakehouse config} prints them. */
  public static final List<ConfigKey> ALL =
      List.of(
          LAKE_ROOT,
          SERVICES_DIR,
          SERVICES_POSTGRES_PORT,
          SERVICES_KAFKA_PORT,
          SOURCE_JDBC_URL,
          SOURCE_USER,
          SOURCE_PASSWORD,
          SOURCE_SCHEMA,
          SOURCE_FETCH_SIZE,
          SOURCE_READ_PARTITIONS,
          SOURCE_PARTITION_MIN_ROWS,
          BRONZE_INCREMENTAL,
          KAFKA_BOOTSTRAP,
          KAFKA_TOPIC,
          STREAM_TRIGGER,
          STREAM_MAX_OFFSETS,
          STREAM_SILVER,
          SPARK_MASTER,
          SPARK_CONF,
          DASHBOARD_HOST,
          DASHBOARD_PORT,
          DASHBOARD_TOKEN,
          CDC_SLOT,
          CDC_PUBLICATION,
          CDC_TOPIC_PREFIX,
          CDC_TABLES,
          CDC_MAX_LAG_BYTES,
          CDC_IDLE);

  private static final Map<String, ConfigKey> BY_NAME = index();

  private static Map<String, ConfigKey> index() {
    Map<String, ConfigKey> m = new LinkedHashMap<>();
    ALL.forEach(k -> m.put(k.name(), k));
    return m;
  }

  /** The key of that name, if it exists. */
  public static Optional<ConfigKey> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  static Set<String> names() {
    return BY_NAME.keySet();
  }

  private static ConfigKey.Check slotName() {
    java.util.regex.Pattern p = java.util.regex.Pattern.compile("[a-z0-9_]{1,63}");
    return raw ->
        p.matcher(raw.trim()).matches()
            ? Optional.empty()
            : Optional.of(
                "must be 1-63 lower-case letters, digits or '_' (PostgreSQL's rule for slot names)");
  }

  private static ConfigKey.Check identifierList() {
    ConfigKey.Check one = Checks.identifier();
    return raw -> {
      for (String part : raw.split(",")) {
        if (!part.isBlank() && one.test(part.trim()).isPresent()) {
          return Optional.of("must be comma-separated table names (letters, digits, '_')");
        }
      }
      return Optional.empty();
    };
  }

  private static ConfigKey.Check sparkConfCheck() {
    return raw -> {
      if (raw.isBlank()) {
        return Optional.empty();
      }
      for (String part : raw.split(",")) {
        String p = part.trim();
        int eq = p.indexOf('=');
        if (eq <= 0 || !p.startsWith("spark.")) {
          return Optional.of("must be comma-separated spark.key=value pairs");
        }
      }
      return Optional.empty();
    };
  }
}
