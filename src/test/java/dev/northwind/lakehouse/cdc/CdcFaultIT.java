package dev.northwind.lakehouse.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.services.EmbeddedKafka;
import dev.northwind.lakehouse.services.EmbeddedPostgres;
import dev.northwind.lakehouse.services.Mode;
import dev.northwind.lakehouse.testing.ChildLakehouse;
import dev.northwind.lakehouse.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The services under the capture fail while a writer changes the source: PostgreSQL restarted, the
 * Kafka broker stopped and started again. The capture either resumes by itself or stops with one
 * error line (no stack trace); after a restart and a drain Bronze holds every committed change
 * exactly once: never a silent gap. Each test runs its own PostgreSQL or broker, so restarting it
 * disturbs no other test.
 */
class CdcFaultIT {

  @Test
  void postgresRestartedMidCaptureLosesNothing() throws Exception {
    Path dir = Files.createTempDirectory("cdc-fault-pg-");
    EmbeddedPostgres[] pg = {EmbeddedPostgres.start(dir, 0, Mode.FRESH)};
    int port = pg[0].port();
    try {
      CdcFixture f = CdcFixture.create("pgrestart", pg[0]);
      Outcome o =
          underFault(
              f,
              () -> {
                pg[0].close();
                pg[0] = restart(() -> EmbeddedPostgres.start(dir, port, Mode.REUSE));
                return "PostgreSQL restarted";
              });
      assertCapturedExactlyOnce(f, o);
    } finally {
      pg[0].close();
    }
  }

  @Test
  void kafkaDownMidCaptureLosesNothing() throws Exception {
    Path dir = Files.createTempDirectory("cdc-fault-kafka-");
    EmbeddedKafka[] kafka = {EmbeddedKafka.start(dir, 0, Mode.FRESH)};
    int port = kafka[0].port();
    try {
      CdcFixture f = CdcFixture.create("kafkadown").onKafka(kafka[0].bootstrapServers());
      Outcome o =
          underFault(
              f,
              () -> {
                kafka[0].close();
                sleep(8_000);
                kafka[0] = restart(() -> EmbeddedKafka.start(dir, port, Mode.REUSE));
                return "Kafka down for 8 s";
              });
      assertCapturedExactlyOnce(f, o);
    } finally {
      kafka[0].close();
    }
  }

  /** What the capture did about the fault, and what the writer committed. */
  private record Outcome(String fault, boolean resumed, String out, String err) {}

