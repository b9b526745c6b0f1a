package dev.northwind.lakehouse.gold;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Schemas;
import dev.northwind.lakehouse.lake.TableId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A small hand-made Silver (not the golden lake): 7 current customers (FOLKO has no orders) plus
 * one expired SCD2 row, 4 products in 3 categories, 3 employees, 9 orders with 12 lines whose
 * figures are worked out by hand in {@link GoldComputeTest}. Built with the exact Silver schemas of
 * CONTRACTS.md.
 */
final class SampleSilver {

  private SampleSilver() {}

  record Line(int productId, String unitPrice, int quantity, String discount) {
    BigDecimal gross() {
      return new BigDecimal(unitPrice)
          .multiply(BigDecimal.valueOf(quantity))
          .setScale(8, RoundingMode.UNNECESSARY);
    }

    BigDecimal discountAmount() {
      return gross().multiply(new BigDecimal(discount)).setScale(8, RoundingMode.UNNECESSARY);
    }

    BigDecimal net() {
      return new BigDecimal(unitPrice)
          .multiply(BigDecimal.valueOf(quantity))
          .multiply(BigDecimal.ONE.subtract(new BigDecimal(discount)))
          .setScale(8, RoundingMode.UNNECESSARY);
    }
  }

  record Order(
      int orderId,
      String customerId,
      int employeeId,
      String orderDate,
      String source,
      List<Line> lines) {
    BigDecimal net() {
      return lines.stream().map(Line::net).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
  }

  /** customer_id, company, country (as Silver stores it, upper-cased). F has no orders. */
  static final List<String[]> CUSTOMERS =
      List.of(
          new String[] {"ALFKI", "Alfreds Futterkiste", "GERMANY"},
          new String[] {"BONAP", "Bon app'", "FRANCE"},
          new String[] {"CHOPS", "Chop-suey Chinese", "GERMANY"},
          new String[] {"DUMON", "Du monde entier", "USA"},
          new String[] {"EASTC", "Eastern Connection", "UK"},
          new String[] {"FOLKO", "Folk och fä HB", "USA"},
          new String[] {"GREAL", "Great Lakes Food Market", "USA"});

  /** product_id, name, category_id, category_name, list price. */
  static final List<Object[]> PRODUCTS =
      List.of(
          new Object[] {1, "Chai", 1, "Beverages", "18.0000"},
          new Object[] {2, "Chang", 1, "Beverages", "19.0000"},
          new Object[] {3, "Aniseed Syrup", 2, "Condiments", "10.0000"},
          new Object[] {4, "Tofu", 3, "Produce", "23.2500"});

  /** employee_id, first, last, title. Employee 3 has no orders. */
  static final List<Object[]> EMPLOYEES =
      List.of(
          new Object[] {1, "Nancy", "Davolio", "Sales Representative"},
          new Object[] {2, "Andrew", "Fuller", "Vice President, Sales"},
          new Object[] {3, "Janet", "Leverling", "Sales Representative"});

  static final List<Order> ORDERS =
      List.of(
          new Order(
              1,
              "ALFKI",
              1,
              "2024-01-05",
              "batch",
              List.of(new Line(1, "18", 10, "0"), new Line(3, "10", 5, "0.1"))),
          new Order(2, "ALFKI", 2, "2024-02-10", "batch", List.of(new Line(2, "19", 20, "0.25"))),
          new Order(3, "BONAP", 1, "2024-01-20", "batch", List.of(new Line(4, "23.25", 4, "0"))),
          new Order(
              4,
              "CHOPS",
              1,
              "2024-03-01",
              "batch",
              List.of(new Line(1, "18", 2, "0"), new Line(2, "19", 1, "0"))),
          new Order(5, "DUMON", 2, "2024-02-15", "stream", List.of(new Line(3, "10", 30, "0.05"))),
          new Order(
              6,
              "EASTC",
              2,
              "2024-03-10",
              "batch",
              List.of(new Line(4, "23.25", 20, "0"), new Line(3, "10", 5, "0.1"))),
          new Order(7, "GREAL", 1, "2024-01-15", "batch", List.of(new Line(2, "19", 10, "0"))),
          new Order(8, "GREAL", 1, "2024-02-20", "batch", List.of(new Line(1, "14.4", 10, "0"))),
          new Order(9, "GREAL", 2, "2024-03-15", "batch", List.of(new Line(3, "10", 28, "0.05"))));

  /** The order the re-run test adds: FOLKO's first order, 19 * 3 * (1 - 0.2) = 45.6. */
  static final Order LATE_ORDER =
      new Order(10, "FOLKO", 3, "2024-03-20", "batch", List.of(new Line(2, "19", 3, "0.2")));

  private static final Timestamp T0 = Timestamp.valueOf("2024-04-01 00:00:00");

  static final StructType FACT_ORDER_LINE =
      Schemas.of(
          "order_id INT, product_id INT, customer_id STRING, "
              + "employee_id INT, shipper_id INT, order_date DATE, required_date DATE, shipped_date DATE, ship_country STRING, "
              + "unit_price DECIMAL(12,4), quantity INT, discount DECIMAL(5,4), gross_amount DECIMAL(20,8), "
              + "discount_amount DECIMAL(20,8), net_amount DECIMAL(20,8), source STRING, event_id STRING, "
              + "updated_at TIMESTAMP, run_id STRING");

  static final StructType FACT_ORDER =
      Schemas.of(
          "order_id INT, customer_id STRING, employee_id INT, "
              + "shipper_id INT, order_date DATE, required_date DATE, shipped_date DATE, ship_country STRING, "
              + "freight DECIMAL(12,4), lines INT, gross_amount DECIMAL(20,8), discount_amount DECIMAL(20,8), "
              + "net_amount DECIMAL(20,8), days_to_ship INT, source STRING, updated_at TIMESTAMP, run_id STRING");

  static final StructType DIM_CUSTOMER =
      Schemas.of(
          "customer_sk BIGINT, customer_id STRING, company_name STRING, "
              + "contact_name STRING, contact_title STRING, address STRING, city STRING, region STRING, postal_code STRING, "
              + "country STRING, phone STRING, row_hash STRING, valid_from TIMESTAMP, valid_to TIMESTAMP, is_current BOOLEAN");

  static final StructType DIM_PRODUCT =
      Schemas.of(
          "product_id INT, product_name STRING, category_id INT, "
              + "category_name STRING, supplier_id INT, supplier_name STRING, supplier_country STRING, "
              + "quantity_per_unit STRING, unit_price DECIMAL(12,4), units_in_stock INT, units_on_order INT, "
              + "reorder_level INT, discontinued BOOLEAN, stock_status STRING");

  static final StructType DIM_EMPLOYEE =
      Schemas.of(
          "employee_id INT, first_name STRING, last_name STRING, "
              + "full_name STRING, title STRING, title_of_courtesy STRING, city STRING, country STRING, hire_date DATE, "
              + "manager_id INT, manager_name STRING");

  private static String country(String customerId) {
    return CUSTOMERS.stream().filter(c -> c[0].equals(customerId)).findFirst().orElseThrow()[2];
  }

  static Dataset<Row> factOrderLine(SparkSession spark, List<Order> orders) {
    List<Row> rows = new ArrayList<>();
    for (Order o : orders) {
      Date date = Date.valueOf(LocalDate.parse(o.orderDate()));
      for (Line l : o.lines()) {
        rows.add(
            RowFactory.create(
                o.orderId(),
                l.productId(),
                o.customerId(),
                o.employeeId(),
                1,
                date,
                Date.valueOf(date.toLocalDate().plusDays(28)),
                null,
                country(o.customerId()),
                new BigDecimal(l.unitPrice()),
                l.quantity(),
                new BigDecimal(l.discount()),
                l.gross(),
                l.discountAmount(),
                l.net(),
                o.source(),
                o.source().equals("stream") ? "evt-" + o.orderId() : null,
                T0,
                "silver-test"));
      }
    }
    return spark.createDataFrame(rows, FACT_ORDER_LINE);
  }

  static Dataset<Row> factOrder(SparkSession spark, List<Order> orders) {
    List<Row> rows = new ArrayList<>();
    for (Order o : orders) {
      Date date = Date.valueOf(LocalDate.parse(o.orderDate()));
      BigDecimal gross =
          o.lines().stream().map(Line::gross).reduce(BigDecimal.ZERO, BigDecimal::add);
      BigDecimal disc =
          o.lines().stream().map(Line::discountAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
      rows.add(
          RowFactory.create(
              o.orderId(),
              o.customerId(),
              o.employeeId(),
              1,
              date,
              Date.valueOf(date.toLocalDate().plusDays(28)),
              null,
              country(o.customerId()),
              new BigDecimal("12.5000"),
              o.lines().size(),
              gross,
              disc,
              o.net(),
              null,
              o.source(),
              T0,
              "silver-test"));
    }
    return spark.createDataFrame(rows, FACT_ORDER);
  }

  /**
   * Current rows of every customer, plus an expired SCD2 version of ALFKI in SPAIN that Gold must
   * ignore (it groups by the current country).
   */
  static Dataset<Row> dimCustomer(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    long sk = 1;
    rows.add(
        RowFactory.create(
            sk++,
            "ALFKI",
            "Alfreds Futterkiste",
            "Maria Anders",
            "Sales Representative",
            "Old street 1",
            "Madrid",
            null,
            "28001",
            "SPAIN",
            "030-0074321",
            "old-hash",
            Timestamp.valueOf("2023-01-01 00:00:00"),
            Timestamp.valueOf("2023-06-01 00:00:00"),
            false));
    for (String[] c : CUSTOMERS) {
      rows.add(
          RowFactory.create(
              sk++,
              c[0],
              c[1],
              "Contact " + c[0],
              "Owner",
              "Street 1",
              "City",
              null,
              "12345",
              c[2],
              "000",
              "hash-" + c[0],
              Timestamp.valueOf("2023-06-01 00:00:00"),
              null,
              true));
    }
    return spark.createDataFrame(rows, DIM_CUSTOMER);
  }

  static Dataset<Row> dimProduct(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (Object[] p : PRODUCTS) {
      rows.add(
          RowFactory.create(
              p[0],
              p[1],
              p[2],
              p[3],
              1,
              "Exotic Liquids",
              "UK",
              "10 boxes",
              new BigDecimal((String) p[4]),
              10,
              0,
              5,
              false,
              "IN_STOCK"));
    }
    return spark.createDataFrame(rows, DIM_PRODUCT);
  }

  static Dataset<Row> dimEmployee(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (Object[] e : EMPLOYEES) {
      rows.add(
          RowFactory.create(
              e[0],
              e[1],
              e[2],
              e[1] + " " + e[2],
              e[3],
              "Ms.",
              "Seattle",
              "USA",
              Date.valueOf("2020-01-01"),
              null,
              null));
    }
    return spark.createDataFrame(rows, DIM_EMPLOYEE);
  }

  /** Writes the five Silver tables Gold reads into the lake (one overwrite commit each). */
  static void writeSilver(SparkSession spark, Lake lake, List<Order> orders) {
    save(factOrderLine(spark, orders), lake, "fact_order_line", SaveMode.Overwrite);
    save(factOrder(spark, orders), lake, "fact_order", SaveMode.Overwrite);
    save(dimCustomer(spark), lake, "dim_customer", SaveMode.Overwrite);
    save(dimProduct(spark), lake, "dim_product", SaveMode.Overwrite);
    save(dimEmployee(spark), lake, "dim_employee", SaveMode.Overwrite);
  }

  /** Appends one order (its lines and its fact_order row) to Silver, as a Silver run would. */
  static void appendOrder(SparkSession spark, Lake lake, Order order) {
    save(factOrderLine(spark, List.of(order)), lake, "fact_order_line", SaveMode.Append);
    save(factOrder(spark, List.of(order)), lake, "fact_order", SaveMode.Append);
  }

  private static void save(Dataset<Row> ds, Lake lake, String table, SaveMode mode) {
    ds.write().format("delta").mode(mode).save(lake.location(TableId.silver(table)));
  }
}
