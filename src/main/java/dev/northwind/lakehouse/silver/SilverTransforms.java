package dev.northwind.lakehouse.silver;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.initcap;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.quarter;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.weekofyear;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The Silver transformations: pure functions of Datasets (no reads, no writes), so tests call them
 * directly. Inputs use the Bronze column names; keys may be SMALLINT (the Northwind dump) or INT
 * (the generator) and are cast to INT; {@code real} money becomes DECIMAL through its shortest
 * decimal text ({@code CAST(CAST(x AS STRING) AS DECIMAL)}), which equals PostgreSQL's {@code
 * x::numeric}.
 */
public final class SilverTransforms {

  /** Money types of Silver. */
  static final DataType PRICE = DataTypes.createDecimalType(12, 4);

  static final DataType RATE = DataTypes.createDecimalType(5, 4);
  static final DataType AMOUNT = DataTypes.createDecimalType(20, 8);

  /** Known spellings of countries (upper-cased, single-spaced) and the one Silver keeps. */
  static final Map<String, String> COUNTRY_VARIANTS =
      variants(
          "UNITED STATES",
          "USA",
          "UNITED STATES OF AMERICA",
          "USA",
          "US",
          "USA",
          "U.S.",
          "USA",
          "U.S.A.",
          "USA",
          "UNITED KINGDOM",
          "UK",
          "GREAT BRITAIN",
          "UK",
          "GB",
          "UK",
          "U.K.",
          "UK",
          "ENGLAND",
          "UK",
          "DEUTSCHLAND",
          "GERMANY",
          "BRASIL",
          "BRAZIL",
          "MÉXICO",
          "MEXICO",
          "ESPAÑA",
          "SPAIN",
          "ÖSTERREICH",
          "AUSTRIA",
          "SCHWEIZ",
          "SWITZERLAND",
          "SUISSE",
          "SWITZERLAND");

  /** Known spellings of cities (lower-cased, single-spaced) and the one Silver keeps. */
  static final Map<String, String> CITY_VARIANTS =
      variants(
          "mexico d.f.",
          "México D.F.",
          "méxico df",
          "México D.F.",
          "mexico city",
          "México D.F.",
          "sao paulo",
          "São Paulo",
          "munchen",
          "München",
          "muenchen",
          "München",
          "munich",
          "München",
          "koln",
          "Köln",
          "cologne",
          "Köln",
          "geneva",
          "Genève",
          "geneve",
          "Genève");

  /**
   * A {@code dim_customer} version's body: customer_id, the {@link #CUSTOMER_TRACKED} attributes
   * and row_hash, then {@code validity} (valid_from, valid_to, is_current), for batch and CDC
   * alike.
   */
  static Column[] customerVersion(Column... validity) {
    List<Column> out = new ArrayList<>();
    out.add(col("customer_id"));
    CUSTOMER_TRACKED.forEach(c -> out.add(col(c)));
    out.add(col("row_hash"));
    out.addAll(java.util.Arrays.asList(validity));
    return out.toArray(new Column[0]);
  }

  /** Customer attributes whose change opens a new SCD2 version (hashed into row_hash). */
  static final List<String> CUSTOMER_TRACKED =
      List.of(
          "company_name",
          "contact_name",
          "contact_title",
          "address",
          "city",
          "region",
          "postal_code",
          "country",
          "phone");

  /** The order attributes both facts carry, in their column order. */
  private static final List<String> ORDER_ATTRIBUTES =
      List.of(
          "customer_id",
          "employee_id",
          "shipper_id",
          "order_date",
          "required_date",
          "shipped_date",
          "ship_country");

  /** The amounts both facts carry (a line's, an order's sums), exact DECIMAL(20,8). */
  private static final List<String> AMOUNTS =
      List.of("gross_amount", "discount_amount", "net_amount");

  static final List<String> FACT_ORDER_LINE_COLUMNS =
      concat(
          List.of("order_id", "product_id"),
          ORDER_ATTRIBUTES,
          List.of("unit_price", "quantity", "discount"),
          AMOUNTS,
          List.of("source", "event_id", "updated_at", "run_id"));

