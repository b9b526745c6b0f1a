package dev.northwind.lakehouse;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkThrowable;

/**
 * Every user-facing error of the lakehouse, built in one place (as Delta Kernel's {@code
 * DeltaErrors}): each names what failed, the offending value, and the fix. Messages never include
 * secrets.
 */
public final class LakehouseErrors {

  private LakehouseErrors() {}

  private static LakehouseException usage(String problem, String fix) {
    return new LakehouseException(LakehouseException.Kind.USAGE, problem, fix, null);
  }

  private static LakehouseException job(String problem, String fix, Throwable cause) {
    return new LakehouseException(LakehouseException.Kind.JOB, problem, fix, cause);
  }

  private static LakehouseException job(String problem, String fix) {
    return job(problem, fix, null);
  }

  /** {@code problem: <the cause's first line>.}, the one-line form of every error with a cause. */
  private static String dueTo(String problem, Throwable cause) {
    return problem + ": " + firstLine(cause) + ".";
  }

  /** {@code (N problems):} and one problem a line below it. */
  private static String problemLines(List<String> problems) {
    return " ("
        + Progress.count(problems.size(), "problem")
        + "):"
        + System.lineSeparator()
        + String.join(System.lineSeparator(), problems);
  }

  /** One line per config problem, all reported at once. */
  public static LakehouseException invalidConfig(List<String> problems) {
    return usage(
        "Invalid configuration" + problemLines(problems),
        "Fix the values above (flags, LAKEHOUSE_* environment variables or the --config file); `lakehouse config --keys` lists every key and its rule.");
  }

  public static LakehouseException configFileMissing(Path file) {
    return notFound("Config file", file, ".properties or .yaml file", "--config");
  }

  public static LakehouseException configFileUnreadable(Path file, Exception cause) {
    return usage(
        dueTo("Config file " + file + " cannot be parsed", cause),
        "Use key=value lines (.properties) or a YAML map (.yaml/.yml).");
  }

  public static LakehouseException fileNotFound(String what, Path file, String flag) {
    return notFound(what, file, "file", flag);
  }

  private static LakehouseException notFound(String what, Path file, String kind, String flag) {
    return usage(
        what + " not found: " + file + ".", "Pass an existing " + kind + " to " + flag + ".");
  }

  public static LakehouseException sourceUnreachable(String jdbcUrl, Throwable cause) {
    return job(
        dueTo("Cannot connect to the source PostgreSQL at " + jdbcUrl, cause),
        "Check that the database is running and that source.jdbc.url, source.user and source.password are right (or unset source.jdbc.url to use the embedded database).",
        cause);
  }

  public static LakehouseException portInUse(String service, int port) {
    return job(
        service + " cannot listen on port " + port + ": the port is already in use.",
        "Stop what uses it or choose another port.");
  }

  public static LakehouseException tableNotFound(String name, URI location) {
    return usage(
        "Table " + name + " does not exist (looked for a Delta table at " + location + ").",
        "Run the job that builds it first (e.g. `lakehouse bronze`, `silver`, `gold`), or check --lake.");
  }

  public static LakehouseException unknownDatasets(String selector, List<String> known) {
    return usage(
        "--select " + selector + " matches no dataset of the pipeline graph",
        "name datasets as layer.table (e.g. gold.revenue_by_country, silver.*, gold.kpi_summary+ for it and what "
            + "depends on it, +gold.kpi_summary for it and what it reads); `lakehouse graph` lists them: "
            + String.join(", ", known));
  }

  /** {@code --format} names none of a command's formats, e.g. a graph's text and mermaid. */
  public static LakehouseException badFormat(String format, String what, List<String> formats) {
    return usage(
        "--format " + format + " is not a " + what + " format",
        "use --format " + String.join(" or --format ", formats));
  }

  /** The dashboard bound beyond this machine without an access token. */
  public static LakehouseException dashboardNeedsToken(String host) {
    return usage(
        "The dashboard would be served on "
            + host
            + ", which other machines can reach, without an access token (dashboard.token is not set).",
        "Set LAKEHOUSE_DASHBOARD_TOKEN (or dashboard.token in the --config file) to a long random"
            + " secret, e.g. `export LAKEHOUSE_DASHBOARD_TOKEN=$(openssl rand -hex 32)`, and open"
            + " the page as http://HOST:PORT/?token=<the token>; or serve on 127.0.0.1 (the"
            + " default).");
  }

  /** A secret given on the command line, where the process list and shell history show it. */
  public static String secretOnCommandLine(String key, String envVar) {
    // The value is never echoed.
    return key
        + " cannot be given on the command line (the process list and the shell history would"
        + " show it): set "
        + envVar
        + " or put it in the --config file.";
  }

