package dev.northwind.lakehouse.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.northwind.lakehouse.LakehouseException;
import dev.northwind.lakehouse.testing.NorthwindDump;
import dev.northwind.lakehouse.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NorthwindGeneratorTest {

  private static Connection scale1;
  private static Connection scale3;
  private static LoadReport scale1Report;
  private static LoadReport scale3Report;

  @BeforeAll
  static void generate() throws SQLException {
    scale1 = TestPostgres.connect(TestPostgres.freshDatabase(NorthwindGeneratorTest.class));
    scale3 = TestPostgres.connect(TestPostgres.freshDatabase(NorthwindGeneratorTest.class));
    scale1Report = NorthwindGenerator.generate(scale1, 1);
    scale3Report = NorthwindGenerator.generate(scale3, 3, 42);
  }

  @AfterAll
  static void close() throws SQLException {
    scale1.close();
    scale3.close();
  }

  @Test
  void scaleOneHasTheDumpsRowCounts() throws SQLException {
    assertThat(scale1Report.rows()).containsExactlyEntriesOf(NorthwindDump.ROWS);
    assertThat(SourceDb.counts(scale1)).containsExactlyEntriesOf(NorthwindDump.ROWS);
    assertThat(scale1Report.description()).isEqualTo("generator scale 1 seed 42");
  }

  @Test
  void scaleThreeMultipliesCustomersOrdersAndLinesOnly() throws SQLException {
    Map<String, Long> expected = new LinkedHashMap<>(NorthwindDump.ROWS);
    expected.put("customers", 3 * 91L);
    expected.put("orders", 3 * 830L);
    expected.put("order_details", 3 * 2155L);
    assertThat(scale3Report.rows()).containsExactlyEntriesOf(expected);
    assertThat(SourceDb.counts(scale3)).containsExactlyEntriesOf(expected);
    assertThat(scale3Report.description()).isEqualTo("generator scale 3 seed 42");
    assertThat(scale3Report.total())
        .isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void everyKeyPointsAtAnExistingRow() throws SQLException {
    for (Connection c : new Connection[] {scale1, scale3}) {
      assertThat(
              SourceDb.number(
                  c,
                  "SELECT count(*) FROM order_details d WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = d.order_id)"))
          .isZero();
      assertThat(
              SourceDb.number(
                  c,
                  "SELECT count(*) FROM order_details d WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.product_id = d.product_id)"))
          .isZero();
      assertThat(
              SourceDb.number(
                  c,
                  "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = o.customer_id)"))
          .isZero();
      assertThat(
              SourceDb.number(
                  c,
                  "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM employees e WHERE e.employee_id = o.employee_id)"))
          .isZero();
      assertThat(
              SourceDb.number(
                  c,
                  "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM shippers s WHERE s.shipper_id = o.ship_via)"))
          .isZero();
      assertThat(
              SourceDb.number(
                  c,
                  "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_details d WHERE d.order_id = o.order_id)"))
          .isZero();
      assertThat(
              SourceDb.number(
                  c,
                  "SELECT count(*) FROM products p WHERE NOT EXISTS (SELECT 1 FROM suppliers s WHERE s.supplier_id = p.supplier_id) OR NOT EXISTS (SELECT 1 FROM categories k WHERE k.category_id = p.category_id)"))
          .isZero();
      assertThat(
              SourceDb.number(
                  c,
                  "SELECT count(*) FROM employee_territories et WHERE NOT EXISTS (SELECT 1 FROM territories t WHERE t.territory_id = et.territory_id)"))
          .isZero();
      // The dump's 13 foreign keys (and 14 primary keys) are declared, not only satisfied.
      assertThat(
              SourceDb.number(
                  c,
                  "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace"))
          .isEqualTo(13);
      assertThat(
              SourceDb.number(
                  c,
                  "SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND connamespace = 'public'::regnamespace"))
          .isEqualTo(14);
    }
  }

  @Test
  void sameSeedGivesIdenticalDataAndAnotherSeedDoesNot() throws SQLException {
    try (Connection again =
            TestPostgres.connect(TestPostgres.freshDatabase(NorthwindGeneratorTest.class));
        Connection seven =
            TestPostgres.connect(TestPostgres.freshDatabase(NorthwindGeneratorTest.class))) {
      NorthwindGenerator.generate(again, 1, 42);
      NorthwindGenerator.generate(seven, 1, 7);
      assertThat(SourceDb.fingerprint(again)).isEqualTo(SourceDb.fingerprint(scale1));
      assertThat(SourceDb.fingerprint(seven)).isNotEqualTo(SourceDb.fingerprint(scale1));
    }
  }

  @Test
  void valuesLookLikeNorthwind() throws SQLException {
    Connection c = scale3;
    assertThat(SourceDb.scalar(c, "SELECT min(order_date)::text FROM orders"))
        .isEqualTo("1996-07-04");
    assertThat(SourceDb.scalar(c, "SELECT max(order_date)::text FROM orders"))
        .isEqualTo("1998-05-06");
    assertThat(
            SourceDb.scalar(
                c, "SELECT min(unit_price)::text || '..' || max(unit_price)::text FROM products"))
        .isEqualTo("2.5..263.5");
    assertThat(
            SourceDb.number(
                c, "SELECT count(*) FROM order_details WHERE quantity NOT BETWEEN 1 AND 130"))
        .isZero();
    assertThat(
            SourceDb.number(
                c,
                "SELECT count(*) FROM order_details WHERE discount::numeric NOT IN (0, 0.05, 0.1, 0.15, 0.2, 0.25)"))
        .isZero();
    assertThat(SourceDb.number(c, "SELECT count(DISTINCT discount) FROM order_details"))
        .isEqualTo(6);
    assertThat(SourceDb.number(c, "SELECT count(DISTINCT country) FROM customers")).isEqualTo(21);
    assertThat(SourceDb.number(c, "SELECT count(DISTINCT ship_country) FROM orders"))
        .isBetween(18L, 21L);
    // Lines bill the product's price, or the older (lower) list price before 1997.
    assertThat(
            SourceDb.number(
                c,
                "SELECT count(*) FROM order_details d JOIN products p USING (product_id) WHERE d.unit_price <> p.unit_price AND d.unit_price >= p.unit_price"))
        .isZero();
    assertThat(
            SourceDb.number(
                c,
                "SELECT count(*) FROM order_details d JOIN products p USING (product_id) WHERE d.unit_price < p.unit_price"))
        .isPositive();
    // Some orders are unshipped, all of them in the last weeks of the range.
    assertThat(SourceDb.number(c, "SELECT count(*) FROM orders WHERE shipped_date IS NULL"))
        .isPositive();
    assertThat(
            SourceDb.scalar(
                c, "SELECT min(order_date)::text FROM orders WHERE shipped_date IS NULL"))
        .asString()
        .isGreaterThan("1998-03-31");
    assertThat(
            SourceDb.number(
                c,
                "SELECT count(*) FROM orders WHERE shipped_date < order_date OR required_date <= order_date"))
        .isZero();
    // Same column types as the dump, keys widened to integer.
    assertThat(
            SourceDb.scalar(
                c,
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'order_details' AND column_name = 'unit_price'"))
        .isEqualTo("real");
    assertThat(
            SourceDb.scalar(
                c,
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'order_id'"))
        .isEqualTo("integer");
  }

  @Test
  void refusesExistingNorthwindRowsUnlessReplacing() throws SQLException {
    try (Connection c =
        TestPostgres.connect(TestPostgres.freshDatabase(NorthwindGeneratorTest.class))) {
      NorthwindGenerator.generate(c, 1, 42);
      assertThatThrownBy(() -> NorthwindGenerator.generate(c, 2, 42))
          .isInstanceOf(LakehouseException.class)
          .hasMessageContaining("already holds Northwind tables")
          .hasMessageContaining("--replace");
      assertThat(SourceDb.number(c, "SELECT count(*) FROM orders")).isEqualTo(830);

      LoadReport replaced = NorthwindGenerator.generate(c, 2, 42, ExistingData.REPLACE);
      assertThat(replaced.rows().get("orders")).isEqualTo(1660);
      assertThat(SourceDb.number(c, "SELECT count(*) FROM orders")).isEqualTo(1660);
      assertThat(c.getAutoCommit()).isTrue();
    }
  }

  @Test
  void rejectsScaleBelowOne() throws SQLException {
    assertThatThrownBy(() -> NorthwindGenerator.generate(scale1, 0, 42, ExistingData.REPLACE))
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining("scale must be 1 or more, got 0");
    assertThat(SourceDb.number(scale1, "SELECT count(*) FROM orders")).isEqualTo(830);
  }
}
