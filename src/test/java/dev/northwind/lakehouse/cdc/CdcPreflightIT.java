package dev.northwind.lakehouse.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.LakehouseException;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checks {@code lakehouse cdc} makes on a database before capturing: each missing thing gives
 * its own line naming it and the SQL or setting that fixes it, exit code 2 and no stack trace.
 */
class CdcPreflightIT {

  @Test
  void walLevelReplicaIsNamedWithTheSettingThatFixesIt() {
    // The tests' other PostgreSQL runs with the server's default, wal_level=replica.
    String url = TestPostgres.freshDatabase(CdcPreflightIT.class);
    JdbcSource db = new JdbcSource(url, TestPostgres.user(), "postgres");
    execute(db, "CREATE TABLE customers (customer_id varchar(5) PRIMARY KEY)");
    CliRun run =
        CliRun.of(
            "cdc",
            "--stage",
            "capture",
            "--until-idle",
            "--jdbc-url",
            url,
            "--lake",
            TestSpark.newLake().root().toString(),
            "--set",
            "cdc.slot=preflight_wal");
    assertOneProblem(
        run,
        "wal_level is replica, CDC needs logical: run ALTER SYSTEM SET wal_level = logical; and restart PostgreSQL.");
  }

  @Test
  void userWithoutReplicationIsNamedWithTheGrantThatFixesIt() {
    CdcFixture f = CdcFixture.create("norepl");
    String role = f.slot + "_reader";
    f.sql(
        "CREATE ROLE " + role + " LOGIN",
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
        "CREATE PUBLICATION " + f.slot + " FOR TABLE customers, products, orders, order_details");
    CliRun run = CliRun.of(args(f, role));
    assertOneProblem(
        run,
        "User "
            + role
            + " has neither the REPLICATION attribute nor superuser: run ALTER ROLE "
            + role
            + " REPLICATION; as a superuser.");
  }

  @Test
  void missingPublicationTheUserMayNotCreateIsNamedWithItsSql() {
    CdcFixture f = CdcFixture.create("nopub");
    String role = f.slot + "_reader";
    f.sql(
        "CREATE ROLE " + role + " LOGIN REPLICATION",
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
    CliRun run = CliRun.of(args(f, role));
    assertOneProblem(
        run,
        "Publication "
            + f.slot
            + " does not exist and user "
            + role
            + " may not create it (it must own the tables): run CREATE PUBLICATION "
            + f.slot
            + " FOR TABLE public.customers, public.order_details, public.orders, public.products; as their owner.");
  }

  @Test
  void slotOfAnotherPluginIsNamedWithTheDropThatFixesIt() {
    CdcFixture f = CdcFixture.create("wrongslot");
    f.sql("SELECT pg_create_logical_replication_slot('" + f.slot + "', 'test_decoding')");
    try {
      CliRun run = f.cli("--stage", "capture", "--until-idle");
      assertOneProblem(
          run,
          "Replication slot "
              + f.slot
              + " decodes with test_decoding, CDC needs pgoutput: run SELECT pg_drop_replication_slot('"
              + f.slot
              + "'); or set cdc.slot to another name.");
    } finally {
      f.sql("SELECT pg_drop_replication_slot('" + f.slot + "')");
    }
  }

  @Test
  void embeddedModeSetsFullReplicaIdentityAndThePublicationAndWarnsOfLag() throws Exception {
    CdcFixture f = CdcFixture.create("embedded");
    f.sql("ALTER TABLE orders REPLICA IDENTITY DEFAULT");
    CdcSettings settings =
        new CdcSettings(f.slot, f.slot, f.prefix, List.of(), 1, Duration.ofSeconds(1));
    Preflight.Report report =
        new Preflight(f.db, "public", settings).run(SourceKind.EMBEDDED, Progress.NONE);
    assertThat(report.tables())
        .containsExactly(
            "public.customers", "public.order_details", "public.orders", "public.products");
    assertThat(report.warnings()).isEmpty();
    assertThat(
            rows(
                f.db,
                "SELECT relname || ' ' || relreplident FROM pg_class WHERE relname IN ('orders', 'customers') ORDER BY 1"))
        .containsExactly("customers f", "orders f");
    assertThat(
            rows(
                f.db,
                "SELECT tablename FROM pg_publication_tables WHERE pubname = '"
                    + f.slot
                    + "' ORDER BY 1"))
        .containsExactly("customers", "order_details", "orders", "products");

    // A slot nobody reads while the source changes holds WAL back: above cdc.max-lag-bytes it is a
    // warning.
    f.sql(
        "SELECT pg_create_logical_replication_slot('" + f.slot + "', 'pgoutput')",
        "INSERT INTO products SELECT g, 'p' || g, 1, 0 FROM generate_series(100, 2000) g");
    List<String> warned = new ArrayList<>();
    Preflight.Report lagging =
        new Preflight(f.db, "public", settings).run(SourceKind.EXTERNAL, warned::add);
    assertThat(lagging.warnings())
        .singleElement()
        .asString()
        .startsWith("replication slot " + f.slot + " holds back ")
        .contains("cdc.max-lag-bytes = 1");
    assertThat(warned)
        .singleElement()
        .asString()
        .startsWith("cdc: warning: replication slot " + f.slot);

    // The documented way out drops both.
    CliRun drop = f.cli("--drop-slot");
    assertThat(drop.code()).as(drop.err()).isZero();
    assertThat(drop.out())
        .contains("cdc: dropped replication slot " + f.slot + ", publication " + f.slot);
    assertThat(
            rows(
                f.db,
                "SELECT slot_name FROM pg_replication_slots WHERE slot_name = '" + f.slot + "'"))
        .isEmpty();
    assertThat(rows(f.db, "SELECT pubname FROM pg_publication WHERE pubname = '" + f.slot + "'"))
        .isEmpty();
  }

  @Test
  void badSlotNameIsAConfigError() {
    CliRun run =
        CliRun.of(
            "cdc", "--set", "cdc.slot=Bad-Slot", "--lake", TestSpark.newLake().root().toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("cdc.slot = 'Bad-Slot' (flag): must be 1-63 lower-case letters, digits or '_'");
  }

  private static String[] args(CdcFixture f, String user) {
    List<String> a = new ArrayList<>(List.of("cdc", "--stage", "capture", "--until-idle"));
    a.addAll(f.common());
    a.set(a.indexOf("--jdbc-user") + 1, user);
    return a.toArray(String[]::new);
  }

  private static void assertOneProblem(CliRun run, String line) {
    assertThat(run.code())
        .as(run.out() + run.err())
        .isEqualTo(LakehouseException.Kind.USAGE.exitCode());
    assertThat(run.err()).contains("is not ready for change data capture (1 problem):");
    assertThat(run.err().lines()).contains(line);
    assertThat(run.err()).doesNotContain("\tat ");
  }

  private static void execute(JdbcSource db, String sql) {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> rows(JdbcSource db, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