  public static LakehouseException jobFailed(String job, Throwable cause) {
    if (diskFull(cause)) {
      return lakeFull(job, cause);
    }
    return job(dueTo(job + " failed", cause), "Re-run with --verbose for details.", cause);
  }

  public static LakehouseException badQuery(String query, Throwable cause) {
    return usage(
        dueTo("The SQL query cannot run", cause),
        "Check the query's syntax and name tables as layer.table (e.g. gold.revenue_by_country); `lakehouse graph` and docs/tables.md list every table.");
  }

  /** The first line of a throwable's message, for one-line errors; never the stack trace. */
  public static String firstLine(Throwable t) {
    if (t == null) {
      return "unknown cause";
    }
    Throwable root = t;
    while (root.getCause() != null
        && root.getCause() != root
        && (root.getMessage() == null || root.getMessage().isBlank())) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    String line =
        m.lines()
            .map(String::trim)
            .filter(l -> !l.isEmpty())
            .findFirst()
            .orElse(root.getClass().getSimpleName());
    return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
  }

  public static LakehouseException serviceFailed(String service, Path dataDir, Throwable cause) {
    return job(
        dueTo("Embedded " + service + " could not start with data folder " + dataDir, cause),
        "Check that the folder is writable and its disk not full, or start with a fresh data folder; to use an external "
            + service
            + " instead, configure its address.",
        cause);
  }

  public static LakehouseException dataDirInUse(String service, Path dataDir) {
    return job(
        "Embedded " + service + " data folder " + dataDir + " is in use by another process.",
        "Stop the other lakehouse process, or choose another data folder.");
  }

  public static LakehouseException freshWhileServicesRun(Path servicesDir) {
    return usage(
        "--fresh cannot wipe the embedded services in "
            + servicesDir
            + " while `lakehouse services` runs on them.",
        "Stop `lakehouse services` (Ctrl-C) first, or run without --fresh.");
  }

  public static LakehouseException sourceAlreadyLoaded(String jdbcUrl) {
    return usage(
        "The source database at " + jdbcUrl + " already holds Northwind tables with rows.",
        "Pass --replace to drop the 14 Northwind tables and load again, or point source.jdbc.url at an empty database.");
  }

  public static LakehouseException sourceLoadFailed(String what, String jdbcUrl, Throwable cause) {
    return job(
        dueTo("Loading " + what + " into " + jdbcUrl + " failed", cause),
        "Nothing was kept (the load runs in one transaction); fix the cause above and load again.",
        cause);
  }

  public static LakehouseException invalidScale(int scale) {
    return usage(
        "Generator scale must be 1 or more, got " + scale + ".",
        "Pass --scale 1 or a larger whole number.");
  }

  public static LakehouseException dashboardHostInvalid(String host, Throwable cause) {
    return usage(
        dueTo("The dashboard host '" + host + "' cannot be resolved", cause),
        "Pass an IP address or a resolvable name to --host (dashboard.host), e.g. 127.0.0.1.");
  }

  public static LakehouseException dashboardExportFailed(Path outDir, Throwable cause) {
    return job(
        dueTo("Cannot write the dashboard to " + outDir, cause),
        "Pass a writable folder to --out.",
        cause);
  }

  /** A FAIL data-quality expectation failed: the run stops and no Silver table changes. */
  public static LakehouseException expectationFailed(
      String expectation, String table, long failingRows, String exampleKey) {
    return job(
        "Data-quality expectation "
            + expectation
            + " failed on "
            + table
            + ": "
            + Progress.count(failingRows, "row")
            + " break it (e.g. key "
            + exampleKey
            + "); no Silver table was changed.",
        "Fix or remove the offending source rows (see the expectation in the quality package's Expectations), ingest them into Bronze again and re-run `lakehouse silver`.");
  }

  public static LakehouseException sourceHasNoReferenceData(String jdbcUrl, String table) {
    return job(
        "The source at "
            + jdbcUrl
            + " has no rows in "
            + table
            + ", so no realistic order can be generated.",
        "Load the Northwind data into the source first (or point --jdbc-url at a loaded database).");
  }

  public static LakehouseException badProduceArgument(String flag, Object value, String rule) {
    return usage(
        "Invalid " + flag + " " + value + ": " + rule + ".", "Pass a value that " + rule + ".");
  }

  public static LakehouseException produceFailed(String bootstrap, String topic, Throwable cause) {
    return job(
        dueTo(
            "Sending order events to Kafka topic " + topic + " at " + bootstrap + " failed", cause),
        "Check that the broker is running and reachable (kafka.bootstrap.servers), then re-run; events already sent are deduplicated by event_id downstream.",
        cause);
  }

