package dev.northwind.lakehouse.stream;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.source.JdbcSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The producer's reference data, which new orders are drawn from: existing customers, employees,
 * shippers and products (with their list price), and where the source's orders end (highest id and
 * date). Lists are in key order, so a seeded generator gives the same events for the same data.
 *
 * @param maxOrderId highest order id in the source (0 if none)
 * @param maxOrderDate latest order date in the source (today, UTC, if none)
 */
public record ReferenceData(
    List<Customer> customers,
    List<Integer> employeeIds,
    List<Integer> shipperIds,
    List<Product> products,
    int maxOrderId,
    LocalDate maxOrderDate) {

  /** A customer and the address its orders ship to. */
  public record Customer(
      String id,
      String companyName,
      String address,
      String city,
      String region,
      String postalCode,
      String country) {}

  /** A product and its current list price. */
  public record Product(int id, BigDecimal unitPrice) {}

  public ReferenceData {
    customers = List.copyOf(customers);
    employeeIds = List.copyOf(employeeIds);
    shipperIds = List.copyOf(shipperIds);
    products = List.copyOf(products);
  }

  /**
   * Reads the reference data from the source's {@code customers}, {@code employees}, {@code
   * shippers}, {@code products} (not discontinued, unless all are) and {@code orders} tables.
   */
  public static ReferenceData read(JdbcSource source) {
    // Through JdbcSource: its connect and socket timeouts, and its one-line error when unreachable.
    try (Connection c = source.connect();
        Statement s = c.createStatement()) {
      List<Customer> customers = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT customer_id, company_name, address, city, region, postal_code, country FROM customers ORDER BY customer_id")) {
        while (rs.next()) {
          customers.add(
              new Customer(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7)));
        }
      }
      List<Integer> employees = ids(s, "SELECT employee_id FROM employees ORDER BY employee_id");
      List<Integer> shippers = ids(s, "SELECT shipper_id FROM shippers ORDER BY shipper_id");
      List<Product> active = new ArrayList<>();
      List<Product> all = new ArrayList<>();
      // real -> numeric gives the price's shortest decimal text (14.4, not 14.3999996), as Silver
      // does.
      try (ResultSet rs =
          s.executeQuery(
              "SELECT product_id, unit_price::numeric, COALESCE(discontinued::int, 0) FROM products ORDER BY product_id")) {
        while (rs.next()) {
          BigDecimal price = rs.getBigDecimal(2);
          Product p = new Product(rs.getInt(1), price == null ? BigDecimal.ZERO : price);
          all.add(p);
          if (rs.getInt(3) == 0) {
            active.add(p);
          }
        }
      }
      int maxId = 0;
      LocalDate maxDate = null;
      try (ResultSet rs = s.executeQuery("SELECT max(order_id), max(order_date) FROM orders")) {
        if (rs.next()) {
          maxId = rs.getInt(1);
          java.sql.Date d = rs.getDate(2);
          maxDate = d == null ? null : d.toLocalDate();
        }
      }
      require(source, "customers", customers);
      require(source, "employees", employees);
      require(source, "shippers", shippers);
      require(source, "products", all);
      return new ReferenceData(
          customers,
          employees,
          shippers,
          active.isEmpty() ? all : active,
          maxId,
          maxDate == null ? LocalDate.now(java.time.ZoneOffset.UTC) : maxDate);
    } catch (SQLException e) {
      throw LakehouseErrors.sourceUnreachable(source.url(), e);
    }
  }

  private static List<Integer> ids(Statement s, String sql) throws SQLException {
    List<Integer> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }

  private static void require(JdbcSource source, String table, List<?> rows) {
    if (rows.isEmpty()) {
      throw LakehouseErrors.sourceHasNoReferenceData(source.url(), table);
    }
  }
}
