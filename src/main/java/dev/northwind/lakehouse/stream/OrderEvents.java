package dev.northwind.lakehouse.stream;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Generates realistic new orders: a pure function of its arguments (same reference data, ids, seed
 * and time give the same events), so tests can recompute what was sent.
 *
 * <p>Choices: order ids are consecutive from {@code firstOrderId}; order_date is the source's
 * latest order date plus 0 or 1 day (not today: Gold's RFM recency is measured from the latest
 * order date in the data, so dating new orders "today" would make every historical customer look
 * years old); required_date = order_date + 28 days (Northwind's usual term); shipped_date is null
 * (a new order is not shipped yet); the ship-to address is the customer's; 1–5 lines with distinct
 * products at their list price; quantity 1–60; discount 0 (60%) or one of 0.05…0.25; freight
 * 1.00–500.00, log-uniform. The event id is a name-based UUID of (seed, order id).
 */
public final class OrderEvents {

  /** The discounts Northwind uses. */
  public static final List<BigDecimal> DISCOUNTS =
      List.of(
          new BigDecimal("0"),
          new BigDecimal("0.05"),
          new BigDecimal("0.1"),
          new BigDecimal("0.15"),
          new BigDecimal("0.2"),
          new BigDecimal("0.25"));

  static final int MAX_LINES = 5;
  static final int MAX_QUANTITY = 60;

  private OrderEvents() {}

  /**
   * {@code count} new orders with ids {@code firstOrderId, firstOrderId + 1, …}.
   *
   * @param eventTime the event time of every event (the producer re-stamps each with its send time)
   */
  public static List<OrderEvent> generate(
      ReferenceData reference, int firstOrderId, int count, long seed, Instant eventTime) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<OrderEvent> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int orderId = firstOrderId + i;
      ReferenceData.Customer c = pick(rnd, reference.customers());
      LocalDate orderDate = reference.maxOrderDate().plusDays(rnd.nextInt(2));
      int lineCount = 1 + rnd.nextInt(Math.min(MAX_LINES, reference.products().size()));
      List<ReferenceData.Product> pool = new ArrayList<>(reference.products());
      List<OrderLine> lines = new ArrayList<>(lineCount);
      for (int l = 0; l < lineCount; l++) {
        ReferenceData.Product p = pool.remove(rnd.nextInt(pool.size()));
        int quantity = 1 + rnd.nextInt(MAX_QUANTITY);
        BigDecimal discount =
            rnd.nextDouble() < 0.6
                ? DISCOUNTS.get(0)
                : DISCOUNTS.get(1 + rnd.nextInt(DISCOUNTS.size() - 1));
        lines.add(new OrderLine(p.id(), p.unitPrice(), quantity, discount));
      }
      BigDecimal freight =
          BigDecimal.valueOf(Math.exp(rnd.nextDouble() * Math.log(500)))
              .setScale(2, RoundingMode.HALF_UP);
      String eventId =
          UUID.nameUUIDFromBytes(
                  ("northwind-order-event:" + seed + ":" + orderId)
                      .getBytes(StandardCharsets.UTF_8))
              .toString();
      out.add(
          new OrderEvent(
              eventId,
              eventTime,
              orderId,
              c.id(),
              pick(rnd, reference.employeeIds()),
              orderDate,
              orderDate.plusDays(28),
              null,
              pick(rnd, reference.shipperIds()),
              freight,
              c.companyName(),
              c.address(),
              c.city(),
              c.region(),
              c.postalCode(),
              c.country() == null ? "Unknown" : c.country(),
              lines));
    }
    return out;
  }

  /** A seed for callers that did not choose one. */
  public static long randomSeed() {
    return new Random().nextLong();
  }

  private static <T> T pick(SplittableRandom rnd, List<T> from) {
    return from.get(rnd.nextInt(from.size()));
  }
}
