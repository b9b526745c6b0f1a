package dev.northwind.lakehouse.config;

import dev.northwind.lakehouse.config.ConfigKey.Check;
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
      uri("lake.root", "./lakehouse-data/lake")
          .doc(
              "Root of the lake (path or URI such as s3a://bucket/lake); tables live at <root>/<layer>/<table>.");

  /**
   * Where embedded services keep their data; empty means the lake's sibling folder {@code
   * services}.
   */
  public static final ConfigKey SERVICES_DIR =
      text("services.dir", "", Check.NONE)
          .doc(
              "Folder for the embedded PostgreSQL and Kafka data; empty = <lake parent>/services.");

  public static final ConfigKey SERVICES_POSTGRES_PORT =
      port("services.postgres.port", 0)
          .doc("Port of the embedded PostgreSQL on 127.0.0.1 (0 = any free port).");

  public static final ConfigKey SERVICES_KAFKA_PORT =
      port("services.kafka.port", 0)
          .doc("Port of the embedded Kafka broker on 127.0.0.1 (0 = any free port).");

  /** JDBC URL of the source; empty starts (or reuses) the embedded PostgreSQL. */
  public static final ConfigKey SOURCE_JDBC_URL =
      text("source.jdbc.url", "", Checks.jdbcPostgresOrEmpty())
          .doc("JDBC URL of the source PostgreSQL; empty = the embedded one.");

  public static final ConfigKey SOURCE_USER =
      text("source.user", "postgres", Checks.notBlank()).doc("User for the source database.");

  /**
   * Never printed; set it with LAKEHOUSE_SOURCE_PASSWORD or in the config file, not on the command
   * line.
   */
  public static final ConfigKey SOURCE_PASSWORD =
      secret("source.password", Check.NONE)
          .doc(
              "Password for the source database (environment or config file only; always masked).");

  public static final ConfigKey SOURCE_SCHEMA =
      text("source.schema", "public", Checks.identifier())
          .doc("Schema of the source database whose base tables are ingested.");

  public static final ConfigKey SOURCE_FETCH_SIZE =
      number("source.fetch.size", 10000, 1, 1_000_000)
          .doc("JDBC fetch size: rows per round trip when reading the source.");

  public static final ConfigKey SOURCE_READ_PARTITIONS =
      number("source.read.partitions", 4, 1, 1024)
          .doc(
              "JDBC read partitions (key ranges read in parallel) for tables above source.partition.min.rows.");

  public static final ConfigKey SOURCE_PARTITION_MIN_ROWS =
      number("source.partition.min.rows", 50000, 0, Integer.MAX_VALUE)
          .doc("Tables with at least this many rows are read in key ranges in parallel.");

  public static final ConfigKey BRONZE_INCREMENTAL =
      text("bronze.incremental", "orders=order_id,order_details=order_id", Checks.tableMap())
          .doc(
              "Tables ingested incrementally, as table=watermark column; every other table is a full snapshot.");

  public static final ConfigKey KAFKA_BOOTSTRAP =
      text("kafka.bootstrap.servers", "", Checks.hostPortListOrEmpty())
          .doc("Kafka bootstrap servers (host:port,...); empty = the embedded broker.");

  public static final ConfigKey KAFKA_TOPIC =
      text("kafka.topic", "northwind.orders", Checks.topicName()).doc("Topic of the order events.");

  public static final ConfigKey STREAM_TRIGGER =
      text("stream.trigger.interval", "5 seconds", Checks.duration())
          .doc("Micro-batch interval of the continuous stream.");

  public static final ConfigKey STREAM_MAX_OFFSETS =
      number("stream.max.offsets.per.trigger", 200000, 1, Integer.MAX_VALUE)
          .doc("Most Kafka records read per micro-batch.");

  /** What a micro-batch does after Bronze; see {@link LakehouseConfig.StreamSilver}. */
  public static final ConfigKey STREAM_SILVER =
      text("stream.silver", "merge", Checks.oneOf(Set.of("merge", "off")))
          .doc(
              "merge = each micro-batch's orders are merged into Silver after Bronze (lowest latency to Silver); off = Bronze only (highest throughput; the next `lakehouse silver` merges them).");

  public static final ConfigKey SPARK_MASTER =
      text("spark.master", "local[*]", Checks.sparkMaster())
          .doc("Spark master: local[*], local[N] or spark://host:port.");

  public static final ConfigKey SPARK_CONF =
      list("spark.conf", sparkConfCheck(), Secrecy.SECRET_PAIRS)
          .doc(
              "Extra Spark settings as comma-separated key=value pairs (spark.* keys); values of keys naming a secret, password, access key or token are masked when printed.");

  public static final ConfigKey DASHBOARD_HOST =
      text("dashboard.host", "127.0.0.1", Checks.notBlank())
          .doc("Address the dashboard server binds to.");

  public static final ConfigKey DASHBOARD_PORT =
      port("dashboard.port", 8080).doc("Port of the dashboard server (0 = any free port).");

  /**
   * The dashboard's access token. Never printed, never a flag (the process list would show it):
   * LAKEHOUSE_DASHBOARD_TOKEN or the config file.
   */
  public static final ConfigKey DASHBOARD_TOKEN =
      secret("dashboard.token", tokenRule())
          .doc(
              "Access token of the dashboard, required when dashboard.host is not a loopback address: requests carry it as `Authorization: Bearer <token>`, or open the page once with `?token=<token>` (environment or config file only; always masked).");

  /**
   * Logical replication slot of {@code lakehouse cdc}; PostgreSQL allows lower-case letters, digits
   * and '_'.
   */
  public static final ConfigKey CDC_SLOT =
      text("cdc.slot", "northwind_cdc", slotName())
          .doc(
              "Replication slot lakehouse cdc reads the WAL through (created on first run; `lakehouse cdc --drop-slot` drops it).");

  public static final ConfigKey CDC_PUBLICATION =
      text("cdc.publication", "northwind_cdc", Checks.identifier())
          .doc(
              "Publication over the captured tables (created when the user may, else the CDC preflight prints the SQL).");

  public static final ConfigKey CDC_TOPIC_PREFIX =
      text("cdc.topic-prefix", "northwind.cdc", Checks.topicName())
          .doc("Prefix of the change topics: one topic per table, <prefix>.<schema>.<table>.");

  public static final ConfigKey CDC_TABLES =
      list("cdc.tables", identifierList(), Secrecy.PLAIN)
          .doc("Tables of source.schema to capture, comma-separated; empty = every base table.");

  public static final ConfigKey CDC_MAX_LAG_BYTES =
      number("cdc.max-lag-bytes", 1073741824, 0, Integer.MAX_VALUE)
          .doc("lakehouse cdc warns when its slot holds back more WAL than this on the server.");

  public static final ConfigKey CDC_IDLE =
      text("cdc.idle", "3 seconds", Checks.duration())
          .doc(
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

  /**
   * A key before its description: the typed factories below fill in type, default, check and
   * secrecy, {@link #doc} completes it, so that each key above reads as one declaration.
   */
  private record Draft(String name, Type type, String defaultValue, Check check, Secrecy secrecy) {
    ConfigKey doc(String description) {
      return new ConfigKey(name, type, defaultValue, check, secrecy, description);
    }
  }

  private static Draft text(String name, String defaultValue, Check check) {
    return new Draft(name, Type.STRING, defaultValue, check, Secrecy.PLAIN);
  }

  /** A whole number from {@code min} to {@code max}. */
  private static Draft number(String name, int defaultValue, int min, int max) {
    return new Draft(
        name, Type.INT, String.valueOf(defaultValue), Checks.intBetween(min, max), Secrecy.PLAIN);
  }

  /** A TCP port; 0 means any free port. */
  private static Draft port(String name, int defaultValue) {
    return number(name, defaultValue, 0, 65535);
  }

  /** A credential: no default, always masked. */
  private static Draft secret(String name, Check check) {
    return new Draft(name, Type.STRING, "", check, Secrecy.SECRET);
  }

  private static Draft uri(String name, String defaultValue) {
    return new Draft(name, Type.URI, defaultValue, Checks.uri(), Secrecy.PLAIN);
  }

  /** A comma-separated list, empty by default. */
  private static Draft list(String name, Check check, Secrecy secrecy) {
    return new Draft(name, Type.LIST, "", check, secrecy);
  }

  private static Check tokenRule() {
    return raw ->
        raw.isEmpty() || (raw.length() >= 16 && raw.chars().noneMatch(Character::isWhitespace))
            ? Optional.empty()
            : Optional.of("empty, or at least 16 characters without spaces");
  }

  private static Check slotName() {
    java.util.regex.Pattern p = java.util.regex.Pattern.compile("[a-z0-9_]{1,63}");
    return raw ->
        p.matcher(raw.trim()).matches()
            ? Optional.empty()
            : Optional.of(
                "must be 1-63 lower-case letters, digits or '_' (PostgreSQL's rule for slot names)");
  }

  private static Check identifierList() {
    Check one = Checks.identifier();
    return raw -> {
      for (String part : raw.split(",")) {
        if (!part.isBlank() && one.test(part.trim()).isPresent()) {
          return Optional.of("must be comma-separated table names (letters, digits, '_')");
        }
      }
      return Optional.empty();
    };
  }

  private static Check sparkConfCheck() {
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
