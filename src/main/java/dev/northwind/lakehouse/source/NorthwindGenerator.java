package dev.northwind.lakehouse.source;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.LakehouseException;
import java.sql.Connection;

/**
 * Generates Northwind-shaped data straight into PostgreSQL: the 14 tables of {@link
 * NorthwindSchema}, with consistent keys, streamed with {@code COPY} so that memory does not grow
 * with the number of orders.
 *
 * <p>Scale 1 has the dump's row counts (91 customers, 830 orders, 2155 order lines, 77 products,
 * ...); scale N multiplies customers, orders and order lines by N while the reference tables
 * (products, employees, shippers, ...) stay as they are. Orders run from {@value #FIRST_ORDER} to
 * {@value #LAST_ORDER}; orders not yet shipped by the last day have no shipped date. The same scale
 * and seed always give identical rows.
 */
public final class NorthwindGenerator {

  /** The seed used when none is given. */
  public static final long DEFAULT_SEED = 42;

  /** Date of the first order. */
  public static final String FIRST_ORDER = "1996-07-04";

  /** Date of the last order; also the "today" after which nothing has shipped. */
  public static final String LAST_ORDER = "1998-05-06";

  private NorthwindGenerator() {}

  /**
   * Generates with the {@linkplain #DEFAULT_SEED default seed}, refusing existing Northwind rows.
   */
  public static LoadReport generate(Connection c, int scale) {
    return generate(c, scale, DEFAULT_SEED, ExistingData.REFUSE);
  }

  /** Generates with the given seed, refusing existing Northwind rows. */
  public static LoadReport generate(Connection c, int scale, long seed) {
    return generate(c, scale, seed, ExistingData.REFUSE);
  }

  /**
   * Creates the 14 tables and fills them in one transaction.
   *
   * @param scale 1 or more: multiplies customers, orders and order lines
   * @throws LakehouseException for a scale below 1, if the database already holds Northwind rows
   *     and {@code existing} is {@link ExistingData#REFUSE}, or if writing fails (then nothing is
   *     kept)
   */
  public static LoadReport generate(Connection c, int scale, long seed, ExistingData existing) {
    if (scale < 1) {
      throw LakehouseErrors.invalidScale(scale);
    }
    return NorthwindLoader.load(
        c, existing, description(scale, seed), tx -> new Generation(scale, seed).write(tx));
  }

  /** The {@link LoadReport#description()} of a generator load. */
  public static String description(int scale, long seed) {
    return "generator scale " + scale + " seed " + seed;
  }
}
