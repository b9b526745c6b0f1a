package dev.northwind.lakehouse.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.northwind.lakehouse.LakehouseException;
import dev.northwind.lakehouse.testing.NorthwindDump;
import dev.northwind.lakehouse.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NorthwindLoaderTest {

  private static Connection fresh() throws SQLException {
    return TestPostgres.connect(TestPostgres.freshDatabase(NorthwindLoaderTest.class));
  }

  @Test
  void loadsTheDumpWithItsKnownRowCounts() throws SQLException {
    Path dump = NorthwindDump.path();
    try (Connection c = fresh()) {
      assertThat(NorthwindLoader.holdsNorthwind(c)).isFalse();
      LoadReport report = NorthwindLoader.loadDump(c, dump);
      assertThat(report.rows()).containsExactlyEntriesOf(NorthwindDump.ROWS);
      assertThat(SourceDb.counts(c)).containsExactlyEntriesOf(report.rows());
      assertThat(report.description()).isEqualTo("northwind.sql dump");
      assertThat(NorthwindLoader.holdsNorthwind(c)).isTrue();
      // The dump's SET statements stay inside the load's transaction.
      assertThat(SourceDb.scalar(c, "SHOW client_min_messages")).isEqualTo("notice");
      assertThat(c.getAutoCommit()).isTrue();
    }
  }

  @Test
  void loadingTwiceNeedsReplace() throws SQLException {
    Path dump = NorthwindDump.path();
    try (Connection c = fresh()) {
      NorthwindLoader.loadDump(c, dump);
      assertThatThrownBy(() -> NorthwindLoader.loadDump(c, dump))
          .isInstanceOfSatisfying(
              LakehouseException.class,
              e -> {
                assertThat(e.problem()).contains("already holds Northwind tables with rows");
                assertThat(e.fix()).contains("--replace");
                assertThat(e.exitCode()).isEqualTo(2);
              });
      assertThatThrownBy(() -> NorthwindGenerator.generate(c, 1))
          .isInstanceOf(LakehouseException.class)
          .hasMessageContaining("--replace");
      assertThat(SourceDb.counts(c)).containsExactlyEntriesOf(NorthwindDump.ROWS);

      LoadReport again = NorthwindLoader.loadDump(c, dump, ExistingData.REPLACE);
      assertThat(again.rows()).containsExactlyEntriesOf(NorthwindDump.ROWS);
      assertThat(SourceDb.counts(c)).containsExactlyEntriesOf(NorthwindDump.ROWS);
    }
  }

  @Test
  void replaceSwitchesBetweenDumpAndGenerator() throws SQLException {
    Path dump = NorthwindDump.path();
    try (Connection c = fresh()) {
      NorthwindLoader.loadDump(c, dump);
      NorthwindGenerator.generate(c, 2, 42, ExistingData.REPLACE);
      assertThat(SourceDb.number(c, "SELECT count(*) FROM order_details")).isEqualTo(2 * 2155);
      assertThat(
              SourceDb.scalar(
                  c,
                  "SELECT data_type FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'order_id'"))
          .isEqualTo("integer");

      NorthwindLoader.loadDump(c, dump, ExistingData.REPLACE);
      assertThat(SourceDb.counts(c)).containsExactlyEntriesOf(NorthwindDump.ROWS);
      assertThat(
              SourceDb.scalar(
                  c,
                  "SELECT data_type FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'order_id'"))
          .isEqualTo("smallint");
    }
  }

  @Test
  void emptyNorthwindTablesAreNotExistingData() throws SQLException {
    Path dump = NorthwindDump.path();
    try (Connection c = fresh()) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE orders (order_id smallint)");
      }
      assertThat(NorthwindLoader.holdsNorthwind(c)).isFalse();
      assertThat(NorthwindLoader.loadDump(c, dump).rows())
          .containsExactlyEntriesOf(NorthwindDump.ROWS);
    }
  }

  @Test
  void aFailedLoadKeepsNothing(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.sql");
    Files.writeString(
        broken, "CREATE TABLE orders (order_id integer); INSERT INTO orders VALUES ('x');");
    try (Connection c = fresh()) {
      assertThatThrownBy(() -> NorthwindLoader.loadDump(c, broken))
          .isInstanceOfSatisfying(
              LakehouseException.class,
              e -> {
                assertThat(e.problem())
                    .startsWith("Loading northwind.sql dump into jdbc:postgresql:")
                    .contains("failed");
                assertThat(e.exitCode()).isEqualTo(1);
              });
      assertThat(SourceDb.scalar(c, "SELECT to_regclass('orders') IS NULL")).isEqualTo(true);
    }
  }

  @Test
  void aMissingDumpNamesTheFlag() throws SQLException {
    Path missing = Path.of("no", "such", "northwind.sql");
    try (Connection c = fresh()) {
      assertThatThrownBy(() -> NorthwindLoader.loadDump(c, missing))
          .isInstanceOf(LakehouseException.class)
          .hasMessageContaining("Northwind dump not found: " + missing)
          .hasMessageContaining("--northwind-sql");
    }
  }
}
