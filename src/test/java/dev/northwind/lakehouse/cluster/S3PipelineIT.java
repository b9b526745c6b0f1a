package dev.northwind.lakehouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.gold.GoldTables;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Layer;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.testing.S3Server;
import dev.northwind.lakehouse.testing.TestSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The whole batch pipeline over the real Northwind dump with the lake on an S3-compatible server
 * ({@code s3a://bucket/lake}): Gold read back from the bucket equals a local lake's Gold, and the
 * credentials never show up in what the jobs report.
 */
class S3PipelineIT {

  private static S3Server s3;

  @BeforeAll
  static void startS3() {
    s3 = S3Server.start();
    // The session is shared by the whole test JVM; the settings are scoped to this bucket.
    s3.configure(TestSpark.spark().sparkContext().hadoopConfiguration());
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void pipelineOnS3aGivesTheSameGoldAsALocalLake() throws Exception {
    SparkSession spark = TestSpark.spark();
    // Reference first, so the s3a timing does not include the JVM's first Delta writes.
    Lake reference = ReferenceLake.lake();
    Lake s3Lake = new Lake(s3.uri("lake"));
    List<String> progress = new ArrayList<>();
    Progress captured =
        line -> {
          synchronized (progress) {
            progress.add(line);
          }
        };

    long t0 = System.currentTimeMillis();
    ReferenceLake.run(spark, s3Lake, ReferenceLake.jdbcUrl(), captured);
    System.out.printf("pipeline over the dump on s3a: %d ms%n", System.currentTimeMillis() - t0);

    assertThat(s3Lake.location(TableId.gold("kpi_summary")))
        .isEqualTo("s3a://" + s3.bucket() + "/lake/gold/kpi_summary");
    assertThat(s3Lake.tables(spark, Layer.GOLD)).hasSize(GoldTables.NAMES.size());
    ReferenceLake.assertSameGold(spark, reference, s3Lake, "s3a");

    try (var client = s3.client()) {
      List<String> keys =
          client
              .listObjectsV2Paginator(b -> b.bucket(s3.bucket()).prefix("lake/"))
              .contents()
              .stream()
              .map(S3Object::key)
              .toList();
      assertThat(keys)
          .anyMatch(k -> k.startsWith("lake/bronze/order_details/_delta_log/"))
          .anyMatch(k -> k.startsWith("lake/silver/fact_order_line/") && k.endsWith(".parquet"))
          .anyMatch(k -> k.startsWith("lake/gold/rfm_segment/_delta_log/"));
    }
    String reported = String.join("\n", progress);
    assertThat(progress).isNotEmpty();
    assertThat(reported).contains("gold.");
    assertThat(reported).doesNotContain(s3.secretKey()).doesNotContain(s3.accessKey());
  }
}
