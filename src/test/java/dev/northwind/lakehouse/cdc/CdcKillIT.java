package dev.northwind.lakehouse.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.testing.ChildLakehouse;
import dev.northwind.lakehouse.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the capture process at seeded random moments while a writer keeps changing the source;
 * after a restart and a drain, Bronze holds every change exactly once.
 */
class CdcKillIT {

  /** Kill points: the ten, each a short cycle (a capture-only child: no Spark). */
  private static final int KILLS = 10;

  @Test
  void killNineMidCaptureThenRestartLosesNothingAndDuplicatesNothing() throws Exception {
    CdcFixture f = CdcFixture.create("kill");
    Random random = new Random(16);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger orders = new AtomicInteger();
    Thread writer = new Thread(() -> write(f, writing, orders), "cdc-test-writer");
    Path logs = Files.createTempDirectory("cdc-kill-");
    List<String> args = new ArrayList<>(List.of("cdc", "--stage", "capture"));
    args.addAll(f.common());
    // The snapshot first: changes written during it would be read by it (op r) rather than
    // streamed.
    CliRun snapshot = f.cli("--stage", "capture", "--until-idle");
    assertThat(snapshot.code()).as(snapshot.out() + snapshot.err()).isZero();
    try {
      writer.start();
      for (int i = 0; i < KILLS; i++) {
        try (ChildLakehouse child =
            ChildLakehouse.start(logs, Map.of(), args.toArray(String[]::new))) {
          assertThat(child.awaitOutput("cdc: capturing", 120))
              .as(child.out() + child.err())
              .isTrue();
          Thread.sleep(1000 + random.nextInt(2500));
          assertThat(child.alive()).as(child.out() + child.err()).isTrue();
          child.kill9();
        }
      }
    } finally {
      writing.set(false);
      writer.join();
    }
    CliRun drain = f.cli("--until-idle");
    assertThat(drain.code()).as(drain.out() + drain.err()).isZero();
    try {
      int n = orders.get();
      assertThat(n).isGreaterThan(50);
      List<Row> changes = f.changes();
      Map<String, Long> byOp =
          changes.stream()
              .filter(r -> r.getAs("source_table").equals("orders"))
              .collect(Collectors.groupingBy(r -> r.getAs("op"), Collectors.counting()));
      // Every order written: one insert and one update, once each; the snapshot's one order read
      // once.
      String keys =
          changes.stream()
              .filter(r -> r.getAs("source_table").equals("orders") && !r.getAs("op").equals("r"))
              .map(r -> r.getAs("op") + ((String) r.getAs("key")).replaceAll("\\D", ""))
              .collect(Collectors.joining(" "));
      assertThat(byOp)
          .as(drain.out() + " " + snapshot.out() + " " + keys)
          .containsEntry("c", (long) n)
          .containsEntry("u", (long) n)
          .containsEntry("r", 1L);
      assertThat(changes).extracting(r -> (String) r.getAs("change_id")).doesNotHaveDuplicates();
      assertThat(
              changes.stream()
                  .filter(r -> r.getAs("op").equals("c"))
                  .map(r -> (String) r.getAs("key"))
                  .distinct()
                  .count())
          .isEqualTo(n);
      assertThat(changes).hasSize(7 + 2 * n);
    } finally {
      f.dropSlot();
    }
  }

  /**
   * Inserts an order, then updates its freight, each in its own transaction, until told to stop.
   */
  private static void write(CdcFixture f, AtomicBoolean writing, AtomicInteger orders) {
    try (Connection c = f.db.connect();
        Statement s = c.createStatement()) {
      for (int id = 20000; writing.get(); id++) {
        s.execute("INSERT INTO orders VALUES (" + id + ", 'ALFKI', '1998-05-06', NULL, 1.5)");
        s.execute(
            "UPDATE orders SET freight = 2.5, shipped_date = '1998-05-08' WHERE order_id = " + id);
        orders.incrementAndGet();
        Thread.sleep(15);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
