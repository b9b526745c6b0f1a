package dev.northwind.lakehouse.cdc;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.source.JdbcSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks, before Debezium starts, that the source database can be captured from: {@code
 * wal_level=logical}, the REPLICATION privilege, a WAL sender, the replication slot (free, or ours
 * and idle) and the publication over the captured tables. Every problem found is reported at once,
 * one line each naming what is missing and the SQL or setting that fixes it. When all is well it
 * creates or completes the publication (when the user may) and, on the embedded database, sets
 * {@code REPLICA IDENTITY FULL} on the captured tables.
 *
 * @param source the source database
 * @param schema the schema whose tables are captured
 * @param settings the {@code cdc.*} settings (slot, publication, tables)
 */
public record Preflight(JdbcSource source, String schema, CdcSettings settings) {

  /** The slot's state on the server, when it exists. */
  record Slot(String plugin, String database, Long activePid, long lagBytes) {}

  /**
   * What the preflight found.
   *
   * @param tables captured tables, {@code schema.table}
   * @param warnings things that do not stop capture but deserve attention
   */
  public record Report(List<String> tables, List<String> warnings) {}

  /**
   * Runs every check and prepares the database; warnings go to {@code progress} as they are found.
   *
   * @throws dev.northwind.lakehouse.LakehouseException (exit code 2) listing every problem
   */
  public Report run(SourceKind kind, Progress progress) {
    try (Connection c = source.connect()) {
      List<String> problems = new ArrayList<>();
      List<String> warnings = new ArrayList<>();
      List<String> tables = tables(c, problems);
      String walLevel = setting(c, "wal_level");
      if (!walLevel.equals("logical")) {
        problems.add(LakehouseErrors.cdcWalLevel(walLevel));
      }
      String user = one(c, "SELECT current_user");
      boolean superuser = bool(c, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
      if (!superuser
          && !bool(c, "SELECT rolreplication FROM pg_roles WHERE rolname = current_user")) {
        problems.add(LakehouseErrors.cdcNoReplicationPrivilege(user));
      }
      int senders = Integer.parseInt(setting(c, "max_wal_senders"));
      if (senders < 1) {
        problems.add(LakehouseErrors.cdcNoWalSenders(senders));
      }
      Optional<Slot> slot = idleSlot(c);
      if (slot.isPresent()) {
        checkSlot(c, slot.get(), problems, warnings);
      } else {
        int max = Integer.parseInt(setting(c, "max_replication_slots"));
        int used = Integer.parseInt(one(c, "SELECT count(*) FROM pg_replication_slots"));
        if (used >= max) {
          problems.add(LakehouseErrors.cdcNoFreeSlot(max, used));
        }
      }
      Runnable publish = publication(c, tables, superuser, user, problems);
      if (!problems.isEmpty()) {
        throw LakehouseErrors.cdcNotReady(source.url(), problems);
      }
      publish.run();
      replicaIdentity(c, tables, kind, warnings);
      warnings.forEach(w -> progress.report("cdc: warning: " + w));
      return new Report(tables, warnings);
    } catch (SQLException e) {
      throw LakehouseErrors.sourceUnreachable(source.url(), e);
    }
  }

  /**
   * Drops the slot and the publication (both may be missing). The next {@code lakehouse cdc} starts
   * over with a new snapshot.
   *
   * @return what was dropped, for the user
   */
  public List<String> drop() {
    List<String> dropped = new ArrayList<>();
    try (Connection c = source.connect()) {
      Optional<Slot> slot = slot(c);
      if (slot.isPresent()) {
        if (slot.get().activePid() != null) {
          throw LakehouseErrors.cdcNotReady(
              source.url(),
              List.of(LakehouseErrors.cdcSlotInUse(settings.slot(), slot.get().activePid())));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
          ps.setString(1, settings.slot());
          ps.execute();
        }
        dropped.add("replication slot " + settings.slot());
      }
      if (publicationExists(c)) {
        try (Statement st = c.createStatement()) {
          st.execute("DROP PUBLICATION " + quote(settings.publication()));
        }
        dropped.add("publication " + settings.publication());
      }
      return dropped;
    } catch (SQLException e) {
      throw LakehouseErrors.sourceUnreachable(source.url(), e);
    }
  }

  private List<String> tables(Connection c, List<String> problems) throws SQLException {
    List<String> all = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.add(rs.getString(1));
        }
      }
    }
    List<String> wanted = settings.tables().isEmpty() ? all : settings.tables();
    List<String> unknown = wanted.stream().filter(t -> !all.contains(t)).toList();
    if (all.isEmpty() || !unknown.isEmpty()) {
      problems.add(LakehouseErrors.cdcNoTables(schema, unknown));
    }
    return wanted.stream().filter(all::contains).map(t -> schema + "." + t).toList();
  }

  private Optional<Slot> slot(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT plugin, database, active_pid,"
                + " coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, settings.slot());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long pid = rs.getLong(3);
        Long activePid = rs.wasNull() ? null : pid;
        return Optional.of(new Slot(rs.getString(1), rs.getString(2), activePid, rs.getLong(4)));
      }
    }
  }

  /**
   * The slot, waiting up to {@link #SLOT_RELEASE} for its reader to go: after a killed capture the
   * server notices the closed connection only a moment later.
   */
  private Optional<Slot> idleSlot(Connection c) throws SQLException {
    long deadline = System.nanoTime() + SLOT_RELEASE.toNanos();
    Optional<Slot> slot = slot(c);
    while (slot.isPresent() && slot.get().activePid() != null && System.nanoTime() < deadline) {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      slot = slot(c);
    }
    return slot;
  }

  private static final java.time.Duration SLOT_RELEASE = java.time.Duration.ofSeconds(10);

  private void checkSlot(Connection c, Slot slot, List<String> problems, List<String> warnings)
      throws SQLException {
    String database = one(c, "SELECT current_database()");
    if (!"pgoutput".equals(slot.plugin())) {
      problems.add(
          LakehouseErrors.cdcSlotWrongPlugin(settings.slot(), String.valueOf(slot.plugin())));
    }
    if (!database.equals(slot.database())) {
      problems.add(
          LakehouseErrors.cdcSlotOtherDatabase(settings.slot(), String.valueOf(slot.database())));
    }
    if (slot.activePid() != null) {
      problems.add(LakehouseErrors.cdcSlotInUse(settings.slot(), slot.activePid()));
    }
    if (slot.lagBytes() > settings.maxLagBytes()) {
      warnings.add(lagWarning(slot.lagBytes()));
    }
  }

  String lagWarning(long lagBytes) {
    return "replication slot "
        + settings.slot()
        + " holds back "
        + lagBytes
        + " bytes of WAL on the server (cdc.max-lag-bytes = "
        + settings.maxLagBytes()
        + "); run `lakehouse cdc` to consume it, or `lakehouse cdc --drop-slot` if CDC is no longer used.";
  }

  /**
   * Checks the publication; returns the statement that creates or completes it, run once no problem
   * was found (nothing is changed on a database that cannot be captured from anyway).
   */
  private Runnable publication(
      Connection c, List<String> tables, boolean superuser, String user, List<String> problems)
      throws SQLException {
    boolean exists = publicationExists(c);
    Set<String> covered = new LinkedHashSet<>();
    boolean all = false;
    if (exists) {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
        ps.setString(1, settings.publication());
        try (ResultSet rs = ps.executeQuery()) {
          all = rs.next() && rs.getBoolean(1);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = ?")) {
        ps.setString(1, settings.publication());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            covered.add(rs.getString(1));
          }
        }
      }
    }
    List<String> missing =
        all ? List.of() : tables.stream().filter(t -> !covered.contains(t)).toList();
    if (missing.isEmpty()) {
      return () -> {};
    }
    boolean may =
        superuser
            || ownsAll(c, missing)
                && (exists
                    || bool(c, "SELECT has_database_privilege(current_database(), 'CREATE')"));
    if (!may) {
      problems.add(
          exists
              ? LakehouseErrors.cdcPublicationIncomplete(settings.publication(), user, missing)
              : LakehouseErrors.cdcPublicationMissing(settings.publication(), user, missing));
      return () -> {};
    }
    String list = String.join(", ", missing.stream().map(Preflight::quoteQualified).toList());
    String sql =
        exists
            ? "ALTER PUBLICATION " + quote(settings.publication()) + " ADD TABLE " + list
            : "CREATE PUBLICATION " + quote(settings.publication()) + " FOR TABLE " + list;
    return () -> execute(c, sql);
  }

  private boolean publicationExists(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
      ps.setString(1, settings.publication());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private boolean ownsAll(Connection c, List<String> tables) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT bool_and(pg_has_role(current_user, c.relowner, 'USAGE'))"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname || '.' || c.relname = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("text", tables.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /**
   * PostgreSQL logs only the key of a row an UPDATE or DELETE changes unless the table's replica
   * identity is FULL; with FULL every change carries the whole row before it.
   */
  private void replicaIdentity(
      Connection c, List<String> tables, SourceKind kind, List<String> warnings)
      throws SQLException {
    List<String> notFull = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname || '.' || c.relname = ANY (?) AND c.relreplident <> 'f'"
                + " ORDER BY 1")) {
      ps.setArray(1, c.createArrayOf("text", tables.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          notFull.add(rs.getString(1));
        }
      }
    }
    if (kind == SourceKind.EMBEDDED) {
      for (String t : notFull) {
        execute(c, "ALTER TABLE " + quoteQualified(t) + " REPLICA IDENTITY FULL");
      }
    } else if (!notFull.isEmpty()) {
      warnings.add(
          "tables without REPLICA IDENTITY FULL give updates and deletes without the row before the change: "
              + String.join(", ", notFull)
              + " (fix: ALTER TABLE <table> REPLICA IDENTITY FULL;)");
    }
  }

  private static void execute(Connection c, String sql) {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw LakehouseErrors.jobFailed(
          "Preparing the source for change data capture (" + sql + ")", e);
    }
  }

  private static String setting(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT current_setting(?)")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static String one(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static boolean bool(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String quoteQualified(String schemaTable) {
    int dot = schemaTable.indexOf('.');
    return quote(schemaTable.substring(0, dot)) + "." + quote(schemaTable.substring(dot + 1));
  }
}
