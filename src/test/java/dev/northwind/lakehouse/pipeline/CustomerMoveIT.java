package dev.northwind.lakehouse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.gold.PostgresOracle;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.silver.SilverJob;
import dev.northwind.lakehouse.silver.SilverReport;
import dev.northwind.lakehouse.testing.GoldenLake;
import dev.northwind.lakehouse.testing.Jobs;
import dev.northwind.lakehouse.testing.TestPostgres;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A customer's change in the source (generator data) travels through Bronze and Silver re-runs as
 * an SCD2 version while the facts stay as they were; a further run without changes leaves Silver
 * alone. Works on copies of the golden lake's source and lake (it changes both).
 */
class CustomerMoveIT {

  @Test
  void aCustomerWhoMovedGetsASecondVersionAndTheFactsStayAsTheyWere() throws Exception {
    GoldenLake golden = GoldenLake.shared();
    String url = golden.sourceCopy(CustomerMoveIT.class);
    Lake lake = golden.lakeCopy();
    try (Connection db = TestPostgres.connect(url)) {
      String customer = PostgresOracle.rfm(db).keySet().iterator().next();
      Row before =
          Figures.read(lake, SilverJob.DIM_CUSTOMER)
              .where("customer_id = '" + customer + "'")
              .first();
      String oldCity = before.getAs("city");
      long customersBefore = Figures.read(lake, SilverJob.DIM_CUSTOMER).count();
      Map<String, Long> factVersions =
          Figures.versions(lake, List.of(SilverJob.FACT_ORDER_LINE, SilverJob.FACT_ORDER));
      BigDecimal net = Figures.sum(Figures.read(lake, SilverJob.FACT_ORDER_LINE), "net_amount");
      long lines = Figures.read(lake, SilverJob.FACT_ORDER_LINE).count();
      long dimVersion = Figures.version(lake, SilverJob.DIM_CUSTOMER);

      try (PreparedStatement st =
          db.prepareStatement("UPDATE customers SET city = ? WHERE customer_id = ?")) {
        st.setString(1, "Testhausen");
        st.setString(2, customer);
        assertThat(st.executeUpdate()).isEqualTo(1);
      }
      Jobs.bronze(lake, url);
      SilverReport moved = Jobs.silver(lake, "gen-silver-2");
      assertThat(moved.changedRows().get("dim_customer")).isPositive();

      List<Row> versions =
          Figures.read(lake, SilverJob.DIM_CUSTOMER)
              .where("customer_id = '" + customer + "'")
              .orderBy("valid_from")
              .collectAsList();
      assertThat(versions).hasSize(2);
      Row old = versions.get(0);
      Row current = versions.get(1);
      assertThat(old.<Boolean>getAs("is_current")).isFalse();
      assertThat(old.<String>getAs("city")).isEqualTo(oldCity);
      assertThat(old.<Timestamp>getAs("valid_to")).isNotNull();
      assertThat(current.<Boolean>getAs("is_current")).isTrue();
      assertThat(current.<String>getAs("city")).isEqualTo("Testhausen");
      assertThat(current.<Timestamp>getAs("valid_to")).isNull();
      assertThat(old.<Timestamp>getAs("valid_to"))
          .isBeforeOrEqualTo(current.<Timestamp>getAs("valid_from"));
      assertThat(current.<Long>getAs("customer_sk")).isNotEqualTo(old.<Long>getAs("customer_sk"));
      assertThat(Figures.read(lake, SilverJob.DIM_CUSTOMER).count()).isEqualTo(customersBefore + 1);
      assertThat(Figures.read(lake, SilverJob.DIM_CUSTOMER).where("is_current").count())
          .isEqualTo(customersBefore);

      // The facts did not move: same Delta versions, same lines, same money.
      assertThat(Figures.versions(lake, List.of(SilverJob.FACT_ORDER_LINE, SilverJob.FACT_ORDER)))
          .isEqualTo(factVersions);
      assertThat(Figures.read(lake, SilverJob.FACT_ORDER_LINE).count()).isEqualTo(lines);
      assertThat(Figures.sum(Figures.read(lake, SilverJob.FACT_ORDER_LINE), "net_amount"))
          .isEqualByComparingTo(net);
      long dimAfterMove = Figures.version(lake, SilverJob.DIM_CUSTOMER);
      assertThat(dimAfterMove).isGreaterThan(dimVersion);

      // Nothing changed since: a further Bronze + Silver run leaves every Silver model table's
      // version.
      Map<String, Long> model = Figures.versions(lake, Figures.SILVER_MODEL);
      Jobs.bronze(lake, url);
      Jobs.silver(lake, "gen-silver-3");
      assertThat(Figures.version(lake, SilverJob.DIM_CUSTOMER)).isEqualTo(dimAfterMove);
      assertThat(Figures.versions(lake, Figures.SILVER_MODEL)).isEqualTo(model);
      assertThat(
              Figures.read(lake, SilverJob.DIM_CUSTOMER)
                  .where("customer_id = '" + customer + "'")
                  .count())
          .isEqualTo(2);
    }
  }
}
