package dev.northwind.lakehouse.cdc;

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

/**
 * A writer for CDC tests on the classic dump: random committed transactions, one every few
 * milliseconds: new orders with lines, freight and shipped_date updates, line quantity and discount
 * updates, line and order deletes, price and address updates (seeded, so a failure can be
 * replayed).
 */
final class SourceWriter implements Runnable {
  final AtomicBoolean stop = new AtomicBoolean();
  final AtomicBoolean active = new AtomicBoolean(true);
  final AtomicInteger transactions = new AtomicInteger();
  final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CdcFixture f;
  private final Random random;
  private final List<Integer> created = new ArrayList<>();
  private int next = 20_000;

  SourceWriter(CdcFixture f, long seed) {
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
                  + "' WHERE customer_id = (SELECT customer_id FROM customers"
                  + " WHERE customer_id NOT IN ('ALFKI', 'FISSA') ORDER BY customer_id OFFSET "
                  + random.nextInt(89)
                  + " LIMIT 1)");
    }
  }
}
