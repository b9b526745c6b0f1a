package dev.northwind.lakehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northwind.lakehouse.Json;
import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.config.LakehouseConfig.Origin;
import dev.northwind.lakehouse.config.LakehouseConfig.Resolved;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Parses configuration once, from flags, environment, file and defaults (in that precedence), into
 * an immutable {@link LakehouseConfig}. Every problem is collected and reported together.
 */
public final class ConfigLoader {

  private static final String SPARK_CONF_PREFIX = "spark.conf.";

  private ConfigLoader() {}

  /**
   * Loads the effective configuration.
   *
   * @param flags key name to raw value, from command-line flags
   * @param env the process environment (only {@code LAKEHOUSE_*} variables are read)
   * @param file an optional .properties or .yaml file
   * @throws dev.northwind.lakehouse.LakehouseException listing every invalid key at once
   */
  public static LakehouseConfig load(
      Map<String, String> flags, Map<String, String> env, Optional<Path> file) {
    List<String> problems = new ArrayList<>();
    Map<String, String> fileValues = file.map(f -> readFile(f)).orElse(Map.of());

    Map<String, String> fileKnown = new LinkedHashMap<>();
    List<String> fileSparkConf = new ArrayList<>();
    fileValues.forEach(
        (k, v) -> {
          if (k.startsWith(SPARK_CONF_PREFIX)) {
            fileSparkConf.add(k.substring(SPARK_CONF_PREFIX.length()) + "=" + v);
          } else if (ConfigKeys.byName(k).isPresent()) {
            fileKnown.put(k, v);
          } else {
            problems.add(unknownKey(k, "in " + file.get().getFileName()));
          }
        });
    if (!fileSparkConf.isEmpty()) {
      fileKnown.merge(
          ConfigKeys.SPARK_CONF.name(), String.join(",", fileSparkConf), (a, b) -> a + "," + b);
    }
    flags.forEach(
        (k, v) -> {
          if (ConfigKeys.byName(k).isEmpty()) {
            problems.add(unknownKey(k, "given with --set"));
          } else if (k.equals(ConfigKeys.DASHBOARD_TOKEN.name())) {
            problems.add(
                LakehouseErrors.secretOnCommandLine(k, ConfigKeys.DASHBOARD_TOKEN.envVar()));
          }
        });

    Map<String, Resolved> resolved = new LinkedHashMap<>();
    for (ConfigKey key : ConfigKeys.ALL) {
      Resolved r;
      if (flags.containsKey(key.name())) {
        r = new Resolved(key, flags.get(key.name()), Origin.FLAG);
      } else if (env.containsKey(key.envVar())) {
        r = new Resolved(key, env.get(key.envVar()), Origin.ENVIRONMENT);
      } else if (fileKnown.containsKey(key.name())) {
        r = new Resolved(key, fileKnown.get(key.name()), Origin.FILE);
      } else {
        r = new Resolved(key, key.defaultValue(), Origin.DEFAULT);
      }
      String value = r.value() == null ? "" : r.value().trim();
      Resolved checked = new Resolved(key, value, r.origin());
      key.check()
          .test(value)
          .ifPresent(
              rule ->
                  problems.add(
                      key.name()
                          + " = '"
                          + key.display(value)
                          + "' ("
                          + checked.origin().name().toLowerCase(Locale.ROOT)
                          + "): "
                          + rule
                          + "."));
      resolved.put(key.name(), checked);
    }
    if (!problems.isEmpty()) {
      throw LakehouseErrors.invalidConfig(problems);
    }
    return build(resolved);
  }

  private static String unknownKey(String key, String where) {
    String near =
        ConfigKeys.names().stream()
            .filter(n -> n.startsWith(key.split("\\.")[0] + "."))
            .findFirst()
            .map(n -> " (known keys include " + n + ")")
            .orElse("");
    // The value of an unknown key is not echoed: a misspelt password key would leak it.
    return key + " " + where + ": unknown key" + near + ".";
  }

