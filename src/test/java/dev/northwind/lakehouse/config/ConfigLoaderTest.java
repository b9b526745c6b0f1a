package dev.northwind.lakehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.northwind.lakehouse.LakehouseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void defaultsApplyWhenNothingIsSet() {
    LakehouseConfig c = ConfigLoader.load(Map.of(), Map.of(), Optional.empty());
    assertThat(c.lakeRoot().toString()).startsWith("file:/").endsWith("/lakehouse-data/lake");
    assertThat(c.servicesDir().toString()).endsWith("/lakehouse-data/services");
    assertThat(c.spark().master()).isEqualTo("local[*]");
    assertThat(c.kafka().topic()).isEqualTo("northwind.orders");
    assertThat(c.kafka().bootstrapServers()).isEmpty();
    assertThat(c.source().jdbcUrl()).isEmpty();
    assertThat(c.source().incremental())
        .containsEntry("orders", "order_id")
        .containsEntry("order_details", "order_id");
    assertThat(c.raw().get("spark.master").origin()).isEqualTo(LakehouseConfig.Origin.DEFAULT);
  }

  @Test
  void flagsBeatEnvironmentBeatFileBeatDefaults() throws Exception {
    Path file = dir.resolve("lake.properties");
    Files.writeString(
        file,
        """
        kafka.topic=from-file
        spark.master=local[1]
        source.fetch.size=111
        source.schema=filed
        """);
    Map<String, String> env =
        Map.of(
            "LAKEHOUSE_KAFKA_TOPIC", "from-env",
            "LAKEHOUSE_SPARK_MASTER", "local[2]",
            "PATH", "/bin");
    Map<String, String> flags = Map.of("kafka.topic", "from-flag");

    LakehouseConfig c = ConfigLoader.load(flags, env, Optional.of(file));

    assertThat(c.kafka().topic()).isEqualTo("from-flag");
    assertThat(c.spark().master()).isEqualTo("local[2]");
    assertThat(c.source().fetchSize()).isEqualTo(111);
    assertThat(c.source().schema()).isEqualTo("filed");
    assertThat(c.source().user()).isEqualTo("postgres");
    assertThat(c.raw().get("kafka.topic").origin()).isEqualTo(LakehouseConfig.Origin.FLAG);
    assertThat(c.raw().get("spark.master").origin()).isEqualTo(LakehouseConfig.Origin.ENVIRONMENT);
    assertThat(c.raw().get("source.fetch.size").origin()).isEqualTo(LakehouseConfig.Origin.FILE);
  }

  @Test
  void yamlFilesAreFlattenedAndSparkConfCollected() throws Exception {
    Path file = dir.resolve("lake.yaml");
    Files.writeString(
        file,
        """
        lake:
          root: s3a://bucket/lake/
        source:
          jdbc:
            url: jdbc:postgresql://db.example:5432/northwind
          password: s3cret
        spark:
          master: spark://10.0.0.1:7077
          conf:
            spark.sql.shuffle.partitions: 16
        """);
    LakehouseConfig c = ConfigLoader.load(Map.of(), Map.of(), Optional.of(file));
    assertThat(c.lakeRoot().toString()).isEqualTo("s3a://bucket/lake");
    assertThat(c.localLake()).isFalse();
    assertThat(c.source().jdbcUrl()).contains("jdbc:postgresql://db.example:5432/northwind");
    assertThat(c.source().password()).isEqualTo("s3cret");
    assertThat(c.spark().master()).isEqualTo("spark://10.0.0.1:7077");
    assertThat(c.spark().conf()).containsEntry("spark.sql.shuffle.partitions", "16");
  }

  @Test
  void everyProblemIsReportedAtOnceNamingKeyValueAndRule() throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "dashboard.port=99999\nsource.passwrd=oops\n");
    Map<String, String> env = Map.of("LAKEHOUSE_SOURCE_FETCH_SIZE", "lots");
    Map<String, String> flags = Map.of("spark.master", "mars", "kafka.bootstrap.servers", "nohost");

    assertThatThrownBy(() -> ConfigLoader.load(flags, env, Optional.of(file)))
        .isInstanceOfSatisfying(
            LakehouseException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(2);
              assertThat(e.getMessage())
                  .contains("5 problems")
                  .contains(
                      "dashboard.port = '99999' (file): must be an integer between 0 and 65535")
                  .contains("source.fetch.size = 'lots' (environment): must be an integer")
                  .contains("spark.master = 'mars' (flag): must be local")
                  .contains(
                      "kafka.bootstrap.servers = 'nohost' (flag): must be a comma-separated list of host:port")
                  .contains("source.passwrd")
                  .contains("unknown key")
                  .doesNotContain("oops");
            });
  }

  @Test
  void secretsAreMaskedInDescriptionsAndErrors() {
    LakehouseConfig c =
        ConfigLoader.load(
            Map.of(), Map.of("LAKEHOUSE_SOURCE_PASSWORD", "hunter2"), Optional.empty());
    assertThat(c.source().password()).isEqualTo("hunter2");
    assertThat(c.describe())
        .contains("source.password")
        .contains("******")
        .doesNotContain("hunter2");
    assertThat(c.toString()).doesNotContain("hunter2");
    assertThat(c.source().toString()).doesNotContain("hunter2");
  }

  @Test
  void secretValuesInSparkConfAreMaskedButOtherSettingsShown() throws Exception {
    Path file = dir.resolve("lake.yaml");
    Files.writeString(
        file,
        """
        spark:
          conf:
            spark.hadoop.fs.s3a.access.key: AKIAEXAMPLE
            spark.hadoop.fs.s3a.secret.key: s3cr3tValue
            spark.hadoop.fs.s3a.aws.credentials.provider: org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider
        """);
    LakehouseConfig c =
        ConfigLoader.load(
            Map.of(
                "spark.conf",
                "spark.sql.shuffle.partitions=8,spark.hadoop.javax.jdo.option.ConnectionPassword=pw123"),
            Map.of(),
            Optional.of(file));
    // The flag wins over the file, so the file's pairs are not in effect here; check each source.
    assertThat(c.describe())
        .contains("spark.sql.shuffle.partitions=8")
        .contains("ConnectionPassword=******")
        .doesNotContain("pw123");
    LakehouseConfig fromFile = ConfigLoader.load(Map.of(), Map.of(), Optional.of(file));
    assertThat(fromFile.spark().conf())
        .containsEntry("spark.hadoop.fs.s3a.secret.key", "s3cr3tValue");
    assertThat(fromFile.describe() + fromFile)
        .contains("spark.hadoop.fs.s3a.access.key=******")
        .contains("spark.hadoop.fs.s3a.secret.key=******")
        .contains("SimpleAWSCredentialsProvider")
        .doesNotContain("AKIAEXAMPLE")
        .doesNotContain("s3cr3tValue");
    // A broken value is echoed in the error with its secrets masked too.
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Map.of("spark.conf", "spark.hadoop.fs.s3a.secret.key=topsecret,broken"),
                    Map.of(),
                    Optional.empty()))
        .isInstanceOfSatisfying(
            LakehouseException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("spark.conf")
                    .contains("secret.key=******")
                    .doesNotContain("topsecret"));
  }

  @Test
  void missingOrBrokenConfigFileIsAUsageError() throws Exception {
    assertThatThrownBy(
            () -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(dir.resolve("nope.yaml"))))
        .isInstanceOfSatisfying(
            LakehouseException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(2);
              assertThat(e.getMessage()).contains("nope.yaml").contains("--config");
            });
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "lake: [unclosed\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(broken)))
        .isInstanceOfSatisfying(
            LakehouseException.class,
            e -> assertThat(e.getMessage()).contains("broken.yaml cannot be parsed"));
  }

  @Test
  void localLakePathsBecomeAbsoluteFileUris() {
    assertThat(ConfigLoader.lakeUri("/tmp/x/lake/").toString()).isEqualTo("file:///tmp/x/lake");
    assertThat(ConfigLoader.lakeUri("s3a://b/p").toString()).isEqualTo("s3a://b/p");
    assertThat(ConfigLoader.lakeUri("file:///data/lake").toString()).isEqualTo("file:///data/lake");
  }
}
