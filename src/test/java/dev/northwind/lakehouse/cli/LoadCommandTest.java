package dev.northwind.lakehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.NorthwindDump;
import dev.northwind.lakehouse.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `lakehouse load` in-process against a real PostgreSQL. */
class LoadCommandTest {

  @TempDir Path dir;

  private String[] args(String url, String... more) {
    String[] base = {"load", "--lake", dir.resolve("lake").toString(), "--jdbc-url", url};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void loadsTheDumpOnceThenAsksForReplace() throws Exception {
    Path dump = NorthwindDump.path();
    String url = TestPostgres.freshDatabase(LoadCommandTest.class);

    CliRun first = CliRun.of(args(url, "--northwind-sql", dump.toString()));
    assertThat(first.code()).as(first.err()).isZero();
    try (Connection c = TestPostgres.connect(url)) {
      for (Map.Entry<String, Long> e : NorthwindDump.ROWS.entrySet()) {
        assertThat(count(c, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        assertThat(first.out())
            .containsPattern(e.getKey() + "\\s+" + String.format("%,d", e.getValue()) + " rows");
      }
    }

    CliRun again = CliRun.of(args(url, "--northwind-sql", dump.toString()));
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err())
        .contains("already holds Northwind")
        .contains("--replace")
        .doesNotContain("\tat ");

    CliRun replaced = CliRun.of(args(url, "--scale", "2", "--replace"));
    assertThat(replaced.code()).as(replaced.err()).isZero();
    try (Connection c = TestPostgres.connect(url)) {
      assertThat(count(c, "orders")).isEqualTo(2 * 830L);
      assertThat(count(c, "customers")).isEqualTo(2 * 91L);
    }
  }

  @Test
  void badInputIsOneLineWithTheRightExitCode() {
    CliRun missing =
        CliRun.of(
            args(
                "jdbc:postgresql://127.0.0.1:1/x",
                "--northwind-sql",
                dir.resolve("nope.sql").toString()));
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().strip())
        .startsWith("error: Northwind dump not found: ")
        .contains("nope.sql")
        .contains("--northwind-sql");

    CliRun unreachable = CliRun.of(args("jdbc:postgresql://127.0.0.1:1/x"));
    assertThat(unreachable.code()).isEqualTo(1);
    assertThat(unreachable.err())
        .contains("Cannot connect to the source PostgreSQL at jdbc:postgresql://127.0.0.1:1/x")
        .doesNotContain("\tat ");
    assertThat(unreachable.err().strip().lines()).hasSize(1);

    CliRun scale = CliRun.of(args("jdbc:postgresql://127.0.0.1:1/x", "--scale", "0"));
    assertThat(scale.code()).isEqualTo(2);
    assertThat(scale.err()).contains("scale");
  }

  private static long count(Connection c, String table) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
