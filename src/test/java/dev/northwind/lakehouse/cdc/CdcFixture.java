package dev.northwind.lakehouse.cdc;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.TestKafka;
import dev.northwind.lakehouse.testing.TestSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;

/**
 * A small source with the four Northwind tables CDC tests change (the dump's column names, a few
 * rows), in a database of its own on the tests' embedded PostgreSQL (wal_level=logical), and the
 * lake, slot and topic prefix one test uses.
 */
final class CdcFixture {

  private static final AtomicInteger IDS = new AtomicInteger();

  final JdbcSource db;
  final Lake lake;
  final String slot;
  final String prefix;
  final String kafka;

  private CdcFixture(JdbcSource db, Lake lake, String slot, String prefix) {
    this(db, lake, slot, prefix, TestKafka.bootstrap());
  }

  private CdcFixture(JdbcSource db, Lake lake, String slot, String prefix, String kafka) {
    this.db = db;
    this.lake = lake;
    this.slot = slot;
    this.prefix = prefix;
    this.kafka = kafka;
  }

  /** This fixture with its topics on another Kafka broker. */
  CdcFixture onKafka(String bootstrap) {
    return new CdcFixture(db, lake, slot, prefix, bootstrap);
  }

  /** A new database with the four tables and their first rows, and a new lake. */
  static CdcFixture create(String name) {
    return create(name, CdcPostgres.pg());
  }

  /** {@link #create(String)} on the given server. */
  static CdcFixture create(String name, dev.northwind.lakehouse.services.EmbeddedPostgres server) {
    int n = IDS.incrementAndGet();
    JdbcSource db = CdcPostgres.newDatabase(server, "cdc_" + name);
    CdcPostgres.execute(
        db,
        "CREATE TABLE customers (customer_id varchar(5) PRIMARY KEY, company_name varchar(40) NOT NULL, address varchar(60),"
            + " city varchar(15), country varchar(15))",
        "CREATE TABLE products (product_id smallint PRIMARY KEY, product_name varchar(40) NOT NULL, unit_price real,"
            + " discontinued integer NOT NULL)",
        "CREATE TABLE orders (order_id smallint PRIMARY KEY, customer_id varchar(5), order_date date, shipped_date date,"
            + " freight real)",
        "CREATE TABLE order_details (order_id smallint, product_id smallint, unit_price real NOT NULL, quantity smallint NOT NULL,"
            + " discount real NOT NULL, PRIMARY KEY (order_id, product_id))",
        // What the embedded mode sets by itself; an external database's owner sets it
        // (docs/cdc.md).
        "ALTER TABLE customers REPLICA IDENTITY FULL",
        "ALTER TABLE products REPLICA IDENTITY FULL",
        "ALTER TABLE orders REPLICA IDENTITY FULL",
        "ALTER TABLE order_details REPLICA IDENTITY FULL",
        "INSERT INTO customers VALUES ('ALFKI', 'Alfreds Futterkiste', 'Obere Str. 57', 'Berlin', 'Germany'),"
            + " ('ANATR', 'Ana Trujillo Emparedados y helados', 'Avda. de la Constitucion 2222', 'Mexico D.F.', 'Mexico')",
        "INSERT INTO products VALUES (1, 'Chai', 18, 0), (2, 'Chang', 19, 0)",
        "INSERT INTO orders VALUES (10248, 'ALFKI', '1996-07-04', NULL, 32.38)",
        "INSERT INTO order_details VALUES (10248, 1, 18, 12, 0), (10248, 2, 19, 10, 0)");
    return new CdcFixture(db, TestSpark.newLake(), "cdc_" + name + "_" + n, "cdc" + n + "." + name);
  }

  /**
   * A new database holding the classic Northwind dump (every table REPLICA IDENTITY FULL, as the
   * embedded mode sets it), and a new lake.
   */
  static CdcFixture northwind(String name) {
    int n = IDS.incrementAndGet();
    JdbcSource db = CdcPostgres.newDatabase("cdc_" + name);
    try (java.sql.Connection c =
        java.sql.DriverManager.getConnection(db.url(), db.user(), db.password())) {
      dev.northwind.lakehouse.source.NorthwindLoader.loadDump(
          c,
          dev.northwind.lakehouse.testing.NorthwindDump.path(),
          dev.northwind.lakehouse.source.ExistingData.REFUSE);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    for (String t : dev.northwind.lakehouse.source.NorthwindSchema.TABLES) {
      CdcPostgres.execute(db, "ALTER TABLE " + t + " REPLICA IDENTITY FULL");
    }
    return new CdcFixture(db, TestSpark.newLake(), "cdc_" + name + "_" + n, "cdc" + n + "." + name);
  }

  /** Runs {@code lakehouse <command>} in this JVM on this fixture's source, lake and Kafka. */
  CliRun lakehouse(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(Arrays.asList(args));
    all.addAll(common());
    return CliRun.of(all.toArray(String[]::new));
  }

  /** Runs {@code lakehouse cdc} in this JVM on this fixture's source, lake, slot and topics. */
  CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of("cdc"));
    all.addAll(Arrays.asList(args));
    all.addAll(common());
    return CliRun.of(all.toArray(String[]::new));
  }

  /** The flags naming this fixture's source, lake, Kafka, slot, publication and topic prefix. */
  List<String> common() {
    return List.of(
        "--lake",
        lake.root().toString(),
        "--jdbc-url",
        db.url(),
        "--jdbc-user",
        db.user(),
        "--kafka-bootstrap",
        kafka,
        "--set",
        "cdc.slot=" + slot,
        "--set",
        "cdc.publication=" + slot,
        "--set",
        "cdc.topic-prefix=" + prefix,
        "--set",
        "cdc.idle=2 seconds",
        "--set",
        "spark.master=local[2]");
  }

  void sql(String... statements) {
    CdcPostgres.execute(db, statements);
  }

  /** bronze.cdc_changes in capture order: WAL position, then order in the transaction. */
  List<Row> changes() {
    return lake.read(TestSpark.spark(), CdcBronzeJob.CHANGES)
        .orderBy("lsn", "txn_order", "source_table", "key")
        .collectAsList();
  }

  long count(dev.northwind.lakehouse.lake.TableId table) {
    return lake.exists(TestSpark.spark(), table) ? lake.read(TestSpark.spark(), table).count() : 0;
  }

  /** Drops the slot so the tests' server does not keep WAL for it. */
  void dropSlot() {
    cli("--drop-slot");
  }
}
