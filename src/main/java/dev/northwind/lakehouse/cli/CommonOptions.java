package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.config.ConfigKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Flags every command accepts; each maps to one config key (flags have the highest precedence). */
final class CommonOptions {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A .properties or .yaml config file.")
  Path configFile;

  @Option(
      names = "--lake",
      paramLabel = "URI",
      description = "Lake root (lake.root), e.g. ./lakehouse-data/lake or s3a://bucket/lake.")
  String lake;

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description = "Source PostgreSQL JDBC URL (source.jdbc.url); default: embedded.")
  String jdbcUrl;

  @Option(
      names = "--jdbc-user",
      paramLabel = "USER",
      description =
          "Source user (source.user). The password comes from LAKEHOUSE_SOURCE_PASSWORD or the config file.")
  String jdbcUser;

  @Option(
      names = "--kafka-bootstrap",
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (kafka.bootstrap.servers); default: embedded.")
  String kafkaBootstrap;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "Order-event topic (kafka.topic).")
  String topic;

  @Option(
      names = "--spark-master",
      paramLabel = "MASTER",
      description = "Spark master (spark.master): local[*], spark://host:port.")
  String sparkMaster;

  @Option(
      names = "--spark-conf",
      paramLabel = "KEY=VALUE",
      description = "Extra Spark setting (spark.conf); repeatable.")
  List<String> sparkConf = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Any config key; repeatable. `lakehouse config` lists the keys.")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(
      names = {"-v", "--verbose"},
      description = "Show Spark's logs and stack traces.")
  boolean verbose;

  Optional<Path> file() {
    return Optional.ofNullable(configFile);
  }

  /** The flags given, as config key names to raw values. */
  Map<String, String> flags() {
    Map<String, String> m = new LinkedHashMap<>(set);
    put(m, ConfigKeys.LAKE_ROOT.name(), lake);
    put(m, ConfigKeys.SOURCE_JDBC_URL.name(), jdbcUrl);
    put(m, ConfigKeys.SOURCE_USER.name(), jdbcUser);
    put(m, ConfigKeys.KAFKA_BOOTSTRAP.name(), kafkaBootstrap);
    put(m, ConfigKeys.KAFKA_TOPIC.name(), topic);
    put(m, ConfigKeys.SPARK_MASTER.name(), sparkMaster);
    if (!sparkConf.isEmpty()) {
      String joined = String.join(",", sparkConf);
      m.merge(ConfigKeys.SPARK_CONF.name(), joined, (a, b) -> a + "," + b);
    }
    return m;
  }

  private static void put(Map<String, String> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