  /**
   * Snapshot, then a capture process with a writer running; the fault strikes 2 s in. The capture
   * is then given 20 s: still running (it resumed) or exited with one error line. The writer stops,
   * the capture is stopped, and a drain run follows.
   */
  private static Outcome underFault(CdcFixture f, Supplier<String> fault) throws Exception {
    CliRun snapshot = f.cli("--stage", "capture", "--until-idle");
    assertThat(snapshot.code()).as(snapshot.out() + snapshot.err()).isZero();
    Path logs = Files.createTempDirectory("cdc-fault-");
    List<String> args = new ArrayList<>(List.of("cdc", "--stage", "capture"));
    args.addAll(f.common());
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    Thread writer = new Thread(() -> write(f, writing, failures), "cdc-fault-writer");
    String what;
    boolean resumed;
    String out;
    String err;
    try (ChildLakehouse child = ChildLakehouse.start(logs, Map.of(), args.toArray(String[]::new))) {
      assertThat(child.awaitOutput("cdc: capturing", 120)).as(child.out() + child.err()).isTrue();
      writer.start();
      sleep(2_000);
      what = fault.get();
      sleep(20_000);
      resumed = child.alive();
      writing.set(false);
      writer.join();
      if (resumed) {
        // Let it send what the writer committed last, then stop it as Ctrl-C would.
        sleep(5_000);
        child.stop();
      }
      out = child.out();
      err = child.err();
      if (!resumed) {
        assertThat(child.waitFor(30)).as(out + err).isNotZero();
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.stream().filter(l -> l.startsWith("error:")).count())
            .as("one error line: " + err)
            .isEqualTo(1);
        assertThat(err).as("no stack trace").doesNotContain("\tat ");
      }
    } finally {
      writing.set(false);
      writer.join();
    }
    return new Outcome(what, resumed, out, err);
  }

  /**
   * After a drain, Bronze holds one insert and one update per order the source has, once each, and
   * nothing else: the source, not a counter, says what was committed.
   */
  private static void assertCapturedExactlyOnce(CdcFixture f, Outcome o) throws Exception {
    CliRun drain = f.cli("--until-idle");
    String context = o + " drain: " + drain.out() + drain.err();
    assertThat(drain.code()).as(context).isZero();
    try {
      Set<Integer> inserted = new TreeSet<>();
      Set<Integer> updated = new TreeSet<>();
      try (Connection c = f.db.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT order_id, freight FROM orders WHERE order_id >= 20000")) {
        while (rs.next()) {
          inserted.add(rs.getInt(1));
          if (rs.getFloat(2) == 2.5f) {
            updated.add(rs.getInt(1));
          }
        }
      }
      assertThat(inserted).as(context).hasSizeGreaterThan(20);
      List<Row> changes = f.changes();
      assertThat(changes)
          .extracting(r -> (String) r.getAs("change_id"))
          .as(context)
          .doesNotHaveDuplicates();
      assertThat(keys(changes, "c")).as(context).containsExactlyElementsOf(inserted);
      // An update whose commit was not acknowledged before the server went away is repeated by
      // the writer: a second change of the same row (distinct change_ids, checked above).
      assertThat(keys(changes, "u").stream().distinct().toList())
          .as(context)
          .containsExactlyElementsOf(updated);
      System.out.println(
          "cdc fault: "
              + o.fault()
              + (o.resumed() ? ": the capture resumed by itself" : ": the capture stopped: ")
              + (o.resumed() ? "" : o.err().strip())
              + "; "
              + inserted.size()
              + " orders, every change once after the drain");
    } finally {
      f.dropSlot();
    }
  }

  private static List<Integer> keys(List<Row> changes, String op) {
    return changes.stream()
        .filter(r -> r.getAs("source_table").equals("orders") && r.getAs("op").equals(op))
        .map(r -> Integer.parseInt(((String) r.getAs("key")).replaceAll("\\D", "")))
        .filter(id -> id >= 20000)
        .sorted()
        .toList();
  }

  /**
   * Inserts an order, then updates it, each committed on its own, until told to stop; a failed
   * statement (the server going away) is retried on a new connection after a pause.
   */
  private static void write(CdcFixture f, AtomicBoolean writing, AtomicInteger failures) {
    int id = 20000;
    boolean insertedCurrent = false;
    while (writing.get()) {
      try (Connection c = DriverManager.getConnection(f.db.url(), f.db.user(), f.db.password());
          Statement s = c.createStatement()) {
        while (writing.get()) {
          if (!insertedCurrent) {
            s.execute(
                "INSERT INTO orders VALUES ("
                    + id
                    + ", 'ALFKI', '1998-05-06', NULL, 1.5) ON CONFLICT DO NOTHING");
            insertedCurrent = true;
          }
          s.execute(
              "UPDATE orders SET freight = 2.5, shipped_date = '1998-05-08' WHERE order_id = "
                  + id);
          id++;
          insertedCurrent = false;
          Thread.sleep(15);
        }
      } catch (SQLException e) {
        failures.incrementAndGet();
        sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Starts a service again on its port, waiting up to 30 s while the port is still held (the old
   * server's socket closing, or a client's connection briefly bound to it).
   */
  private static <T> T restart(Supplier<T> start) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try {
        return start.get();
      } catch (dev.northwind.lakehouse.LakehouseException e) {
        if (!e.getMessage().contains("already in use") || System.nanoTime() > deadline) {
          throw e;
        }
        sleep(500);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
