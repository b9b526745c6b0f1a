package dev.northwind.lakehouse.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.testing.CliRun;
import dev.northwind.lakehouse.testing.TestSpark;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The switch from batch ingestion to change data capture while a writer keeps changing the source:
 * during the last batch snapshot (Bronze reading over JDBC), during the capture's first snapshot
 * and during the first streamed changes. After the writer stops and a drain, Silver and Gold equal
 * SQL over the source: no change lost, none applied twice.
 */
class CdcSwitchIT {

  @Test
  void aWriterChangingTheSourceDuringTheSwitchLosesNothing() throws Exception {
    CdcFixture f = CdcFixture.northwind("switch");
    Writer writer = new Writer(f, 16);
    Thread thread = new Thread(writer, "cdc-switch-writer");
    try (Connection db = DriverManager.getConnection(f.db.url(), f.db.user(), f.db.password())) {
      thread.start();
      // The last batch run reads the source while it changes.
      ok(f.lakehouse("run"));
      int duringBatch = writer.transactions.get();
      // The capture's first run snapshots the source while it changes; the writer pauses after a
      // while so that `--until-idle` can see the source idle and return.
      Thread pause =
          new Thread(
              () -> {
                sleep(12_000);
                writer.active.set(false);
              });
      pause.start();
      ok(f.cli("--until-idle"));
      pause.join();
      int duringCapture = writer.transactions.get();
      // The first apply runs while the source changes again.
      writer.active.set(true);
      ok(f.lakehouse("run"));
      writer.stop.set(true);
      thread.join(30_000);
      assertThat(writer.failure.get()).isNull();
      // The writer really wrote during each step.
      assertThat(duringBatch).isPositive();
      assertThat(duringCapture).isGreaterThan(duringBatch);
      assertThat(writer.transactions.get()).isGreaterThan(duringCapture);

      // Drain: capture what the writer committed last, apply, compare.
      ok(f.cli("--until-idle"));
      ok(f.lakehouse("run"));
      LakeVsSource.assertEqual(f, db);
      long changes = f.count(CdcBronzeJob.CHANGES);
      assertThat(
              f.lake
                  .read(TestSpark.spark(), CdcBronzeJob.CHANGES)
                  .select("change_id")
                  .distinct()
                  .count())
          .as("each change once in Bronze")
          .isEqualTo(changes);
    } finally {
      writer.stop.set(true);
      thread.join(30_000);
      f.dropSlot();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static CliRun ok(CliRun run) {
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    return run;
  }

  /**
   * Random committed transactions, one every few milliseconds: new orders with lines, freight and
   * shipped_date updates, line quantity and discount updates, line and order deletes, price and
   * address updates (seeded, so a failure can be replayed).
   */
  private static final class Writer implements Runnable {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicBoolean active = new AtomicBoolean(true);
    final AtomicInteger transactions = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CdcFixture f;
    private final Random random;
    private final List<Integer> created = new ArrayList<>();
    private int next = 20_000;

    Writer(CdcFixture f, long seed) {
      this.f = f;
      this.random = new Random(seed);
    }

    @Override
    public void run() {
      try (Connection c = DriverManager.getConnection(f.db.url(), f.db.user(), f.db.password());
          Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        while (!stop.get()) {
          if (active.get()) {
            step(s);
            c.commit();
            transactions.incrementAndGet();
          }
          Thread.sleep(15);
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    }

    private void step(Statement s) throws SQLException {
      int order = 10248 + random.nextInt(830);
      switch (random.nextInt(7)) {
        case 0, 1 -> {
          int id = next++;
          s.execute(
              "INSERT INTO orders (order_id, customer_id, employee_id, order_date, required_date,"
                  + " ship_via, freight, ship_country) SELECT "
                  + id
                  + ", customer_id, employee_id, order_date, required_date, ship_via, freight,"
                  + " ship_country FROM orders WHERE order_id = "
                  + order);
          s.execute(
              "INSERT INTO order_details SELECT "
                  + id
                  + ", product_id, unit_price, quantity, discount FROM order_details WHERE order_id = "
                  + order);
          created.add(id);
        }
        case 2 ->
            s.execute(
                "UPDATE orders SET freight = "
                    + (random.nextInt(10_000) / 100.0)
                    + ", shipped_date = order_date + "
                    + random.nextInt(30)
                    + " WHERE order_id = "
                    + order);
        case 3 ->
            s.execute(
                "UPDATE order_details SET quantity = "
                    + (1 + random.nextInt(50))
                    + ", discount = "
                    + (random.nextInt(5) * 5 / 100.0)
                    + " WHERE order_id = "
                    + order);
        case 4 -> {
          if (created.isEmpty()) {
            return;
          }
          int id = created.remove(random.nextInt(created.size()));
          if (random.nextBoolean()) {
            s.execute("DELETE FROM order_details WHERE order_id = " + id);
            s.execute("DELETE FROM orders WHERE order_id = " + id);
          } else {
            // One line goes while the order keeps another (Silver holds no order without lines).
            s.execute(
                "DELETE FROM order_details WHERE ctid IN (SELECT ctid FROM order_details"
                    + " WHERE order_id = "
                    + id
                    + " LIMIT 1) AND (SELECT count(*) FROM order_details WHERE order_id = "
                    + id
                    + ") > 1");
            created.add(id);
          }
        }
        case 5 ->
            s.execute(
                "UPDATE products SET unit_price = "
                    + (1 + random.nextInt(10_000) / 100.0)
                    + " WHERE product_id = "
                    + (1 + random.nextInt(77)));
        default ->
            s.execute(
                "UPDATE customers SET address = 'Street "
                    + random.nextInt(1_000_000)
                    + "' WHERE customer_id = (SELECT customer_id FROM customers ORDER BY"
                    + " customer_id OFFSET "
                    + random.nextInt(91)
                    + " LIMIT 1)");
      }
    }
  }
}
