package dev.northwind.lakehouse.silver;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Small hand-made Bronze tables (not the golden lake) written into a lake with the Bronze schemas
 * and lineage columns: keys SMALLINT (the Northwind dump) or INT (the generator), money as {@code
 * real}.
 */
final class SampleBronze {

  private final SparkSession spark;
  private final Lake lake;
  private final DataType keyType;
  private int ingestion;

  SampleBronze(SparkSession spark, Lake lake, DataType keyType) {
    this.spark = spark;
    this.lake = lake;
    this.keyType = keyType;
  }

  // ------------------------------------------------------------------ schemas (source columns)

  StructType customers() {
    return schema(
        "customer_id:s company_name:s contact_name:s contact_title:s address:s city:s region:s "
            + "postal_code:s country:s phone:s fax:s");
  }

  StructType categories() {
    return schema("category_id:k category_name:s description:s picture:b");
  }

  StructType suppliers() {
    return schema("supplier_id:k company_name:s contact_name:s country:s");
  }

  StructType products() {
    return schema(
        "product_id:k product_name:s supplier_id:k category_id:k quantity_per_unit:s unit_price:f "
            + "units_in_stock:k units_on_order:k reorder_level:k discontinued:i");
  }

  StructType employees() {
    return schema(
        "employee_id:k last_name:s first_name:s title:s title_of_courtesy:s birth_date:d hire_date:d "
            + "city:s country:s reports_to:k photo:b");
  }

  StructType orders() {
    return schema(
        "order_id:k customer_id:s employee_id:k order_date:d required_date:d shipped_date:d ship_via:k "
            + "freight:f ship_name:s ship_city:s ship_country:s");
  }

  StructType orderDetails() {
    return schema("order_id:k product_id:k unit_price:f quantity:k discount:f");
  }

  // ------------------------------------------------------------------ golden rows

  /** Five good customers (variant spellings to normalise) and one with a NULL id. */
  List<Object[]> customerRows() {
    return new ArrayList<>(
        List.of(
            row(
                "ALFKI",
                "Alfreds Futterkiste",
                "maria anders",
                "Sales Representative",
                "Obere Str. 57",
                "Berlin",
                null,
                "12209",
                "Germany",
                "030-0074321",
                null),
            row(
                "ANATR",
                "Ana Trujillo Emparedados",
                " ana  trujillo ",
                "Owner",
                "Avda. 2222",
                "Mexico D.F.",
                null,
                "05021",
                "Mexico",
                "(5) 555-4729",
                null),
            row(
                "GREAL",
                "Great Lakes Food Market",
                "Howard Snyder",
                "Marketing Manager",
                "2732 Baker Blvd.",
                "Eugene",
                "OR",
                "97403",
                "United States",
                "(503) 555-7555",
                null),
            row(
                "AROUT",
                "Around the Horn",
                "Thomas Hardy",
                "Sales Representative",
                "120 Hanover Sq.",
                "London",
                null,
                "WA1 1DP",
                "United Kingdom",
                "(171) 555-7788",
                null),
            row(
                "BONAP",
                "Bon app'",
                "Laurence Lebihan",
                "Owner",
                "12, rue des Bouchers",
                "Marseille",
                null,
                "13008",
                "France",
                "91.24.45.40",
                null),
            row(
                null,
                "No Id Ltd",
                "Nobody",
                "Owner",
                "Nowhere 1",
                "Paris",
                null,
                "75000",
                "France",
                null,
                null)));
  }

  List<Object[]> categoryRows() {
    return List.of(
        row(1, "Beverages", "Soft drinks", new byte[] {1, 2}),
        row(2, "Dairy Products", "Cheeses", null));
  }

  List<Object[]> supplierRows() {
    return List.of(
        row(1, "Exotic Liquids", "Charlotte Cooper", "UK"),
        row(5, "Cooperativa de Quesos", "Antonio del Valle", "Spain"));
  }

