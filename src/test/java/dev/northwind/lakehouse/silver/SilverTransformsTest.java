package dev.northwind.lakehouse.silver;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The pure Silver transformations, on in-memory Datasets (no lake). */
class SilverTransformsTest {

  private final SparkSession spark = TestSpark.spark();
  private static final Timestamp AT = Timestamp.valueOf("2024-01-01 00:00:00");

  @Test
  void netAmountIsExactFromRealMoney() {
    StructType lineSchema =
        new StructType()
            .add("order_id", DataTypes.ShortType)
            .add("product_id", DataTypes.ShortType)
            .add("unit_price", DataTypes.FloatType)
            .add("quantity", DataTypes.ShortType)
            .add("discount", DataTypes.FloatType);
    float[][] in = {{14.4f, 12, 0.15f}, {9.65f, 7, 0.05f}, {34.8f, 5, 0.2f}, {0.1f, 3, 0.1f}};
    List<Row> lines = new ArrayList<>();
    BigDecimal expected = BigDecimal.ZERO;
    for (int i = 0; i < in.length; i++) {
      lines.add(
          RowFactory.create((short) 1, (short) (i + 1), in[i][0], (short) in[i][1], in[i][2]));
      BigDecimal price = new BigDecimal(Float.toString(in[i][0]));
      BigDecimal discount = new BigDecimal(Float.toString(in[i][2]));
      expected =
          expected.add(
              price
                  .multiply(BigDecimal.valueOf((long) in[i][1]))
                  .multiply(BigDecimal.ONE.subtract(discount)));
    }
    Dataset<Row> bronzeLines = spark.createDataFrame(lines, lineSchema);
    Dataset<Row> facts =
        SilverTransforms.factOrderLines(bronzeLines, orders(), Source.BATCH, "r", AT);

    Row first = facts.where("product_id = 1").first();
    assertThat(first.<BigDecimal>getAs("unit_price")).isEqualByComparingTo("14.4");
    assertThat(first.<BigDecimal>getAs("gross_amount")).isEqualByComparingTo("172.8");
    assertThat(first.<BigDecimal>getAs("discount_amount")).isEqualByComparingTo("25.92");
    assertThat(first.<BigDecimal>getAs("net_amount")).isEqualByComparingTo("146.88");
    assertThat(facts.schema().apply("net_amount").dataType())
        .isEqualTo(DataTypes.createDecimalType(20, 8));
    assertThat(facts.schema().apply("order_id").dataType()).isEqualTo(DataTypes.IntegerType);

    // A line of an order that is not among the good orders adds nothing (and no order row).
    Dataset<Row> stray =
        spark.createDataFrame(
            List.of(RowFactory.create((short) 99, (short) 1, 5f, (short) 1, 0f)), lineSchema);
    List<Row> totals =
        SilverTransforms.factOrders(orders(), bronzeLines.unionByName(stray), Source.BATCH, "r", AT)
            .collectAsList();
    assertThat(totals).hasSize(1);
    Row total = totals.get(0);
    assertThat(total.<BigDecimal>getAs("net_amount")).isEqualByComparingTo(expected);
    assertThat(total.<Integer>getAs("lines")).isEqualTo(4);
    assertThat(total.<BigDecimal>getAs("freight")).isEqualByComparingTo("32.38");
    assertThat(total.<Object>getAs("days_to_ship")).isNull();
  }

  @Test
  void stockStatusAndNormalisedNames() {
    Dataset<Row> rows =
        spark.sql(
            "SELECT * FROM VALUES "
                + "(true, 0, 0, 0, ' united states ', 'sao  paulo'), (false, 0, 5, 1, 'US', 'London'), "
                + "(false, 3, 2, 5, 'United Kingdom', 'Mexico D.F.'), (false, 3, 3, 5, 'germany', NULL) "
                + "AS t(d, s, o, r, country, city)");
    List<Row> out =
        rows.select(
                SilverTransforms.stockStatus(col("d"), col("s"), col("o"), col("r")),
                SilverTransforms.country(col("country")),
                SilverTransforms.city(col("city")))
            .collectAsList();
    assertThat(out.stream().map(r -> r.getString(0)))
        .containsExactly("DISCONTINUED", "OUT_OF_STOCK", "LOW_STOCK", "IN_STOCK");
    assertThat(out.stream().map(r -> r.getString(1)))
        .containsExactly("USA", "USA", "UK", "GERMANY");
    assertThat(out.stream().map(r -> r.getString(2)))
        .containsExactly("São Paulo", "London", "México D.F.", null);
  }

