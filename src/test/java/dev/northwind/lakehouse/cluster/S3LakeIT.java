package dev.northwind.lakehouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Layer;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.testing.S3Server;
import dev.northwind.lakehouse.testing.TestSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A lake whose root is {@code s3a://bucket/lake} on an S3-compatible server behaves exactly like a
 * local one: the same Delta write and MERGE through {@link Lake} give the same rows, and the files
 * land in the bucket.
 */
class S3LakeIT {

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
  void deltaWriteAndMergeOnS3aGiveTheSameRowsAsOnALocalLake() {
    SparkSession spark = TestSpark.spark();
    Lake s3Lake = new Lake(s3.uri("lake"));
    Lake localLake = TestSpark.newLake();
    TableId table = TableId.silver("s3_probe");

    // Local first, so the s3a timing does not include the JVM's first Delta write and MERGE.
    long t0 = System.currentTimeMillis();
    List<Row> local = writeAndMerge(spark, localLake, table);
    long localMillis = System.currentTimeMillis() - t0;
    long t1 = System.currentTimeMillis();
    List<Row> onS3 = writeAndMerge(spark, s3Lake, table);
    System.out.printf(
        "Delta write + MERGE + read: local %d ms, s3a %d ms%n",
        localMillis, System.currentTimeMillis() - t1);

    assertThat(s3Lake.location(table)).isEqualTo("s3a://" + s3.bucket() + "/lake/silver/s3_probe");
    assertThat(onS3).hasSize(60).isEqualTo(local);
    assertThat(s3Lake.exists(spark, table)).isTrue();
    assertThat(s3Lake.tables(spark, Layer.SILVER)).containsExactly(table);
    assertThat(s3Lake.delta(spark, table).history().count()).isEqualTo(2);

    try (var client = s3.client()) {
      List<String> keys =
          client
              .listObjectsV2Paginator(b -> b.bucket(s3.bucket()).prefix("lake/silver/s3_probe/"))
              .contents()
              .stream()
              .map(S3Object::key)
              .toList();
      assertThat(keys)
          .anyMatch(k -> k.endsWith("_delta_log/00000000000000000001.json"))
          .anyMatch(k -> k.endsWith(".parquet"));
    }
    assertThat(s3.toString()).doesNotContain(s3.secretKey()).doesNotContain(s3.accessKey());
  }

  /** 50 rows, then a MERGE updating 10 of them and inserting 10; returns the table sorted by id. */
  private static List<Row> writeAndMerge(SparkSession spark, Lake lake, TableId table) {
    Dataset<Row> first =
        spark
            .range(0, 50, 1, 2)
            .selectExpr(
                "CAST(id AS INT) AS id",
                "CAST(id * 1.25 AS DECIMAL(12,4)) AS amount",
                "'v1' AS version");
    first.write().format("delta").mode("overwrite").save(lake.location(table));
    Dataset<Row> changes =
        spark
            .range(40, 60, 1, 2)
            .selectExpr(
                "CAST(id AS INT) AS id",
                "CAST(id * 2.5 AS DECIMAL(12,4)) AS amount",
                "'v2' AS version");
    lake.delta(spark, table)
        .as("t")
        .merge(changes.as("s"), "t.id = s.id")
        .whenMatched()
        .updateAll()
        .whenNotMatched()
        .insertAll()
        .execute();
    return lake.read(spark, table).orderBy("id").collectAsList();
  }
}