  private static LakehouseConfig build(Map<String, Resolved> r) {
    URI lake = lakeUri(r.get(ConfigKeys.LAKE_ROOT.name()).value());
    String servicesRaw = r.get(ConfigKeys.SERVICES_DIR.name()).value();
    Path services =
        servicesRaw.isEmpty()
            ? defaultServicesDir(lake)
            : Path.of(servicesRaw).toAbsolutePath().normalize();
    var source =
        new LakehouseConfig.Source(
            optional(r, ConfigKeys.SOURCE_JDBC_URL),
            r.get(ConfigKeys.SOURCE_USER.name()).value(),
            r.get(ConfigKeys.SOURCE_PASSWORD.name()).value(),
            r.get(ConfigKeys.SOURCE_SCHEMA.name()).value(),
            Integer.parseInt(r.get(ConfigKeys.SOURCE_FETCH_SIZE.name()).value()),
            Integer.parseInt(r.get(ConfigKeys.SOURCE_READ_PARTITIONS.name()).value()),
            Integer.parseInt(r.get(ConfigKeys.SOURCE_PARTITION_MIN_ROWS.name()).value()),
            pairs(r.get(ConfigKeys.BRONZE_INCREMENTAL.name()).value()));
    var kafka =
        new LakehouseConfig.Kafka(
            optional(r, ConfigKeys.KAFKA_BOOTSTRAP), r.get(ConfigKeys.KAFKA_TOPIC.name()).value());
    var spark =
        new LakehouseConfig.Spark(
            r.get(ConfigKeys.SPARK_MASTER.name()).value(),
            pairs(r.get(ConfigKeys.SPARK_CONF.name()).value()));
    var stream =
        new LakehouseConfig.Stream(
            r.get(ConfigKeys.STREAM_TRIGGER.name()).value(),
            Integer.parseInt(r.get(ConfigKeys.STREAM_MAX_OFFSETS.name()).value()),
            LakehouseConfig.StreamSilver.parse(r.get(ConfigKeys.STREAM_SILVER.name()).value()));
    var dashboard =
        new LakehouseConfig.Dashboard(
            r.get(ConfigKeys.DASHBOARD_HOST.name()).value(),
            Integer.parseInt(r.get(ConfigKeys.DASHBOARD_PORT.name()).value()),
            r.get(ConfigKeys.DASHBOARD_TOKEN.name()).value());
    var ports =
        new LakehouseConfig.Ports(
            Integer.parseInt(r.get(ConfigKeys.SERVICES_POSTGRES_PORT.name()).value()),
            Integer.parseInt(r.get(ConfigKeys.SERVICES_KAFKA_PORT.name()).value()));
    return new LakehouseConfig(
        lake, services, ports, source, kafka, spark, stream, dashboard, orderedCopy(r));
  }

  private static Map<String, Resolved> orderedCopy(Map<String, Resolved> r) {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(r));
  }

  /**
   * A local path becomes an absolute file: URI without a trailing slash; other URIs stay as given.
   */
  static URI lakeUri(String raw) {
    URI u = URI.create(raw.replace(" ", "%20"));
    if (u.getScheme() == null || u.getScheme().length() == 1) {
      u = Path.of(raw).toAbsolutePath().normalize().toUri();
    }
    String s = u.toString();
    return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : u;
  }

  private static Path defaultServicesDir(URI lake) {
    if ("file".equals(lake.getScheme())) {
      Path p = Path.of(lake);
      return (p.getParent() == null ? p : p.getParent()).resolve("services");
    }
    return Path.of("lakehouse-data", "services").toAbsolutePath();
  }

  private static Optional<String> optional(Map<String, Resolved> r, ConfigKey key) {
    String v = r.get(key.name()).value();
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  private static Map<String, String> pairs(String raw) {
    Map<String, String> m = new LinkedHashMap<>();
    if (!raw.isBlank()) {
      for (String part : raw.split(",")) {
        int eq = part.indexOf('=');
        m.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  private static Map<String, String> readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw LakehouseErrors.configFileMissing(file);
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Map<String, String> out = new LinkedHashMap<>();
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        JsonNode root = Json.yaml(reader);
        if (root != null && !root.isMissingNode() && !root.isNull()) {
          if (!root.isObject()) {
            throw new IOException("the top level is not a map of keys");
          }
          flatten("", root, out);
        }
      } else {
        Properties p = new Properties();
        p.load(reader);
        p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      if (e instanceof dev.northwind.lakehouse.LakehouseException le) {
        throw le;
      }
      throw LakehouseErrors.configFileUnreadable(file, e);
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        var e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray()) {
      List<String> parts = new ArrayList<>();
      node.forEach(n -> parts.add(n.asText()));
      out.put(prefix, String.join(",", parts));
    } else {
      out.put(prefix, node.isNull() ? "" : node.asText());
    }
  }
}