  public static LakehouseException streamFailed(String topic, Throwable cause) {
    return job(
        dueTo("The order-event stream from topic " + topic + " failed", cause),
        "Fix the cause and re-run `lakehouse stream`: it resumes from its checkpoint, and batches already committed are not written twice.",
        cause);
  }

  public static LakehouseException unknownSourceTables(
      List<String> unknown, String schema, List<String> available) {
    return usage(
        "Unknown source table"
            + (unknown.size() == 1 ? " " : "s ")
            + String.join(", ", unknown)
            + " in schema "
            + schema
            + ".",
        "Pass base tables of the schema to --tables; available: "
            + String.join(", ", available)
            + ".");
  }

  public static LakehouseException watermarkColumnInvalid(
      String table, String column, String problem) {
    return job(
        "Watermark column " + column + " of incremental table " + table + " " + problem + ".",
        "Set bronze.incremental to table=column pairs naming an integer or numeric column of each table.");
  }

  public static LakehouseException bronzeReconciliation(
      String table, long rowsRead, long rowsWritten) {
    return job(
        "Bronze table "
            + table
            + " does not reconcile: "
            + rowsRead
            + " rows in the source snapshot, "
            + rowsWritten
            + " rows committed; the commit was rolled back to the previous version.",
        "Re-run `lakehouse bronze --tables "
            + table
            + "`; if it repeats, report it with the run id from bronze._runs.");
  }

  public static LakehouseException bronzeTablesFailed(
      String sourceSystem, List<String> tablesAndCauses) {
    return job(
        "Bronze ingestion from "
            + sourceSystem
            + " failed for "
            + Progress.count(tablesAndCauses.size(), "table")
            + ": "
            + String.join("; ", tablesAndCauses)
            + ".",
        "The other tables were ingested and the failed ones keep their previous version (nothing partial is committed); "
            + "fix the cause given for each table (a source that went away: check that PostgreSQL is up) and re-run (see bronze._runs).");
  }

  public static LakehouseException freshNeedsLocalLake(String lakeRoot) {
    return usage(
        "--fresh wipes only a local lake, and the lake is " + lakeRoot + ".",
        "Run the demo without --fresh, or point --lake at a local folder.");
  }

  public static LakehouseException kafkaUnreachable(
      String bootstrap, long seconds, Throwable cause) {
    return job(
        dueTo("Cannot reach Kafka at " + bootstrap + " within " + seconds + " s", cause),
        "Check that the broker is running and that kafka.bootstrap.servers (--kafka-bootstrap) is right (or unset it to use the embedded broker).",
        cause);
  }

  public static LakehouseException kafkaLostMidStream(String bootstrap, long seconds) {
    return job(
        "Lost Kafka at "
            + bootstrap
            + ": no broker answered for "
            + seconds
            + " s while streaming; the stream stopped.",
        "Committed batches are in the lake and the checkpoint keeps the position: start `lakehouse stream` again once the broker is back, and it continues where it stopped without loss or duplicates.");
  }

