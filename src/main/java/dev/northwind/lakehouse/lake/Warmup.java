package dev.northwind.lakehouse.lake;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A small workload touching what every job uses (Spark's SQL planner and code generation, Delta's
 * write, MERGE, log replay and history, the JDBC driver and the Kafka client), run once by the
 * launcher under {@code -XX:ArchiveClassesAtExit}: the class-data archive it leaves makes every
 * later start load and verify those classes from memory-mapped data instead of thousands of jar
 * entries, which is most of a cold start's cost.
 */
public final class Warmup {

  private Warmup() {}

  /** Runs the workload in {@code dir} (a scratch folder the caller deletes). */
  public static void run(SparkSession spark, Path dir) throws ClassNotFoundException {
    String table = dir.resolve("warmup").toUri().toString();
    Dataset<Row> rows =
        spark
            .range(0, 2_000)
            .selectExpr(
                "id",
                "CAST(id % 7 AS INT) AS k",
                "CAST(id * 1.25 AS DECIMAL(12,2)) AS amount",
                "DATE'1996-07-04' + CAST(id % 365 AS INT) AS day",
                "CONCAT('c', CAST(id % 91 AS STRING)) AS customer");
    rows.write().format("delta").mode(SaveMode.Overwrite).partitionBy("k").save(table);
    rows.createOrReplaceTempView("warmup_changes");
    spark.sql(
        "MERGE INTO delta.`"
            + table
            + "` t USING (SELECT * FROM warmup_changes WHERE id % 3 = 0) s ON t.id = s.id"
            + " WHEN MATCHED AND t.amount <> s.amount * 2 THEN UPDATE SET amount = s.amount * 2"
            + " WHEN NOT MATCHED THEN INSERT *");
    spark
        .sql(
            "WITH l AS (SELECT customer, day, SUM(amount) AS net FROM delta.`"
                + table
                + "` GROUP BY customer, day),"
                + " r AS (SELECT customer, MAX(day) AS last, COUNT(*) AS n, SUM(net) AS m,"
                + " NTILE(4) OVER (ORDER BY SUM(net)) AS q FROM l GROUP BY customer)"
                + " SELECT r.*, ROW_NUMBER() OVER (PARTITION BY q ORDER BY m DESC) AS rank,"
                + " SUM(m) OVER (ORDER BY last ROWS UNBOUNDED PRECEDING) AS cumulative"
                + " FROM r LEFT JOIN (SELECT DISTINCT customer FROM warmup_changes) c"
                + " ON r.customer = c.customer")
        .collectAsList();
    spark.sql("DESCRIBE HISTORY delta.`" + table + "`").collectAsList();
    Class.forName("org.postgresql.Driver");
    Class.forName("org.apache.kafka.clients.producer.KafkaProducer");
    Class.forName("org.apache.kafka.clients.consumer.KafkaConsumer");
  }
}