  @Test
  void everyKnownVariantMapsToItsOneSpelling() {
    // Each variant as a source might write it (other case, padded); unknown values pass through.
    List<Row> cases = new ArrayList<>();
    SilverTransforms.COUNTRY_VARIANTS.forEach(
        (k, v) -> cases.add(RowFactory.create(" " + k.toLowerCase(Locale.ROOT), v, null)));
    SilverTransforms.CITY_VARIANTS.forEach(
        (k, v) -> cases.add(RowFactory.create(k.toUpperCase(Locale.ROOT) + " ", null, v)));
    cases.add(RowFactory.create(" Lyon ", "LYON", "Lyon"));
    StructType schema =
        new StructType().add("v", "string").add("country", "string").add("city", "string");
    List<Row> out =
        spark
            .createDataFrame(cases, schema)
            .select(
                col("v"),
                col("country"),
                SilverTransforms.country(col("v")),
                col("city"),
                SilverTransforms.city(col("v")))
            .collectAsList();
    assertThat(out).hasSize(cases.size());
    for (Row r : out) {
      if (r.getString(1) != null) {
        assertThat(r.getString(2)).as("country(%s)", r.getString(0)).isEqualTo(r.getString(1));
      }
      if (r.getString(3) != null) {
        assertThat(r.getString(4)).as("city(%s)", r.getString(0)).isEqualTo(r.getString(3));
      }
    }
  }

  @Test
  void dimDateNumbersDaysFromMonday() {
    Dataset<Row> dates =
        spark.sql("SELECT * FROM VALUES (DATE'1996-07-04'), (DATE'1996-07-08') AS t(order_date)");
    List<Row> days = SilverTransforms.dimDate(dates).orderBy("date_key").collectAsList();
    assertThat(days).hasSize(5);
    Row thursday = days.get(0);
    assertThat(thursday.<Integer>getAs("date_key")).isEqualTo(19960704);
    assertThat(thursday.<Integer>getAs("day_of_week")).isEqualTo(4);
    assertThat(thursday.<String>getAs("weekday_name")).isEqualTo("Thursday");
    assertThat(thursday.<String>getAs("month_name")).isEqualTo("July");
    assertThat(thursday.<Integer>getAs("quarter")).isEqualTo(3);
    assertThat(thursday.<Integer>getAs("iso_week")).isEqualTo(27);
    assertThat(days.get(3).<Integer>getAs("day_of_week")).isEqualTo(7); // Sunday
    assertThat(days.get(3).<Boolean>getAs("is_weekend")).isTrue();
    assertThat(days.get(4).<Integer>getAs("day_of_week")).isEqualTo(1); // Monday
  }

  @Test
  void latestPerKeyKeepsTheLastIngestionAndTies() {
    Dataset<Row> bronze =
        spark.sql(
            "SELECT * FROM VALUES "
                + "(1, 'old', TIMESTAMP'2024-01-01 00:00:00'), (1, 'new', TIMESTAMP'2024-01-02 00:00:00'), "
                + "(2, 'a', TIMESTAMP'2024-01-01 00:00:00'), (2, 'b', TIMESTAMP'2024-01-01 00:00:00') AS t(order_id, v, _ingested_at)");
    List<String> kept =
        SilverTransforms.latestPerKey(bronze, "order_id").orderBy("v").collectAsList().stream()
            .map(r -> r.getString(1))
            .toList();
    assertThat(kept).containsExactly("a", "b", "new");
  }

  @Test
  void customerRowHashFollowsTrackedAttributes() {
    Dataset<Row> c =
        spark.sql(
            "SELECT * FROM VALUES "
                + "('ALFKI', 'Alfreds', ' maria  anders ', 'Owner', 'Str. 1', 'Berlin', NULL, '1', 'Germany', '1'), "
                + "('ALFKI', 'Alfreds', 'Maria Anders', 'Owner', 'Str. 1', 'Berlin', NULL, '1', 'GERMANY', '1'), "
                + "('ALFKI', 'Alfreds', 'Maria Anders', 'Owner', 'Str. 1', 'Hamburg', NULL, '1', 'Germany', '1') "
                + "AS t(customer_id, company_name, contact_name, contact_title, address, city, region, postal_code, country, phone)");
    List<Row> rows = SilverTransforms.customerRows(c).collectAsList();
    assertThat(rows.get(0).<String>getAs("contact_name")).isEqualTo("Maria Anders");
    assertThat(rows.get(0).<String>getAs("row_hash")).isEqualTo(rows.get(1).getAs("row_hash"));
    assertThat(rows.get(2).<String>getAs("row_hash")).isNotEqualTo(rows.get(0).getAs("row_hash"));
  }

  private Dataset<Row> orders() {
    StructType s =
        new StructType()
            .add("order_id", DataTypes.ShortType)
            .add("customer_id", DataTypes.StringType)
            .add("employee_id", DataTypes.ShortType)
            .add("order_date", DataTypes.DateType)
            .add("required_date", DataTypes.DateType)
            .add("shipped_date", DataTypes.DateType)
            .add("ship_via", DataTypes.ShortType)
            .add("freight", DataTypes.FloatType)
            .add("ship_country", DataTypes.StringType);
    return spark.createDataFrame(
        List.of(
            RowFactory.create(
                (short) 1,
                "ALFKI",
                (short) 1,
                Date.valueOf("1996-07-04"),
                null,
                null,
                (short) 1,
                32.38f,
                "Germany")),
        s);
  }
}
