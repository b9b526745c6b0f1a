package dev.northwind.lakehouse.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.NorthwindLoader;
import dev.northwind.lakehouse.testing.Jobs;
import dev.northwind.lakehouse.testing.NorthwindDump;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import io.delta.tables.DeltaTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The classic dump (smallint keys, real money, bytea pictures) through one Bronze run. */
class BronzeDumpTest {

  private static final SparkSession SPARK = TestSpark.spark();
  private static String url;
  private static Connection db;
  private static Lake lake;
  private static BronzeReport report;
  private static final List<String> PROGRESS = new ArrayList<>();

  @BeforeAll
  static void ingest() throws Exception {
    url = TestPostgres.freshDatabase(BronzeDumpTest.class);
    db = TestPostgres.connect(url);
    NorthwindLoader.loadDump(db, NorthwindDump.path(), ExistingData.REFUSE);
    // The dump's pictures are empty bytea: give one category real bytes (every byte value) to
    // carry.
    BronzeSteps.exec(
        db,
        "UPDATE categories SET picture = (SELECT decode(string_agg(lpad(to_hex(b), 2, '0'), '' ORDER BY b), 'hex') FROM generate_series(0, 255) b) WHERE category_id = 1");
    lake = TestSpark.newLake();
    Progress progress =
        line -> {
          synchronized (PROGRESS) {
            PROGRESS.add(line);
          }
        };
    report = BronzeJob.run(SPARK, lake, TestPostgres.source(url), Jobs.bronzeOptions(), progress);
  }

  @AfterAll
  static void close() throws Exception {
    db.close();
  }

  @Test
  void everyTableLandsWithTheSourceRowCount() throws Exception {
    Map<String, Long> source = BronzeSteps.sourceCounts(db);
    assertThat(source).containsExactlyInAnyOrderEntriesOf(NorthwindDump.ROWS);
    assertThat(BronzeSteps.bronzeCounts(SPARK, lake, source.keySet()))
        .containsExactlyEntriesOf(source);
    assertThat(report.failed()).isEmpty();
    assertThat(report.tables())
        .extracting(BronzeReport.TableRun::table)
        .containsExactlyElementsOf(source.keySet());
    for (BronzeReport.TableRun t : report.tables()) {
      assertThat(t.rowsRead()).as(t.table()).isEqualTo(source.get(t.table()));
      assertThat(t.rowsWritten()).as(t.table()).isEqualTo(source.get(t.table()));
    }
    assertThat(PROGRESS)
        .hasSize(14)
        .allMatch(
            l ->
                l.matches(
                    "\\[\\d+/14] \\w+: (full|incremental), \\d+ rows read, \\d+ written \\(\\d+\\.\\d s\\)"));
  }

  @Test
  void lineageIsSetOnEveryRowAndTablesArePartitionedByIngestionDate() {
    for (String t : NorthwindDump.ROWS.keySet()) {
      String location = lake.location(TableId.bronze(t));
      Row nulls =
          SPARK
              .read()
              .format("delta")
              .load(location)
              .selectExpr(
                  "count(*) FILTER (WHERE _ingested_at IS NULL OR _source_system IS NULL OR _source_table IS NULL"
                      + " OR _ingestion_date IS NULL OR _run_id IS NULL)",
                  "count(DISTINCT _run_id)",
                  "min(_run_id)",
                  "min(_source_table)",
                  "min(_ingestion_date)",
                  "min(_source_system)")
              .first();
      assertThat(nulls.getLong(0)).as(t).isZero();
      if (NorthwindDump.ROWS.get(t) > 0) {
        assertThat(nulls.getLong(1)).as(t).isEqualTo(1);
        assertThat(nulls.getString(2)).as(t).isEqualTo(report.runId());
        assertThat(nulls.getString(3)).as(t).isEqualTo("public." + t);
        assertThat(nulls.getDate(4).toLocalDate())
            .isEqualTo(LocalDate.ofInstant(report.ingestedAt(), java.time.ZoneOffset.UTC));
        assertThat(nulls.getString(5))
            .isEqualTo(TestPostgres.source(url).system())
            .startsWith("postgresql:");
      }
      List<String> partitions =
          DeltaTable.forPath(SPARK, location)
              .detail()
              .select("partitionColumns")
              .first()
              .getList(0);
      assertThat(partitions).as(t).containsExactly("_ingestion_date");
    }
    assertThat(report.runId()).matches("bronze-\\d{14}-[0-9a-f]{6}");
  }

  @Test
  void runsTableHasOneSucceededRowPerTable() {
    List<Row> rows = BronzeSteps.runs(SPARK, lake, report.runId()).collectAsList();
    assertThat(rows).hasSize(14);
    assertThat(rows)
        .allSatisfy(
            r -> {
              assertThat(r.<String>getAs("status")).isEqualTo("SUCCEEDED");
              assertThat(r.<Object>getAs("error")).isNull();
              assertThat(r.<Long>getAs("rows_read")).isEqualTo(r.<Long>getAs("rows_written"));
              assertThat(r.<java.sql.Timestamp>getAs("ended_at"))
                  .isAfterOrEqualTo(r.<java.sql.Timestamp>getAs("started_at"));
            });
    assertThat(rows)
        .filteredOn(r -> r.<String>getAs("mode").equals("incremental"))
        .extracting(r -> r.<String>getAs("table_name") + "=" + r.<String>getAs("watermark_column"))
        .containsExactlyInAnyOrder("orders=order_id", "order_details=order_id");
  }

  @Test
  void valuesRoundTripUnchanged() throws Exception {
    // real 14.4 is stored as the float nearest 14.4; Bronze keeps exactly that float.
    var details = lake.read(SPARK, TableId.bronze("order_details"));
    assertThat(details.schema().apply("unit_price").dataType()).isEqualTo(DataTypes.FloatType);
    long pg =
        BronzeSteps.scalar(db, "SELECT count(*) FROM order_details WHERE unit_price = 14.4::real");
    assertThat(pg).isPositive();
    assertThat(details.filter("unit_price = CAST(14.4 AS FLOAT)").count()).isEqualTo(pg);
    Row one = details.filter("unit_price = CAST(14.4 AS FLOAT)").first();
    assertThat(one.<Float>getAs("unit_price")).isEqualTo(14.4f);

    Row order = lake.read(SPARK, TableId.bronze("orders")).filter("order_id = 10248").first();
    assertThat(order.<java.sql.Date>getAs("order_date").toLocalDate())
        .isEqualTo(LocalDate.of(1996, 7, 4));
    assertThat(order.<Object>getAs("ship_region")).isNull();
    try (PreparedStatement ps =
            db.prepareStatement("SELECT ship_region, freight FROM orders WHERE order_id = 10248");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      assertThat(rs.getString(1)).isNull();
      assertThat(order.<Float>getAs("freight")).isEqualTo(rs.getFloat(2));
    }

    for (Row c :
        lake.read(SPARK, TableId.bronze("categories"))
            .select("category_id", "picture")
            .collectAsList()) {
      try (PreparedStatement ps =
          db.prepareStatement("SELECT picture FROM categories WHERE category_id = ?")) {
        ps.setInt(1, ((Number) c.get(0)).intValue());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          byte[] expected = rs.getBytes(1);
          assertThat((byte[]) c.get(1)).isEqualTo(expected);
          if (((Number) c.get(0)).intValue() == 1) {
            assertThat(expected).hasSize(256);
            assertThat(expected[255]).isEqualTo((byte) 0xff);
          }
        }
      }
    }
  }
}
