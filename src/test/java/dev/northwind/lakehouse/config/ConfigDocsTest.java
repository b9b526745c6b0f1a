package dev.northwind.lakehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.testing.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is generated from ConfigKeys; these tests keep the file and the code in
 * step.
 */
class ConfigDocsTest {

  /** The project folder: Maven's basedir, or the working directory surefire runs in. */
  private static Path projectDir() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
  }

  @Test
  void committedReferenceIsWhatTheCommandPrints() throws Exception {
    CliRun run = CliRun.of("config", "--docs");
    assertThat(run.code()).as(run.err()).isZero();

    Path file = projectDir().resolve("docs/configuration.md");
    assertThat(file)
        .as("docs/configuration.md is missing; create it with `%s`", ConfigDocs.REGENERATE)
        .isRegularFile();
    String committed = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(committed)
        .as(
            "docs/configuration.md differs from ConfigKeys; regenerate it with `%s` and commit it",
            ConfigDocs.REGENERATE)
        .isEqualTo(run.out());
  }

  @Test
  void everyKeyHasItsDefaultRuleFlagAndEnvironmentVariable() {
    String md =
        ConfigDocs.markdown(
            Map.of(
                "dashboard.port",
                List.of(new ConfigDocs.Flag("--port PORT", List.of("demo", "serve")))));

    for (ConfigKey key : ConfigKeys.ALL) {
      assertThat(md).contains("| `" + key.name() + "` |").contains("`" + key.envVar() + "`");
    }
    assertThat(md)
        .contains(
            "| `dashboard.port` | `8080` | must be an integer between 0 and 65535 | `--port PORT` (demo, serve)"
                + " | `LAKEHOUSE_DASHBOARD_PORT` |")
        // An empty default and a key whose check accepts anything.
        .contains("| `source.password` | *(empty)* | - | - | `LAKEHOUSE_SOURCE_PASSWORD` |")
        // <root> would vanish as an HTML tag, local[*] could start emphasis.
        .contains("tables live at \\<root\\>/\\<layer\\>/\\<table\\>.")
        .contains("local[\\*]");
  }

  @Test
  void rulesAreReadFromTheChecks() {
    assertThat(ConfigDocs.rule(ConfigKeys.SOURCE_FETCH_SIZE))
        .isEqualTo("must be an integer between 1 and 1000000");
    assertThat(ConfigDocs.rule(ConfigKeys.STREAM_SILVER)).startsWith("must be one of ");
    assertThat(ConfigDocs.rule(ConfigKeys.SOURCE_USER)).isEqualTo("must not be empty");
    assertThat(ConfigDocs.rule(ConfigKeys.LAKE_ROOT))
        .contains("must be a URI or path")
        .contains("must not be empty");
    assertThat(ConfigDocs.rule(ConfigKeys.SERVICES_DIR)).isEqualTo("-");
  }
}