  /** One product per stock status, Queso Cabrales (11), and one with a NULL id. */
  List<Object[]> productRows() {
    return List.of(
        row(1, "Chai", 1, 1, "10 boxes x 20 bags", 18.0f, 39, 0, 10, 0),
        row(2, "Chang", 1, 1, "24 - 12 oz bottles", 19.0f, 5, 0, 10, 0),
        row(3, "Aniseed Syrup", 1, 1, "12 - 550 ml bottles", 10.0f, 0, 70, 25, 0),
        row(4, "Chef Anton's Gumbo Mix", 1, 2, "36 boxes", 21.35f, 20, 0, 0, 1),
        row(11, "Queso Cabrales", 5, 2, "1 kg pkg.", 21.0f, 22, 30, 30, 0),
        row(null, "Ghost product", 1, 1, "none", 1.0f, 1, 1, 1, 0));
  }

  List<Object[]> employeeRows() {
    return List.of(
        row(
            1,
            "Davolio",
            "Nancy",
            "Sales Representative",
            "Ms.",
            date("1968-12-08"),
            date("1992-05-01"),
            "Seattle",
            "USA",
            2,
            new byte[] {1}),
        row(
            2,
            "Fuller",
            "Andrew",
            "Vice President, Sales",
            "Dr.",
            date("1952-02-19"),
            date("1992-08-14"),
            "Tacoma",
            "USA",
            null,
            null),
        row(
            3,
            "  leverling ",
            "janet",
            "Sales Representative",
            "Ms.",
            date("1963-08-30"),
            date("1992-04-01"),
            "Kirkland",
            "US",
            2,
            null),
        row(null, "Nobody", "No", "None", null, null, null, null, null, null, null));
  }

  /**
   * Good orders 10248–10250 and 10253 (shipped before ordered: a warning), bad 10251 and 10252;
   * 10254–10256 are good themselves but have bad lines, so the order-unit rule quarantines them.
   */
  List<Object[]> orderRows() {
    return new ArrayList<>(
        List.of(
            row(
                10248,
                "ALFKI",
                1,
                date("1996-07-04"),
                date("1996-08-01"),
                date("1996-07-16"),
                3,
                32.38f,
                "Alfreds",
                "Berlin",
                "Germany"),
            row(
                10249,
                "ANATR",
                2,
                date("1996-07-05"),
                date("1996-08-16"),
                date("1996-07-10"),
                1,
                11.61f,
                "Ana",
                "México D.F.",
                "Mexico"),
            row(
                10250,
                "GREAL",
                3,
                date("1996-07-08"),
                date("1996-08-05"),
                null,
                2,
                65.83f,
                "Great Lakes",
                "Eugene",
                "US"),
            row(
                10251,
                "ALFKI",
                1,
                null,
                date("1996-08-05"),
                null,
                1,
                41.34f,
                "Alfreds",
                "Berlin",
                "Germany"),
            row(
                10252,
                "NOPE",
                2,
                date("1996-07-09"),
                date("1996-08-06"),
                date("1996-07-11"),
                2,
                51.30f,
                "Nope",
                "Nowhere",
                "France"),
            row(
                10253,
                "AROUT",
                3,
                date("1996-07-10"),
                date("1996-07-24"),
                date("1996-07-09"),
                2,
                58.17f,
                "Around",
                "London",
                "United Kingdom"),
            row(
                10254,
                "ANATR",
                1,
                date("1996-07-10"),
                date("1996-08-07"),
                null,
                2,
                22.98f,
                "Ana",
                "México",
                "Mexico"),
            row(
                10255,
                "GREAL",
                2,
                date("1996-07-10"),
                date("1996-08-07"),
                null,
                3,
                148.33f,
                "Great",
                "Eugene",
                "USA"),
            row(
                10256,
                "AROUT",
                3,
                date("1996-07-10"),
                date("1996-08-07"),
                null,
                2,
                13.97f,
                "Around",
                "London",
                "UK")));
  }

