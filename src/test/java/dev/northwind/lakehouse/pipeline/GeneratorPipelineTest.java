package dev.northwind.lakehouse.pipeline;

import static dev.northwind.lakehouse.pipeline.Pipeline.cents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.gold.GoldReport;
import dev.northwind.lakehouse.gold.PostgresOracle;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.silver.SilverReport;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.NorthwindGenerator;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Generator data (INTEGER keys) through Bronze, Silver and Gold once, compared with the oracle;
 * then a customer's change in the source travels through Bronze and Silver as an SCD2 version.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratorPipelineTest {

  private String url;
  private Connection db;
  private Lake lake;

  @BeforeAll
  void buildLake() throws Exception {
    url = TestPostgres.freshDatabase(GeneratorPipelineTest.class);
    db = TestPostgres.connect(url);
    NorthwindGenerator.generate(db, 1, 42, ExistingData.REFUSE);
    lake = TestSpark.newLake();
    Pipeline.bronze(lake, url);
    SilverReport silver = Pipeline.silver(lake, "gen-silver-1");
    assertThat(silver.rowsDropped()).as("rows quarantined from generated data").isZero();
    assertThat(Pipeline.gold(lake, "gen-gold-1").outcome()).isEqualTo(GoldReport.Outcome.WRITTEN);
  }

  @AfterAll
  void close() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Order(1)
  void netRevenueInSilverAndGoldIsTheOracles() throws Exception {
    BigDecimal oracle = PostgresOracle.netRevenue(db);
    assertThat(oracle).isPositive();
    assertThat(Pipeline.read(lake, SilverJob.FACT_ORDER_LINE).count()).isEqualTo(PostgresOracle.orderLines(db));
    assertThat(Pipeline.read(lake, SilverJob.FACT_ORDER).count()).isEqualTo(PostgresOracle.orders(db));
    assertThat(Pipeline.sum(Pipeline.read(lake, SilverJob.FACT_ORDER_LINE), "net_amount")).isEqualByComparingTo(oracle);
    Row kpi = Pipeline.lastKpi(lake);
    assertThat(kpi.<BigDecimal>getAs("net_revenue")).isEqualByComparingTo(oracle);
    assertThat(kpi.<Long>getAs("orders")).isEqualTo(PostgresOracle.orders(db));
    assertThat(kpi.<BigDecimal>getAs("avg_basket")).isEqualByComparingTo(PostgresOracle.avgBasket(db));
  }

  @Test
  @Order(2)
  void revenuePerCountryIsTheOracles() throws Exception {
    Map<String, BigDecimal> oracle = PostgresOracle.revenueByCountry(db);
    Map<String, Row> gold = Pipeline.byKey(Pipeline.goldTable(lake, "revenue_by_country"), "country");
    assertThat(gold.keySet()).containsExactlyInAnyOrderElementsOf(oracle.keySet());
    oracle.forEach((country, revenue) -> assertThat(cents(gold.get(country).getAs("net_revenue")))
        .as(country).isEqualByComparingTo(cents(revenue)));
  }

  @Test
  @Order(3)
  void everyCustomersSegmentIsTheOracles() throws Exception {
    Map<String, String> oracle = PostgresOracle.segments(db);
    Map<String, String> gold = Pipeline.goldTable(lake, "rfm_customer").select("customer_id", "segment")
        .collectAsList().stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1)));
    assertThat(gold).containsExactlyInAnyOrderEntriesOf(oracle);
    Map<String, PostgresOracle.Rfm> rfm = PostgresOracle.rfm(db);
    List<BigDecimal> monetary = rfm.values().stream().map(PostgresOracle.Rfm::monetary).sorted().toList();
    Row q = Pipeline.goldTable(lake, "rfm_quartiles").where("metric = 'monetary'").first();
    assertThat(q.<BigDecimal>getAs("q1")).isEqualByComparingTo(Pipeline.quantile(monetary, new BigDecimal("0.25")));
    assertThat(q.<BigDecimal>getAs("q2")).isEqualByComparingTo(Pipeline.quantile(monetary, new BigDecimal("0.5")));
    assertThat(q.<BigDecimal>getAs("q3")).isEqualByComparingTo(Pipeline.quantile(monetary, new BigDecimal("0.75")));
  }

  @Test
  @Order(4)
  void aCustomerWhoMovedGetsASecondVersionAndTheFactsStayAsTheyWere() throws Exception {
    String customer = PostgresOracle.rfm(db).keySet().iterator().next();
    Row before = Pipeline.read(lake, SilverJob.DIM_CUSTOMER).where("customer_id = '" + customer + "'").first();
    String oldCity = before.getAs("city");
    long customersBefore = Pipeline.read(lake, SilverJob.DIM_CUSTOMER).count();
    Map<String, Long> factVersions = Pipeline.versions(lake, List.of(SilverJob.FACT_ORDER_LINE, SilverJob.FACT_ORDER));
    BigDecimal net = Pipeline.sum(Pipeline.read(lake, SilverJob.FACT_ORDER_LINE), "net_amount");
    long lines = Pipeline.read(lake, SilverJob.FACT_ORDER_LINE).count();
    long dimVersion = Pipeline.version(lake, SilverJob.DIM_CUSTOMER);

    try (PreparedStatement st = db.prepareStatement("UPDATE customers SET city = ? WHERE customer_id = ?")) {
      st.setString(1, "Testhausen");
      st.setString(2, customer);
      assertThat(st.executeUpdate()).isEqualTo(1);
    }
    Pipeline.bronze(lake, url);
    SilverReport moved = Pipeline.silver(lake, "gen-silver-2");
    assertThat(moved.changedRows().get("dim_customer")).isPositive();

    List<Row> versions = Pipeline.read(lake, SilverJob.DIM_CUSTOMER).where("customer_id = '" + customer + "'")
        .orderBy("valid_from").collectAsList();
    assertThat(versions).hasSize(2);
    Row old = versions.get(0);
    Row current = versions.get(1);
    assertThat(old.<Boolean>getAs("is_current")).isFalse();
    assertThat(old.<String>getAs("city")).isEqualTo(oldCity);
    assertThat(old.<Timestamp>getAs("valid_to")).isNotNull();
    assertThat(current.<Boolean>getAs("is_current")).isTrue();
    assertThat(current.<String>getAs("city")).isEqualTo("Testhausen");
    assertThat(current.<Timestamp>getAs("valid_to")).isNull();
    assertThat(old.<Timestamp>getAs("valid_to")).isBeforeOrEqualTo(current.<Timestamp>getAs("valid_from"));
    assertThat(current.<Long>getAs("customer_sk")).isNotEqualTo(old.<Long>getAs("customer_sk"));
    assertThat(Pipeline.read(lake, SilverJob.DIM_CUSTOMER).count()).isEqualTo(customersBefore + 1);
    assertThat(Pipeline.read(lake, SilverJob.DIM_CUSTOMER).where("is_current").count()).isEqualTo(customersBefore);

    // The facts did not move: same Delta versions, same lines, same money.
    assertThat(Pipeline.versions(lake, List.of(SilverJob.FACT_ORDER_LINE, SilverJob.FACT_ORDER))).isEqualTo(factVersions);
    assertThat(Pipeline.read(lake, SilverJob.FACT_ORDER_LINE).count()).isEqualTo(lines);
    assertThat(Pipeline.sum(Pipeline.read(lake, SilverJob.FACT_ORDER_LINE), "net_amount")).isEqualByComparingTo(net);
    long dimAfterMove = Pipeline.version(lake, SilverJob.DIM_CUSTOMER);
    assertThat(dimAfterMove).isGreaterThan(dimVersion);

    // Nothing changed since: a further Bronze + Silver run leaves every Silver model table's version.
    Map<String, Long> model = Pipeline.versions(lake, Pipeline.SILVER_MODEL);
    Pipeline.bronze(lake, url);
    Pipeline.silver(lake, "gen-silver-3");
    assertThat(Pipeline.version(lake, SilverJob.DIM_CUSTOMER)).isEqualTo(dimAfterMove);
    assertThat(Pipeline.versions(lake, Pipeline.SILVER_MODEL)).isEqualTo(model);
    assertThat(Pipeline.read(lake, SilverJob.DIM_CUSTOMER).where("customer_id = '" + customer + "'").count())
        .isEqualTo(2);
  }
}
