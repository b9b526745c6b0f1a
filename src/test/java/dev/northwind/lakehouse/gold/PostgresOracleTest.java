package dev.northwind.lakehouse.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.northwind.lakehouse.testing.TestPostgres;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The oracle's SQL checked on a real PostgreSQL holding {@link SampleSilver}'s orders in the
 * Northwind shape (money as {@code real}): it must give the same hand-computed figures that {@link
 * GoldComputeTest} expects from Gold.
 */
class PostgresOracleTest {

  private static Connection c;

  @BeforeAll
  static void load() throws Exception {
    c = TestPostgres.connect(TestPostgres.freshDatabase(PostgresOracleTest.class));
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE categories (category_id smallint PRIMARY KEY, category_name varchar(15))");
      st.execute(
          "CREATE TABLE products (product_id smallint PRIMARY KEY, product_name varchar(40), "
              + "category_id smallint, unit_price real)");
      st.execute(
          "CREATE TABLE customers (customer_id varchar(5) PRIMARY KEY, company_name varchar(40), "
              + "country varchar(15))");
      st.execute(
          "CREATE TABLE orders (order_id smallint PRIMARY KEY, customer_id varchar(5), "
              + "employee_id smallint, order_date date)");
      st.execute(
          "CREATE TABLE order_details (order_id smallint, product_id smallint, unit_price real, "
              + "quantity smallint, discount real, PRIMARY KEY (order_id, product_id))");
    }
    for (Object[] p : SampleSilver.PRODUCTS) {
      exec("INSERT INTO categories VALUES (?, ?) ON CONFLICT DO NOTHING", p[2], p[3]);
      exec(
          "INSERT INTO products VALUES (?, ?, ?, ?)",
          p[0],
          p[1],
          p[2],
          Float.parseFloat((String) p[4]));
    }
    for (String[] cu : SampleSilver.CUSTOMERS) {
      // The source keeps mixed case; the oracle upper-cases like Silver.
      String country = cu[2].equals("GERMANY") ? "Germany" : cu[2];
      exec("INSERT INTO customers VALUES (?, ?, ?)", cu[0], cu[1], country);
    }
    for (SampleSilver.Order o : SampleSilver.ORDERS) {
      exec(
          "INSERT INTO orders VALUES (?, ?, ?, ?)",
          o.orderId(),
          o.customerId(),
          o.employeeId(),
          java.sql.Date.valueOf(o.orderDate()));
      for (SampleSilver.Line l : o.lines()) {
        exec(
            "INSERT INTO order_details VALUES (?, ?, ?, ?, ?)",
            o.orderId(),
            l.productId(),
            Float.parseFloat(l.unitPrice()),
            l.quantity(),
            Float.parseFloat(l.discount()));
      }
    }
  }

  private static void exec(String sql, Object... args) throws Exception {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      st.executeUpdate();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (c != null) {
      c.close();
    }
  }

  @Test
  void totalsAndBaskets() throws Exception {
    // real 14.4 must count as 14.4, not 14.3999996
    assertThat(PostgresOracle.netRevenue(c)).isEqualByComparingTo("2053");
    assertThat(PostgresOracle.orders(c)).isEqualTo(9);
    assertThat(PostgresOracle.avgBasket(c)).isEqualByComparingTo("228.11111111");
  }

  @Test
  void revenueByCountryMonthAndCategory() throws Exception {
    assertThat(PostgresOracle.revenueByCountry(c))
        .containsOnlyKeys("USA", "GERMANY", "UK", "FRANCE");
    assertThat(PostgresOracle.revenueByCountry(c).get("GERMANY")).isEqualByComparingTo("565");
    assertThat(PostgresOracle.revenueByCountry(c).get("USA")).isEqualByComparingTo("885");
    assertThat(PostgresOracle.revenueByMonth(c))
        .extracting(PostgresOracle.Month::yearMonth)
        .containsExactly("2024-01", "2024-02", "2024-03");
    PostgresOracle.Month feb = PostgresOracle.revenueByMonth(c).get(1);
    assertThat(feb.orders()).isEqualTo(3);
    assertThat(feb.netRevenue()).isEqualByComparingTo("714");
    assertThat(feb.cumulativeNetRevenue()).isEqualByComparingTo("1222");
    Map<String, BigDecimal> cat = PostgresOracle.revenueByCategory(c);
    assertThat(cat.get("Beverages")).isEqualByComparingTo("854");
    assertThat(cat.get("Condiments")).isEqualByComparingTo("641");
    assertThat(cat.get("Produce")).isEqualByComparingTo("558");
  }

  @Test
  void rfmQuartilesAndSegments() throws Exception {
    Map<String, PostgresOracle.Rfm> rfm = PostgresOracle.rfm(c);
    assertThat(rfm).doesNotContainKey("FOLKO").hasSize(6);
    assertThat(rfm.get("ALFKI"))
        .isEqualTo(new PostgresOracle.Rfm("ALFKI", 35, 2, rfm.get("ALFKI").monetary()));
    assertThat(rfm.get("ALFKI").monetary()).isEqualByComparingTo("510");
    assertThat(rfm.get("BONAP").recencyDays()).isEqualTo(56);
    assertThat(rfm.get("GREAL").recencyDays()).isEqualTo(1);
    assertThat(rfm.get("GREAL").frequency()).isEqualTo(3);
    PostgresOracle.Quartiles q = PostgresOracle.monetaryQuartiles(c);
    assertThat(q.q1().doubleValue()).isCloseTo(141.0, within(1e-9));
    assertThat(q.q2().doubleValue()).isCloseTo(397.5, within(1e-9));
    assertThat(q.q3().doubleValue()).isCloseTo(510.0, within(1e-9));
    assertThat(PostgresOracle.segments(c))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "ALFKI", "VIP", "BONAP", "AT_RISK", "CHOPS", "AT_RISK", "DUMON", "REGULAR", "EASTC",
                "VIP", "GREAL", "VIP"));
  }
}
