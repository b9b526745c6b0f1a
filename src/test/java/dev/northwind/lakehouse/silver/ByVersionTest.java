package dev.northwind.lakehouse.silver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.testing.TestSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A value kept per table version: computed once per version, released when replaced. */
class ByVersionTest {

  @Test
  void aValueIsComputedOncePerVersionAndTheOldOneReleased() {
    SparkSession spark = TestSpark.spark();
    Lake lake = TestSpark.newLake();
    TableId table = TableId.silver("dim_product");
    spark.range(3).toDF("product_id").write().format("delta").save(lake.location(table));

    List<Long> computed = new ArrayList<>();
    List<Long> released = new ArrayList<>();
    ByVersion<Long> rows = new ByVersion<>(released::add);
    LongFunction<Long> count =
        v -> {
          computed.add(v);
          return lake.readAt(spark, table, v).count();
        };

    assertThat(rows.get(spark, lake, table, count)).isEqualTo(3);
    assertThat(rows.get(spark, lake, table, count)).isEqualTo(3);
    assertThat(computed).containsExactly(0L);

    // A new version (a product added) is seen by the next lookup, and the old value let go.
    spark
        .range(3, 4)
        .toDF("product_id")
        .write()
        .format("delta")
        .mode("append")
        .save(lake.location(table));
    assertThat(rows.get(spark, lake, table, count)).isEqualTo(4);
    assertThat(computed).containsExactly(0L, 1L);
    assertThat(released).containsExactly(3L);
  }
}