  /**
   * Whether Spark or Delta failed with this error condition (e.g. {@code
   * DELTA_FAILED_TO_MERGE_FIELDS}) anywhere in the cause chain. The condition is the error's stable
   * name ({@link SparkThrowable#getCondition()}); message texts may change between versions.
   */
  public static boolean hasCondition(Throwable t, String condition) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SparkThrowable s && condition.equals(s.getCondition())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a failure's cause chain says the file system ran out of space. By message, as the only
   * way: the operating system's ENOSPC reaches Java as a plain IOException whose message is its
   * text, and neither Hadoop, Spark nor Delta give it an error condition of their own (a task that
   * fails writing is a generic TASK_WRITE_FAILED).
   */
  public static boolean diskFull(Throwable t) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (String.valueOf(c.getMessage()).contains("No space left on device")) {
        return true;
      }
    }
    return false;
  }

  public static LakehouseException lakeFull(String job, Throwable cause) {
    return job(
        job + " failed: the lake's file system is full (No space left on device).",
        "Free space or point --lake at a larger volume, then re-run: tables that committed are whole, "
            + "the others keep their previous version.",
        cause);
  }

  // Change data capture (lakehouse cdc). Preflight problems are one line each, what is missing and
  // the SQL or setting that fixes it; cdcNotReady reports them all at once.

  public static String cdcWalLevel(String actual) {
    return "wal_level is "
        + actual
        + ", CDC needs logical: run ALTER SYSTEM SET wal_level = logical; and restart PostgreSQL.";
  }

  public static String cdcNoReplicationPrivilege(String user) {
    return "User "
        + user
        + " has neither the REPLICATION attribute nor superuser: run ALTER ROLE "
        + user
        + " REPLICATION; as a superuser.";
  }

  public static String cdcNoWalSenders(int maxWalSenders) {
    return "max_wal_senders is "
        + maxWalSenders
        + ", CDC needs a free WAL sender: run ALTER SYSTEM SET max_wal_senders = 10; and restart PostgreSQL.";
  }

  public static String cdcNoFreeSlot(int maxSlots, int used) {
    return "No free replication slot ("
        + used
        + " of max_replication_slots = "
        + maxSlots
        + " in use): drop an unused one with SELECT pg_drop_replication_slot('name'); or run ALTER SYSTEM SET max_replication_slots = "
        + Math.max(4, maxSlots + 1)
        + "; and restart PostgreSQL.";
  }

  public static String cdcPublicationMissing(String publication, String user, List<String> tables) {
    return "Publication "
        + publication
        + " does not exist and user "
        + user
        + " may not create it (it must own the tables): run CREATE PUBLICATION "
        + publication
        + " FOR TABLE "
        + String.join(", ", tables)
        + "; as their owner.";
  }

  public static String cdcPublicationIncomplete(
      String publication, String user, List<String> missing) {
    return "Publication "
        + publication
        + " does not cover "
        + String.join(", ", missing)
        + " and user "
        + user
        + " may not add them: run ALTER PUBLICATION "
        + publication
        + " ADD TABLE "
        + String.join(", ", missing)
        + "; as their owner.";
  }

  public static String cdcSlotWrongPlugin(String slot, String plugin) {
    return "Replication slot "
        + slot
        + " decodes with "
        + plugin
        + ", CDC needs pgoutput: run SELECT pg_drop_replication_slot('"
        + slot
        + "'); or set cdc.slot to another name.";
  }

  public static String cdcSlotOtherDatabase(String slot, String database) {
    return "Replication slot "
        + slot
        + " belongs to database "
        + database
        + ": set cdc.slot to another name, or run SELECT pg_drop_replication_slot('"
        + slot
        + "'); in "
        + database
        + ".";
  }

  public static String cdcSlotInUse(String slot, long pid) {
    return "Replication slot "
        + slot
        + " is in use by server process "
        + pid
        + " (another lakehouse cdc?): stop that reader, or run SELECT pg_terminate_backend("
        + pid
        + ");.";
  }

  public static String cdcNoTables(String schema, List<String> tables) {
    return tables.isEmpty()
        ? "Schema "
            + schema
            + " has no base tables to capture: load the source (lakehouse load) or set source.schema."
        : "cdc.tables names tables that are not base tables of "
            + schema
            + ": "
            + String.join(", ", tables)
            + "; fix cdc.tables.";
  }

  /** The source database is not ready for change data capture: one line per missing thing. */
  public static LakehouseException cdcNotReady(String jdbcUrl, List<String> problems) {
    return usage(
        "The source " + jdbcUrl + " is not ready for change data capture" + problemLines(problems),
        "");
  }

  public static LakehouseException cdcNewSnapshotOverHistory(String slot, Path offsets, URI lake) {
    return usage(
        "The lake "
            + lake
            + " already holds changes streamed through an earlier replication slot, but slot "
            + slot
            + " has no stored offsets ("
            + offsets
            + " is missing, e.g. after `lakehouse cdc --drop-slot`): a new snapshot cannot be"
            + " merged into that history (rows deleted or changed while no slot existed would be"
            + " missed or lose to older changes).",
        "Capture into a new lake (--lake DIR) with Bronze loaded afresh, or restore the offsets"
            + " file if the slot still exists.");
  }

  public static LakehouseException cdcFailed(String slot, Throwable cause) {
    return job(
        dueTo("Change data capture through slot " + slot + " failed", cause),
        "Fix the cause and run `lakehouse cdc` again: it resumes from its stored offsets; changes already sent to Kafka may be sent again and Bronze skips them.",
        cause);
  }

  public static LakehouseException cdcSendFailed(String topic, Throwable cause) {
    return job(
        dueTo("Sending changes to Kafka topic " + topic + " failed", cause),
        "Check that the broker is running (kafka.bootstrap.servers) and run `lakehouse cdc` again: changes not acknowledged by Kafka were not marked captured and are read again.",
        cause);
  }

  public static LakehouseException cdcBronzeFailed(Throwable cause) {
    return job(
        dueTo("The CDC stream into bronze.cdc_changes failed", cause),
        "Fix the cause and run `lakehouse cdc --stage bronze`: it resumes from its checkpoint and appends no change twice.",
        cause);
  }
}