  /**
   * The five lines of the good orders, the good lines of orders with a bad line (quarantined with
   * their order), then one bad line per line expectation.
   */
  List<Object[]> orderDetailRows() {
    return new ArrayList<>(
        List.of(
            row(10248, 11, 14.4f, 12, 0.15f),
            row(10248, 1, 18.0f, 10, 0.0f),
            row(10249, 2, 19.0f, 5, 0.05f),
            row(10250, 1, 14.4f, 7, 0.25f),
            row(10253, 4, 21.35f, 3, 0.0f),
            row(10254, 1, 18.0f, 2, 0.0f), // 10254: one bad line out of three
            row(10254, 2, 19.0f, 1, 0.1f),
            row(10256, 1, 14.4f, 7, 0.25f), // 10256: one good line, two failing different rules
            row(10254, 3, 10.0f, 0, 0.0f), // quantity_positive
            row(10256, 3, -1.0f, 2, 0.0f), // unit_price_non_negative
            row(10256, 2, 19.0f, 1, 1.5f), // discount_in_range
            row(10999, 1, 18.0f, 1, 0.0f), // line_order_exists (no such order)
            row(10255, 99, 10.0f, 1, 0.0f), // line_product_exists (10255's only line)
            row(
                10252, 1, 18.0f, 1,
                0.0f), // line_customer_exists (order 10252's customer is unknown)
            row(null, 1, 18.0f, 1, 0.0f))); // line_key_not_null
  }

  // ------------------------------------------------------------------ writing

  /** Writes every table: full tables overwritten, orders and order_details appended. */
  void writeAll() {
    ingestion++;
    full("customers", customers(), customerRows());
    full("categories", categories(), categoryRows());
    full("suppliers", suppliers(), supplierRows());
    full("products", products(), productRows());
    full("employees", employees(), employeeRows());
    incremental("orders", orders(), orderRows());
    incremental("order_details", orderDetails(), orderDetailRows());
  }

  /** Overwrites a full Bronze table with these rows (one new ingestion). */
  void full(String table, StructType schema, List<Object[]> rows) {
    write(table, schema, rows, "overwrite");
  }

  /** Appends rows to an incremental Bronze table as a later ingestion. */
  void incremental(String table, StructType schema, List<Object[]> rows) {
    write(table, schema, rows, "append");
  }

  private void write(String table, StructType schema, List<Object[]> rows, String mode) {
    ingestion++;
    // Distinct, increasing ingestion times: "latest per key" depends on them.
    Timestamp ingestedAt =
        Timestamp.from(
            java.time.Instant.parse("2024-01-01T00:00:00Z").plusSeconds(ingestion * 60L));
    StructType full =
        schema
            .add("_ingested_at", DataTypes.TimestampType)
            .add("_source_system", DataTypes.StringType)
            .add("_source_table", DataTypes.StringType)
            .add("_ingestion_date", DataTypes.DateType)
            .add("_run_id", DataTypes.StringType);
    List<Row> out = new ArrayList<>();
    for (Object[] r : rows) {
      Object[] v = Arrays.copyOf(r, r.length + 5);
      for (int i = 0; i < r.length; i++) {
        v[i] = convert(r[i], schema.fields()[i].dataType());
      }
      v[r.length] = ingestedAt;
      v[r.length + 1] = "postgresql:test/northwind";
      v[r.length + 2] = table;
      v[r.length + 3] = Date.valueOf("2024-01-01");
      v[r.length + 4] = "bronze-test-" + ingestion;
      out.add(RowFactory.create(v));
    }
    spark
        .createDataFrame(out, full)
        .write()
        .format("delta")
        .mode(mode)
        .partitionBy("_ingestion_date")
        .save(lake.location(TableId.bronze(table)));
  }

  private Object convert(Object v, DataType t) {
    if (v == null) {
      return null;
    }
    if (t.equals(DataTypes.ShortType)) {
      return ((Number) v).shortValue();
    }
    if (t.equals(DataTypes.IntegerType)) {
      return ((Number) v).intValue();
    }
    return v;
  }

  private StructType schema(String spec) {
    StructType s = new StructType();
    for (String f : spec.trim().split("\\s+")) {
      String[] p = f.split(":");
      DataType t =
          switch (p[1]) {
            case "s" -> DataTypes.StringType;
            case "k" -> keyType;
            case "i" -> DataTypes.IntegerType;
            case "f" -> DataTypes.FloatType;
            case "d" -> DataTypes.DateType;
            case "b" -> DataTypes.BinaryType;
            default -> throw new IllegalArgumentException(f);
          };
      s = s.add(new StructField(p[0], t, true, org.apache.spark.sql.types.Metadata.empty()));
    }
    return s;
  }

  static Object[] row(Object... values) {
    return values;
  }

  static Date date(String iso) {
    return Date.valueOf(iso);
  }
}
