package dev.northwind.lakehouse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.testing.TestSpark;
import java.net.URI;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class LakeTest {

  private final SparkSession spark = TestSpark.spark();

  /**
   * The session's catalog outlives any one lake: once a second lake registers the same name, SQL on
   * that name must read the second lake (a MERGE into the first one's table was a real bug).
   */
  @Test
  void registeringAnotherLakesTableRepointsTheName() {
    TableId t = TableId.silver("lake_test_register");
    Lake first = TestSpark.newLake();
    Lake second = TestSpark.newLake();
    spark.range(3).write().format("delta").save(first.location(t));
    spark.range(5).write().format("delta").save(second.location(t));

    first.register(spark, t);
    assertThat(spark.table(t.qualified()).count()).isEqualTo(3);
    second.register(spark, t);
    assertThat(spark.table(t.qualified()).count()).isEqualTo(5);
    second.register(spark, t);
    assertThat(spark.table(t.qualified()).count()).isEqualTo(5);
    // The first lake's files are untouched by the re-pointing.
    assertThat(first.read(spark, t).count()).isEqualTo(3);
  }

  @Test
  void anEmptyAuthorityIsTheSamePlace() {
    assertThat(
            Lake.sameLocation(URI.create("file:///tmp/lake/silver/x"), "file:/tmp/lake/silver/x"))
        .isTrue();
    assertThat(Lake.sameLocation(URI.create("file:/tmp/lake/silver/x"), "file:/tmp/lake2/silver/x"))
        .isFalse();
  }
}
