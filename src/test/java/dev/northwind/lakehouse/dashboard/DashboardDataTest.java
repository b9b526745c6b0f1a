package dev.northwind.lakehouse.dashboard;

import static dev.northwind.lakehouse.dashboard.SampleGold.display;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.testing.TestSpark;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DashboardDataTest {

  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  static Lake lake;
  static JsonNode doc;

  @BeforeAll
  static void read() throws Exception {
    lake = SampleGold.shared();
    doc = JSON.readTree(new DashboardData(TestSpark.spark(), lake).snapshot().json());
  }

  @Test
  void summaryIsTheLatestKpiRowWithMoneyRoundedForDisplay() {
    JsonNode s = doc.get("summary");
    assertThat(doc.get("state").asText()).isEqualTo("ready");
    assertThat(s.get("run_id").asText()).isEqualTo(SampleGold.RUN_ID);
    assertThat(s.get("computed_at").asText()).isEqualTo(SampleGold.COMPUTED_AT);
    assertThat(s.get("net_revenue").decimalValue())
        .isEqualByComparingTo(display(SampleGold.NET_REVENUE));
    assertThat(s.get("net_revenue").decimalValue())
        .isEqualByComparingTo(new BigDecimal("1265432.99"));
    assertThat(s.get("avg_basket").decimalValue())
        .isEqualByComparingTo(display(SampleGold.AVG_BASKET));
    assertThat(s.get("orders").asLong()).isEqualTo(SampleGold.ORDERS);
    assertThat(s.get("customers_with_orders").asLong()).isEqualTo(SampleGold.CUSTOMERS_WITH_ORDERS);
    assertThat(s.get("stream_share").asDouble()).isEqualTo(SampleGold.STREAM_SHARE);
    assertThat(s.get("first_order_date").asText()).isEqualTo("2022-07-04");
    assertThat(s.get("last_order_date").asText()).isEqualTo("2024-06-30");
  }

  @Test
  void countriesAreSortedByRankWithTheirValues() {
    List<SampleGold.Country> expected =
        SampleGold.COUNTRIES.stream()
            .sorted(Comparator.comparingInt(SampleGold.Country::rank))
            .toList();
    JsonNode countries = doc.get("countries");
    assertThat(countries).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      JsonNode c = countries.get(i);
      assertThat(c.get("country").asText()).isEqualTo(expected.get(i).name());
      assertThat(c.get("net_revenue").decimalValue())
          .isEqualByComparingTo(display(expected.get(i).revenue()));
      assertThat(c.get("rank").asInt()).isEqualTo(expected.get(i).rank());
      assertThat(c.get("orders").asLong()).isEqualTo(expected.get(i).orders());
    }
    // 245584.61 and 128003.835 → .84 (half-up), never truncated.
    assertThat(countries.get(2).get("net_revenue").decimalValue())
        .isEqualByComparingTo(new BigDecimal("128003.84"));
  }

  @Test
  void segmentsFollowSortOrder() {
    JsonNode segs = doc.get("segments");
    assertThat(segs).hasSize(4);
    assertThat(
            List.of(
                segs.get(0).get("segment").asText(),
                segs.get(1).get("segment").asText(),
                segs.get(2).get("segment").asText(),
                segs.get(3).get("segment").asText()))
        .containsExactly("VIP", "LOYAL", "REGULAR", "AT_RISK");
    assertThat(segs.get(0).get("revenue").decimalValue())
        .isEqualByComparingTo(new BigDecimal("319514.23"));
    assertThat(segs.get(0).get("action").asText()).isEqualTo("premium loyalty programme");
  }

  @Test
  void recencyHistogramHasSixtyDayBucketsWithEmptyOnesFilled() {
    JsonNode r = doc.get("recency");
    // Max recency 400 days: 30-day buckets would be 14 (> 12), 60-day buckets are 7.
    assertThat(r.get("bucket_days").asInt()).isEqualTo(60);
    List<Long> counts = new ArrayList<>();
    r.get("buckets").forEach(b -> counts.add(b.get("customers").asLong()));
    long[] expected = new long[7];
    SampleGold.CUSTOMERS.forEach(c -> expected[(c.recencyDays() - 1) / 60]++);
    assertThat(counts).containsExactly(5L, 3L, 0L, 1L, 1L, 0L, 2L);
    assertThat(counts.stream().mapToLong(Long::longValue).toArray()).isEqualTo(expected);
    assertThat(r.get("buckets").get(0).get("label").asText()).isEqualTo("1–60");
  }

  @Test
  void recencyWidthKeepsAtMostTwelveBuckets() {
    assertThat(DashboardData.recencyWidth(1)).isEqualTo(7);
    assertThat(DashboardData.recencyWidth(84)).isEqualTo(7);
    assertThat(DashboardData.recencyWidth(85)).isEqualTo(14);
    assertThat(DashboardData.recencyWidth(700)).isEqualTo(60);
    assertThat(DashboardData.recencyWidth(100_000)).isEqualTo(8334);
  }

  @Test
  void scatterHasEveryCustomerUnderTheCap() {
    JsonNode s = doc.get("scatter");
    assertThat(s.get("total").asLong()).isEqualTo(SampleGold.CUSTOMERS.size());
    assertThat(s.get("points")).hasSize(SampleGold.CUSTOMERS.size());
    JsonNode savea = null;
    for (JsonNode p : s.get("points")) {
      if (p.get("customer_id").asText().equals("SAVEA")) {
        savea = p;
      }
    }
    assertThat(savea).isNotNull();
    assertThat(savea.get("company_name").asText()).isEqualTo("Save-a-lot Markets");
    assertThat(savea.get("frequency").asLong()).isEqualTo(31);
    assertThat(savea.get("monetary").decimalValue())
        .isEqualByComparingTo(new BigDecimal("104361.95"));
    assertThat(savea.get("segment").asText()).isEqualTo("VIP");
  }

  @Test
  void scatterIsCappedByADeterministicSample() throws Exception {
    JsonNode s =
        JSON.readTree(new DashboardData(TestSpark.spark(), lake, 5).snapshot().json())
            .get("scatter");
    assertThat(s.get("total").asLong()).isEqualTo(12);
    assertThat(s.get("shown").asLong()).isEqualTo(5);
    List<String> ids = new ArrayList<>();
    s.get("points").forEach(p -> ids.add(p.get("customer_id").asText()));
    List<String> again =
        DashboardData.scatterSample(lake.read(TestSpark.spark(), DashboardData.RFM_CUSTOMER), 5)
            .collectAsList()
            .stream()
            .map(r -> r.<String>getAs("customer_id"))
            .toList();
    assertThat(ids).hasSize(5).isEqualTo(again);
  }

  @Test
  void monthsAndCumulativeByCountry() {
    JsonNode months = doc.get("months");
    assertThat(months).hasSize(6);
    assertThat(months.get(5).get("year_month").asText()).isEqualTo("2024-06");
    assertThat(months.get(5).get("cumulative_net_revenue").decimalValue())
        .isEqualByComparingTo(display(SampleGold.MONTHS.get(5).cumulative()));
    JsonNode germany = doc.get("cumulative").get("GERMANY");
    List<SampleGold.Month> expected = SampleGold.CUMULATIVE.get("GERMANY");
    assertThat(germany).hasSize(expected.size());
    assertThat(germany.get(expected.size() - 1).get("cumulative_net_revenue").decimalValue())
        .isEqualByComparingTo(display(expected.get(expected.size() - 1).cumulative()));
    List<String> list = new ArrayList<>();
    doc.get("countries_list").forEach(c -> list.add(c.asText()));
    assertThat(list).startsWith("USA", "GERMANY").hasSize(12);
  }

  @Test
  void histogramIsComputedInSpark() {
    List<Row> rows =
        DashboardData.recencyHistogram(lake.read(TestSpark.spark(), DashboardData.RFM_CUSTOMER), 60)
            .collectAsList();
    assertThat(rows)
        .extracting(r -> r.getAs("bucket").toString())
        .containsExactly("0", "1", "3", "4", "6");
  }

  @Test
  void anEmptyLakeGivesTheEmptyState() throws Exception {
    JsonNode empty =
        JSON.readTree(new DashboardData(TestSpark.spark(), TestSpark.newLake()).snapshot().json());
    assertThat(empty.get("state").asText()).isEqualTo("empty");
    assertThat(empty.get("message").asText())
        .isEqualTo("No Gold data yet: run `lakehouse demo` or `lakehouse gold`");
    assertThat(empty.get("countries")).isEmpty();
  }

  @Test
  void snapshotIsReusedUntilGoldChanges() throws Exception {
    Lake own = TestSpark.newLake();
    SampleGold.writeKpi(own, SampleGold.olderKpiRow());
    ManualClock clock = new ManualClock();
    DashboardData data =
        new DashboardData(TestSpark.spark(), own, DashboardData.DEFAULT_SCATTER_LIMIT, clock);
    DashboardData.Snapshot first = data.snapshot();
    assertThat(first.ready()).isTrue();
    clock.advance(DashboardData.RECHECK.plusMillis(100));
    assertThat(data.snapshot()).isSameAs(first);
    SampleGold.appendKpi(own, SampleGold.latestKpiRow());
    // Within the re-check interval the cached snapshot is served without looking at Gold.
    assertThat(data.snapshot()).isSameAs(first);
    clock.advance(DashboardData.RECHECK.plusMillis(100));
    DashboardData.Snapshot second = data.snapshot();
    assertThat(second).isNotSameAs(first);
    assertThat(JSON.readTree(second.json()).get("summary").get("run_id").asText())
        .isEqualTo(SampleGold.RUN_ID);
    // Only kpi_summary exists: the other views are empty, not an error.
    assertThat(JSON.readTree(second.json()).get("countries")).isEmpty();
  }
}
