package dev.northwind.lakehouse.pipeline;

import static dev.northwind.lakehouse.pipeline.Figures.cents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.gold.GoldReport;
import dev.northwind.lakehouse.gold.PostgresOracle;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.testing.GoldenLake;
import java.math.BigDecimal;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Generator data (INTEGER keys) through Bronze, Silver and Gold: the golden lake, compared with the
 * oracle on its source. (What a change in the source does on re-runs is {@link CustomerMoveIT}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratorPipelineTest {

  private GoldenLake golden;
  private Connection db;
  private Lake lake;

  @BeforeAll
  void openGoldenLake() throws Exception {
    golden = GoldenLake.shared();
    db = golden.connect();
    lake = golden.lake();
  }

  @AfterAll
  void close() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Order(0)
  void theGoldenRunQuarantinedNothingAndWroteGold() {
    assertThat(golden.silver().rowsDropped()).as("rows quarantined from generated data").isZero();
    assertThat(golden.gold().outcome()).isEqualTo(GoldReport.Outcome.WRITTEN);
  }

  @Test
  @Order(1)
  void netRevenueInSilverAndGoldIsTheOracles() throws Exception {
    BigDecimal oracle = PostgresOracle.netRevenue(db);
    assertThat(oracle).isPositive();
    assertThat(Figures.read(lake, SilverJob.FACT_ORDER_LINE).count())
        .isEqualTo(PostgresOracle.orderLines(db));
    assertThat(Figures.read(lake, SilverJob.FACT_ORDER).count())
        .isEqualTo(PostgresOracle.orders(db));
    assertThat(Figures.sum(Figures.read(lake, SilverJob.FACT_ORDER_LINE), "net_amount"))
        .isEqualByComparingTo(oracle);
    Row kpi = Figures.lastKpi(lake);
    assertThat(kpi.<BigDecimal>getAs("net_revenue")).isEqualByComparingTo(oracle);
    assertThat(kpi.<Long>getAs("orders")).isEqualTo(PostgresOracle.orders(db));
    assertThat(kpi.<BigDecimal>getAs("avg_basket"))
        .isEqualByComparingTo(PostgresOracle.avgBasket(db));
  }

  @Test
  @Order(2)
  void revenuePerCountryIsTheOracles() throws Exception {
    Map<String, BigDecimal> oracle = PostgresOracle.revenueByCountry(db);
    Map<String, Row> gold = Figures.byKey(Figures.goldTable(lake, "revenue_by_country"), "country");
    assertThat(gold.keySet()).containsExactlyInAnyOrderElementsOf(oracle.keySet());
    oracle.forEach(
        (country, revenue) ->
            assertThat(cents(gold.get(country).getAs("net_revenue")))
                .as(country)
                .isEqualByComparingTo(cents(revenue)));
  }

  @Test
  @Order(3)
  void everyCustomersSegmentIsTheOracles() throws Exception {
    Map<String, String> oracle = PostgresOracle.segments(db);
    Map<String, String> gold =
        Figures.goldTable(lake, "rfm_customer")
            .select("customer_id", "segment")
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1)));
    assertThat(gold).containsExactlyInAnyOrderEntriesOf(oracle);
    Map<String, PostgresOracle.Rfm> rfm = PostgresOracle.rfm(db);
    List<BigDecimal> monetary =
        rfm.values().stream().map(PostgresOracle.Rfm::monetary).sorted().toList();
    Row q = Figures.goldTable(lake, "rfm_quartiles").where("metric = 'monetary'").first();
    assertThat(q.<BigDecimal>getAs("q1"))
        .isEqualByComparingTo(Figures.quantile(monetary, new BigDecimal("0.25")));
    assertThat(q.<BigDecimal>getAs("q2"))
        .isEqualByComparingTo(Figures.quantile(monetary, new BigDecimal("0.5")));
    assertThat(q.<BigDecimal>getAs("q3"))
        .isEqualByComparingTo(Figures.quantile(monetary, new BigDecimal("0.75")));
  }
}