  static final List<String> FACT_ORDER_COLUMNS =
      concat(
          List.of("order_id"),
          ORDER_ATTRIBUTES,
          List.of("freight", "lines"),
          AMOUNTS,
          List.of("days_to_ship", "source", "updated_at", "run_id"));

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    return java.util.stream.Stream.of(parts).flatMap(List::stream).toList();
  }

  private SilverTransforms() {}

  // ---------------------------------------------------------------- shared column rules

  /** Trimmed text with inner runs of white space collapsed; empty becomes NULL. */
  public static Column text(Column c) {
    Column t = trim(regexp_replace(c.cast(DataTypes.StringType), "\\s+", " "));
    return when(t.equalTo(""), lit(null).cast(DataTypes.StringType)).otherwise(t);
  }

  /** A person's name: trimmed, each word capitalised ({@code initcap}). */
  public static Column personName(Column c) {
    return initcap(text(c));
  }

  /** A country in its one Silver spelling, upper-cased (e.g. 'United States' → 'USA'). */
  public static Column country(Column c) {
    Column u = upper(text(c));
    return coalesce(try_element_at(COUNTRY_LOOKUP, u), u);
  }

  /** A city in its one Silver spelling (known variants mapped; otherwise trimmed as given). */
  public static Column city(Column c) {
    Column t = text(c);
    return coalesce(try_element_at(CITY_LOOKUP, lower(t)), t);
  }

  /*
   * The variants as one map literal each, looked up once per row. A CASE WHEN per variant (28 for
   * countries) made the generated code of the orders' and customers' projections one method too
   * large for the JIT to compile (HotSpot skips methods over 8,000 bytes of bytecode): a JFR
   * profile of Silver at scale 100 found 15% of its executor samples in that method, interpreted.
   */
  private static final Column COUNTRY_LOOKUP = lookup(COUNTRY_VARIANTS);
  private static final Column CITY_LOOKUP = lookup(CITY_VARIANTS);

  private static Column lookup(Map<String, String> variants) {
    List<Column> kv = new ArrayList<>();
    // In key order: Map.copyOf's order changes from one JVM to the next, and the literal (so the
    // plan and its generated code) should not.
    new TreeMap<>(variants)
        .forEach(
            (k, v) -> {
              kv.add(lit(k));
              kv.add(lit(v));
            });
    return map(kv.toArray(Column[]::new));
  }

  /**
   * Column {@code column} as {@link #text(Column)}, under its own name (key() leaves naming to
   * callers).
   */
  private static Column text(String column) {
    return text(col(column)).as(column);
  }

  /** Column {@code column} as {@link #personName(Column)}, under its own name. */
  private static Column personName(String column) {
    return personName(col(column)).as(column);
  }

  /** Column {@code column} as {@link #country(Column)}, under its own name. */
  private static Column country(String column) {
    return country(col(column)).as(column);
  }

  /** Column {@code column} as {@link #city(Column)}, under its own name. */
  private static Column city(String column) {
    return city(col(column)).as(column);
  }

  /** Money from {@code real} or DECIMAL, exactly as its shortest decimal text. */
  public static Column money(Column c, DataType type) {
    return c.cast(DataTypes.StringType).cast(type);
  }

  /** An integer key, from SMALLINT or INT. */
  public static Column key(String column) {
    return col(column).cast(DataTypes.IntegerType);
  }

  /**
   * Stock status of a product, in this order of precedence:
   *
   * <ol>
   *   <li>{@code DISCONTINUED} if the product is discontinued;
   *   <li>{@code OUT_OF_STOCK} if units_in_stock = 0 (NULL counts as 0);
   *   <li>{@code LOW_STOCK} if units_in_stock + units_on_order &lt;= reorder_level (NULLs count as
   *       0);
   *   <li>{@code IN_STOCK} otherwise.
   * </ol>
   */
  public static Column stockStatus(
      Column discontinued, Column unitsInStock, Column unitsOnOrder, Column reorderLevel) {
    Column stock = coalesce(unitsInStock, lit(0));
    return when(discontinued, lit("DISCONTINUED"))
        .when(stock.equalTo(0), lit("OUT_OF_STOCK"))
        .when(
            stock.plus(coalesce(unitsOnOrder, lit(0))).leq(coalesce(reorderLevel, lit(0))),
            lit("LOW_STOCK"))
        .otherwise(lit("IN_STOCK"));
  }

  // ---------------------------------------------------------------- Bronze preparation

  /**
   * The latest row per key of an incremental Bronze table (by {@code _ingested_at}). Rows that tie
   * on the latest ingestion are all kept, so a duplicate key within one ingestion reaches the
   * uniqueness expectation instead of being hidden.
   *
   * <p>The rows are hash-partitioned by the first key alone, which is enough for the window over
   * all keys: the order lines, keyed by (order, product), then stay partitioned by order for the
   * order lookups and the order window of their checks instead of being shuffled a second time.
   */
  public static Dataset<Row> latestPerKey(Dataset<Row> bronze, String... keys) {
    Column[] parts = Arrays.stream(keys).map(k -> col(k)).toArray(Column[]::new);
    return bronze
        .repartition(parts[0])
        .withColumn(
            "__rank",
            rank().over(Window.partitionBy(parts).orderBy(col("_ingested_at").desc_nulls_last())))
        .where(col("__rank").equalTo(1))
        .drop("__rank");
  }

  /** The table without binary columns (pictures), which Silver never keeps or quarantines. */
  public static Dataset<Row> withoutBinary(Dataset<Row> bronze) {
    String[] binary =
        Arrays.stream(bronze.schema().fields())
            .filter(f -> f.dataType() instanceof BinaryType)
            .map(StructField::name)
            .toArray(String[]::new);
    return bronze.drop(binary);
  }

  /** Distinct trimmed customer ids (column {@code customer_id}) of customer rows. */
  public static Dataset<Row> customerIds(Dataset<Row> customers) {
    return customers.select(text("customer_id")).where(col("customer_id").isNotNull()).distinct();
  }

  /** Distinct INT product ids (column {@code product_id}) of product rows. */
  public static Dataset<Row> productIds(Dataset<Row> products) {
    return products
        .select(key("product_id").as("product_id"))
        .where(col("product_id").isNotNull())
        .distinct();
  }

  /**
   * Order candidates for the {@code fact_order} expectations: the orders plus {@code
   * __customer_found} (the order's customer is among {@code customerIds}).
   */
  public static Dataset<Row> orderCandidates(Dataset<Row> orders, Dataset<Row> customerIds) {
    Dataset<Row> ids =
        customerIds.select(col("customer_id").as("__cid"), lit(true).as("__customer_found"));
    Dataset<Row> joined =
        orders.join(ids, text(orders.col("customer_id")).equalTo(ids.col("__cid")), "left");
    return joined
        .drop("__cid")
        .withColumn("__customer_found", coalesce(col("__customer_found"), lit(false)));
  }

  /**
   * Line candidates for the {@code fact_order_line} expectations: the lines plus {@code
   * __order_found} (the order passed its own expectations: it is in {@code goodOrders}), {@code
   * __customer_found} (the customer of the line's order, looked up in {@code orders}, exists) and
   * {@code __product_found}.
   *
   * @param lines order_details rows
   * @param orders all order rows being processed (latest per key), good or not
   * @param goodOrders the orders that passed the {@code fact_order} expectations
   * @param customerIds see {@link #customerIds}
   * @param productIds see {@link #productIds}
   */
  public static Dataset<Row> lineCandidates(
      Dataset<Row> lines,
      Dataset<Row> orders,
      Dataset<Row> goodOrders,
      Dataset<Row> customerIds,
      Dataset<Row> productIds) {
    Dataset<Row> good =
        goodOrders
            .select(key("order_id").as("__oid"))
            .distinct()
            .withColumn("__order_found", lit(true));
    Dataset<Row> cids =
        customerIds.select(col("customer_id").as("__cid"), lit(true).as("__cfound"));
    Dataset<Row> orderCustomer =
        orders
            .select(key("order_id").as("__ocid"), text(col("customer_id")).as("__ocust"))
            .join(cids, col("__ocust").equalTo(col("__cid")), "left")
            .groupBy("__ocid")
            .agg(max(coalesce(col("__cfound"), lit(false))).as("__customer_found"));
    Dataset<Row> pids =
        productIds.select(col("product_id").as("__pid"), lit(true).as("__product_found"));
    Dataset<Row> out =
        lines
            .join(good, key("order_id").equalTo(col("__oid")), "left")
            .join(
                orderCustomer,
                lines.col("order_id").cast(DataTypes.IntegerType).equalTo(col("__ocid")),
                "left")
            .join(
                pids,
                lines.col("product_id").cast(DataTypes.IntegerType).equalTo(col("__pid")),
                "left")
            .drop("__oid", "__ocid", "__pid");
    return out.withColumn("__order_found", coalesce(col("__order_found"), lit(false)))
        .withColumn("__customer_found", coalesce(col("__customer_found"), lit(false)))
        .withColumn("__product_found", coalesce(col("__product_found"), lit(false)));
  }

  /**
   * The ids (column {@code order_id}, INT) of candidate orders that do not reach Silver: they
   * failed their own expectations or the order-unit rule. A version of them that Silver already
   * holds is withdrawn: an order is judged on its latest version, whole.
   *
   * @param candidates every candidate order checked (kept or not)
   * @param goodOrders the orders that passed, order-unit rule included
   */
  public static Dataset<Row> withdrawnOrderIds(Dataset<Row> candidates, Dataset<Row> goodOrders) {
    Dataset<Row> good = goodOrders.select(key("order_id").as("__gid"));
    return candidates
        .select(key("order_id").as("order_id"))
        .where(col("order_id").isNotNull())
        .join(good, col("order_id").equalTo(col("__gid")), "left_anti");
  }

  // ---------------------------------------------------------------- dimensions

  /**
   * Cleaned customer attributes (no SCD2 columns yet): customer_id, the {@link #CUSTOMER_TRACKED}
   * attributes and row_hash (SHA-256 of the tracked attributes).
   */
  public static Dataset<Row> customerRows(Dataset<Row> customers) {
    return withCustomerHash(customers.select(customerColumns()));
  }

  /** The cleaned customer columns of {@link #customerRows}, without row_hash. */
  static Column[] customerColumns() {
    return new Column[] {
      text("customer_id"),
      text("company_name"),
      personName("contact_name"),
      text("contact_title"),
      text("address"),
      city("city"),
      text("region"),
      text("postal_code"),
      country("country"),
      text("phone")
    };
  }

  /** Adds row_hash: SHA-256 of the {@link #CUSTOMER_TRACKED} attributes of cleaned rows. */
  static Dataset<Row> withCustomerHash(Dataset<Row> clean) {
    Column tracked = struct(CUSTOMER_TRACKED.stream().map(c -> col(c)).toArray(Column[]::new));
    return clean.withColumn("row_hash", sha2(to_json(tracked), 256));
  }

  /**
   * {@code dim_product}: products with category, supplier and {@link #stockStatus stock status}.
   */
  public static Dataset<Row> dimProduct(
      Dataset<Row> products, Dataset<Row> categories, Dataset<Row> suppliers) {
    Dataset<Row> cat = categories.select(key("category_id").as("__cat"), text("category_name"));
    Dataset<Row> sup =
        suppliers.select(
            key("supplier_id").as("__sup"),
            text(col("company_name")).as("supplier_name"),
            country(col("country")).as("supplier_country"));
    Dataset<Row> p =
        products.select(
            key("product_id").as("product_id"),
            text("product_name"),
            key("category_id").as("category_id"),
            key("supplier_id").as("supplier_id"),
            text("quantity_per_unit"),
            money(col("unit_price"), PRICE).as("unit_price"),
            key("units_in_stock").as("units_in_stock"),
            key("units_on_order").as("units_on_order"),
            key("reorder_level").as("reorder_level"),
            coalesce(col("discontinued").cast(DataTypes.IntegerType).notEqual(0), lit(false))
                .as("discontinued"));
    return p.join(cat, p.col("category_id").equalTo(cat.col("__cat")), "left")
        .join(sup, p.col("supplier_id").equalTo(sup.col("__sup")), "left")
        .select(
            "product_id",
            "product_name",
            "category_id",
            "category_name",
            "supplier_id",
            "supplier_name",
            "supplier_country",
            "quantity_per_unit",
            "unit_price",
            "units_in_stock",
            "units_on_order",
            "reorder_level",
            "discontinued")
        .withColumn(
            "stock_status",
            stockStatus(
                col("discontinued"),
                col("units_in_stock"),
                col("units_on_order"),
                col("reorder_level")));
  }

  /** {@code dim_employee}: employees with full name and their manager's name. */
  public static Dataset<Row> dimEmployee(Dataset<Row> employees) {
    Dataset<Row> e =
        employees
            .select(
                key("employee_id").as("employee_id"),
                personName("first_name"),
                personName("last_name"),
                text("title"),
                text("title_of_courtesy"),
                city("city"),
                country("country"),
                col("hire_date").cast(DataTypes.DateType).as("hire_date"),
                key("reports_to").as("manager_id"))
            .withColumn("full_name", concat_ws(" ", col("first_name"), col("last_name")));
    Dataset<Row> m = e.select(col("employee_id").as("__mid"), col("full_name").as("manager_name"));
    return e.join(m, e.col("manager_id").equalTo(m.col("__mid")), "left")
        .select(
            "employee_id",
            "first_name",
            "last_name",
            "full_name",
            "title",
            "title_of_courtesy",
            "city",
            "country",
            "hire_date",
            "manager_id",
            "manager_name");
  }

  /**
   * {@code dim_date}: one row per day from the earliest to the latest {@code order_date} of the
   * given rows (empty when there are none). day_of_week: 1 = Monday … 7 = Sunday; iso_week is the
   * ISO-8601 week.
   */
  public static Dataset<Row> dimDate(Dataset<Row> withOrderDates) {
    Dataset<Row> days =
        withOrderDates
            .agg(
                min(col("order_date").cast(DataTypes.DateType)).as("lo"),
                max(col("order_date").cast(DataTypes.DateType)).as("hi"))
            .where(col("lo").isNotNull())
            .select(explode(sequence(col("lo"), col("hi"), expr("INTERVAL 1 DAY"))).as("date"));
    Column dow = dayofweek(col("date")).plus(5).mod(7).plus(1);
    return days.select(
        date_format(col("date"), "yyyyMMdd").cast(DataTypes.IntegerType).as("date_key"),
        col("date"),
        year(col("date")).as("year"),
        quarter(col("date")).as("quarter"),
        month(col("date")).as("month"),
        date_format(col("date"), "MMMM").as("month_name"),
        weekofyear(col("date")).as("iso_week"),
        dayofmonth(col("date")).as("day_of_month"),
        dow.as("day_of_week"),
        date_format(col("date"), "EEEE").as("weekday_name"),
        dow.geq(6).as("is_weekend"));
  }

  // ---------------------------------------------------------------- facts

  /**
   * {@code fact_order_line} rows from lines and orders that passed their expectations. Amounts are
   * exact DECIMAL(20,8), never rounded: gross = unit_price × quantity, discount_amount = gross ×
   * discount, net = unit_price × quantity × (1 − discount).
   *
   * @param lines good order_details rows (Bronze names; with {@code event_id} for the stream)
   * @param orders good orders rows
   * @param source batch or stream (stream keeps the lines' event_id)
   */
  public static Dataset<Row> factOrderLines(
      Dataset<Row> lines, Dataset<Row> orders, Source source, String runId, Timestamp at) {
    Dataset<Row> o = orders.select(orderColumns(key("order_id").as("__oid")));
    Column eventId =
        source == Source.STREAM && Arrays.asList(lines.columns()).contains("event_id")
            ? col("event_id").cast(DataTypes.StringType)
            : lit(null).cast(DataTypes.StringType);
    Dataset<Row> l = lineAmounts(lines, eventId.as("event_id"));
    List<Column> out = new ArrayList<>(List.of(col("order_id"), col("product_id")));
    ORDER_ATTRIBUTES.forEach(c -> out.add(col(c)));
    out.addAll(
        List.of(
            col("unit_price"),
            col("quantity"),
            col("discount"),
            col("gross_amount"),
            col("discount_amount"),
            col("net_amount"),
            lit(source.id()).as("source"),
            col("event_id"),
            lit(at).as("updated_at"),
            lit(runId).as("run_id")));
    return l.join(o, l.col("order_id").equalTo(o.col("__oid")), "inner")
        .select(out.toArray(Column[]::new));
  }

  /**
   * A line's conformed key, price, quantity and discount, its exact amounts ({@link
   * #factOrderLines}), then {@code more}: the one definition of a line's amounts, which {@link
   * #factOrders} sums.
   */
  private static Dataset<Row> lineAmounts(Dataset<Row> lines, Column... more) {
    List<Column> in =
        new ArrayList<>(
            List.of(
                key("order_id").as("order_id"),
                key("product_id").as("product_id"),
                money(col("unit_price"), PRICE).as("unit_price"),
                key("quantity").as("quantity"),
                money(col("discount"), RATE).as("discount")));
    in.addAll(List.of(more));
    Column gross = col("unit_price").multiply(col("quantity"));
    return lines
        .select(in.toArray(Column[]::new))
        .withColumn("gross_amount", gross.cast(AMOUNT))
        .withColumn("discount_amount", gross.multiply(col("discount")).cast(AMOUNT))
        .withColumn("net_amount", gross.multiply(lit(1).minus(col("discount"))).cast(AMOUNT));
  }

  /**
   * {@code fact_order} rows: one per good order, with its line count and summed amounts from {@code
   * lines}, freight as DECIMAL(12,4) and days_to_ship (NULL while unshipped). The amounts are
   * summed from the lines themselves, not from {@link #factOrderLines}, whose join to the orders
   * would be done twice: a line of an order not among {@code orders} is left out by the join here
   * all the same. The jobs pass only orders whose lines all passed (the order-unit rule); an order
   * without lines here would get 0 lines and zero amounts.
   *
   * @param orders good orders rows
   * @param lines good order_details rows (Bronze names), as given to {@link #factOrderLines}
   */
  public static Dataset<Row> factOrders(
      Dataset<Row> orders, Dataset<Row> lines, Source source, String runId, Timestamp at) {
    Dataset<Row> sums =
        lineAmounts(lines)
            .groupBy(col("order_id").as("__oid"))
            .agg(
                count(lit(1)).cast(DataTypes.IntegerType).as("lines"),
                sum("gross_amount").as("g"),
                sum("discount_amount").as("d"),
                sum("net_amount").as("n"));
    Dataset<Row> o =
        orders.select(
            orderColumns(
                key("order_id").as("order_id"), money(col("freight"), PRICE).as("freight")));
    Column zero = lit(0).cast(AMOUNT);
    List<Column> out = new ArrayList<>(List.of(col("order_id")));
    ORDER_ATTRIBUTES.forEach(c -> out.add(col(c)));
    out.addAll(
        List.of(
            col("freight"),
            coalesce(col("lines"), lit(0)).as("lines"),
            coalesce(col("g").cast(AMOUNT), zero).as("gross_amount"),
            coalesce(col("d").cast(AMOUNT), zero).as("discount_amount"),
            coalesce(col("n").cast(AMOUNT), zero).as("net_amount"),
            datediff(col("shipped_date"), col("order_date")).as("days_to_ship"),
            lit(source.id()).as("source"),
            lit(at).as("updated_at"),
            lit(runId).as("run_id")));
    return o.join(sums, o.col("order_id").equalTo(sums.col("__oid")), "left")
        .select(out.toArray(Column[]::new));
  }

  /**
   * {@code id}, the conformed {@link #ORDER_ATTRIBUTES} of an orders row (Bronze names), then
   * {@code more}.
   */
  private static Column[] orderColumns(Column id, Column... more) {
    List<Column> c = new ArrayList<>();
    c.add(id);
    c.addAll(
        List.of(
            text("customer_id"),
            key("employee_id").as("employee_id"),
            key("ship_via").as("shipper_id"),
            col("order_date").cast(DataTypes.DateType).as("order_date"),
            col("required_date").cast(DataTypes.DateType).as("required_date"),
            col("shipped_date").cast(DataTypes.DateType).as("shipped_date"),
            country("ship_country")));
    c.addAll(List.of(more));
    return c.toArray(Column[]::new);
  }

  private static Map<String, String> variants(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return Map.copyOf(m);
  }
}
