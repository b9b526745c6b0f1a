package dev.northwind.lakehouse.gold;

import dev.northwind.lakehouse.lake.Lake;
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
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
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
      return new BigDecimal(unitPrice).multiply(BigDecimal.valueOf(quantity)).setScale(8, RoundingMode.UNNECESSARY);
    }

    BigDecimal discountAmount() {
      return gross().multiply(new BigDecimal(discount)).setScale(8, RoundingMode.UNNECESSARY);
    }

    BigDecimal net() {
      return new BigDecimal(unitPrice).multiply(BigDecimal.valueOf(quantity))
          .multiply(BigDecimal.ONE.subtract(new BigDecimal(discount))).setScale(8, RoundingMode.UNNECESSARY);
    }
  }

  record Order(int orderId, String customerId, int employeeId, String orderDate, String source, List<Line> lines) {
    BigDecimal net() {
      return lines.stream().map(Line::net).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
  }

  /** customer_id, company, country (as Silver stores it, upper-cased). F has no orders. */
  static final List<String[]> CUSTOMERS = List.of(
      new String[] {"ALFKI", "Alfreds Futterkiste", "GERMANY"},
      new String[] {"BONAP", "Bon app'", "FRANCE"},
      new String[] {"CHOPS", "Chop-suey Chinese", "GERMANY"},
      new String[] {"DUMON", "Du monde entier", "USA"},
      new String[] {"EASTC", "Eastern Connection", "UK"},
      new String[] {"FOLKO", "Folk och fä HB", "USA"},
      new String[] {"GREAL", "Great Lakes Food Market", "USA"});

  /** product_id, name, category_id, category_name, list price. */
  static final List<Object[]> PRODUCTS = List.of(
      new Object[] {1, "Chai", 1, "Beverages", "18.0000"},
      new Object[] {2, "Chang", 1, "Beverages", "19.0000"},
      new Object[] {3, "Aniseed Syrup", 2, "Condiments", "10.0000"},
      new Object[] {4, "Tofu", 3, "Produce", "23.2500"});

  /** employee_id, first, last, title. Employee 3 has no orders. */
  static final List<Object[]> EMPLOYEES = List.of(
      new Object[] {1, "Nancy", "Davolio", "Sales Representative"},
      new Object[] {2, "Andrew", "Fuller", "Vice President, Sales"},
      new Object[] {3, "Janet", "Leverling", "Sales Representative"});

  static final List<Order> ORDERS = List.of(
      new Order(1, "ALFKI", 1, "2024-01-05", "batch", List.of(new Line(1, "18", 10, "0"), new Line(3, "10", 5, "0.1"))),
      new Order(2, "ALFKI", 2, "2024-02-10", "batch", List.of(new Line(2, "19", 20, "0.25"))),
      new Order(3, "BONAP", 1, "2024-01-20", "batch", List.of(new Line(4, "23.25", 4, "0"))),
      new Order(4, "CHOPS", 1, "2024-03-01", "batch", List.of(new Line(1, "18", 2, "0"), new Line(2, "19", 1, "0"))),
      new Order(5, "DUMON", 2, "2024-02-15", "stream", List.of(new Line(3, "10", 30, "0.05"))),
      new Order(6, "EASTC", 2, "2024-03-10", "batch", List.of(new Line(4, "23.25", 20, "0"), new Line(3, "10", 5, "0.1"))),
      new Order(7, "GREAL", 1, "2024-01-15", "batch", List.of(new Line(2, "19", 10, "0"))),
      new Order(8, "GREAL", 1, "2024-02-20", "batch", List.of(new Line(1, "14.4", 10, "0"))),
      new Order(9, "GREAL", 2, "2024-03-15", "batch", List.of(new Line(3, "10", 28, "0.05"))));

  /** The order the re-run test adds: FOLKO's first order, 19 * 3 * (1 - 0.2) = 45.6. */
  static final Order LATE_ORDER =
      new Order(10, "FOLKO", 3, "2024-03-20", "batch", List.of(new Line(2, "19", 3, "0.2")));

  private static final Timestamp T0 = Timestamp.valueOf("2024-04-01 00:00:00");

  static StructType schema(Object... nameTypePairs) {
    List<StructField> fields = new ArrayList<>();
    for (int i = 0; i < nameTypePairs.length; i += 2) {
      fields.add(DataTypes.createStructField((String) nameTypePairs[i], (DataType) nameTypePairs[i + 1], true));
    }
    return DataTypes.createStructType(fields);
  }

  private static final DataType S = DataTypes.StringType;
  private static final DataType I = DataTypes.IntegerType;
  private static final DataType D = DataTypes.DateType;
  private static final DataType TS = DataTypes.TimestampType;
  private static final DataType MONEY = DataTypes.createDecimalType(20, 8);

  static final StructType FACT_ORDER_LINE = schema(
      "order_id", I, "product_id", I, "customer_id", S, "employee_id", I, "shipper_id", I,
      "order_date", D, "required_date", D, "shipped_date", D, "ship_country", S,
      "unit_price", DataTypes.createDecimalType(12, 4), "quantity", I, "discount", DataTypes.createDecimalType(5, 4),
      "gross_amount", MONEY, "discount_amount", MONEY, "net_amount", MONEY,
      "source", S, "event_id", S, "updated_at", TS, "run_id", S);

  static final StructType FACT_ORDER = schema(
      "order_id", I, "customer_id", S, "employee_id", I, "shipper_id", I, "order_date", D,
      "required_date", D, "shipped_date", D, "ship_country", S, "freight", DataTypes.createDecimalType(12, 4),
      "lines", I, "gross_amount", MONEY, "discount_amount", MONEY, "net_amount", MONEY,
      "days_to_ship", I, "source", S, "updated_at", TS, "run_id", S);

  static final StructType DIM_CUSTOMER = schema(
      "customer_sk", DataTypes.LongType, "customer_id", S, "company_name", S, "contact_name", S, "contact_title", S,
      "address", S, "city", S, "region", S, "postal_code", S, "country", S, "phone", S, "row_hash", S,
      "valid_from", TS, "valid_to", TS, "is_current", DataTypes.BooleanType);

  static final StructType DIM_PRODUCT = schema(
      "product_id", I, "product_name", S, "category_id", I, "category_name", S, "supplier_id", I,
      "supplier_name", S, "supplier_country", S, "quantity_per_unit", S, "unit_price", DataTypes.createDecimalType(12, 4),
      "units_in_stock", I, "units_on_order", I, "reorder_level", I, "discontinued", DataTypes.BooleanType,
      "stock_status", S);

  static final StructType DIM_EMPLOYEE = schema(
      "employee_id", I, "first_name", S, "last_name", S, "full_name", S, "title", S, "title_of_courtesy", S,
      "city", S, "country", S, "hire_date", D, "manager_id", I, "manager_name", S);

  private static String country(String customerId) {
    return CUSTOMERS.stream().filter(c -> c[0].equals(customerId)).findFirst().orElseThrow()[2];
  }

  static Dataset<Row> factOrderLine(SparkSession spark, List<Order> orders) {
    List<Row> rows = new ArrayList<>();
    for (Order o : orders) {
      Date date = Date.valueOf(LocalDate.parse(o.orderDate()));
      for (Line l : o.lines()) {
        rows.add(RowFactory.create(o.orderId(), l.productId(), o.customerId(), o.employeeId(), 1, date,
            Date.valueOf(date.toLocalDate().plusDays(28)), null, country(o.customerId()),
            new BigDecimal(l.unitPrice()), l.quantity(), new BigDecimal(l.discount()),
            l.gross(), l.discountAmount(), l.net(), o.source(),
            o.source().equals("stream") ? "evt-" + o.orderId() : null, T0, "silver-test"));
      }
    }
    return spark.createDataFrame(rows, FACT_ORDER_LINE);
  }

  static Dataset<Row> factOrder(SparkSession spark, List<Order> orders) {
    List<Row> rows = new ArrayList<>();
    for (Order o : orders) {
      Date date = Date.valueOf(LocalDate.parse(o.orderDate()));
      BigDecimal gross = o.lines().stream().map(Line::gross).reduce(BigDecimal.ZERO, BigDecimal::add);
      BigDecimal disc = o.lines().stream().map(Line::discountAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
      rows.add(RowFactory.create(o.orderId(), o.customerId(), o.employeeId(), 1, date,
          Date.valueOf(date.toLocalDate().plusDays(28)), null, country(o.customerId()), new BigDecimal("12.5000"),
          o.lines().size(), gross, disc, o.net(), null, o.source(), T0, "silver-test"));
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
    rows.add(RowFactory.create(sk++, "ALFKI", "Alfreds Futterkiste", "Maria Anders", "Sales Representative",
        "Old street 1", "Madrid", null, "28001", "SPAIN", "030-0074321", "old-hash",
        Timestamp.valueOf("2023-01-01 00:00:00"), Timestamp.valueOf("2023-06-01 00:00:00"), false));
    for (String[] c : CUSTOMERS) {
      rows.add(RowFactory.create(sk++, c[0], c[1], "Contact " + c[0], "Owner", "Street 1", "City", null, "12345",
          c[2], "000", "hash-" + c[0], Timestamp.valueOf("2023-06-01 00:00:00"), null, true));
    }
    return spark.createDataFrame(rows, DIM_CUSTOMER);
  }

  static Dataset<Row> dimProduct(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (Object[] p : PRODUCTS) {
      rows.add(RowFactory.create(p[0], p[1], p[2], p[3], 1, "Exotic Liquids", "UK", "10 boxes",
          new BigDecimal((String) p[4]), 10, 0, 5, false, "IN_STOCK"));
    }
    return spark.createDataFrame(rows, DIM_PRODUCT);
  }

  static Dataset<Row> dimEmployee(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (Object[] e : EMPLOYEES) {
      rows.add(RowFactory.create(e[0], e[1], e[2], e[1] + " " + e[2], e[3], "Ms.", "Seattle", "USA",
          Date.valueOf("2020-01-01"), null, null));
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
