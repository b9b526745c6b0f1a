package dev.northwind.lakehouse.cluster;

import dev.northwind.lakehouse.config.ConfigLoader;
import dev.northwind.lakehouse.config.LakehouseConfig;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.Schemas;
import dev.northwind.lakehouse.lake.SparkSessions;
import dev.northwind.lakehouse.lake.TableId;
import dev.northwind.lakehouse.lake.Verbosity;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A driver run in its own JVM (the test JVM already holds its one SparkContext) against a
 * standalone cluster: writes a small Delta table through {@link Lake}, MERGEs into it, and prints
 * {@code KEY=value} lines the test reads. Rows record the executor that produced them, and the
 * mapping function is this class's own code, so the run proves executors loaded the application's
 * classes and did the work.
 *
 * <p>Arguments: master URL, lake folder, services folder, executor extra class path.
 */
public final class ClusterProbe {

  /** The probe table. */
  static final TableId TABLE = TableId.bronze("cluster_probe");

  static final StructType SCHEMA =
      Schemas.of("id INT NOT NULL, amount DECIMAL(12,4) NOT NULL, written_by STRING NOT NULL");

  private ClusterProbe() {}

  public static void main(String[] args) throws Exception {
    String master = args[0];
    Path lakeDir = Path.of(args[1]);
    Path servicesDir = Path.of(args[2]);
    String appClassPath = args[3];
    long t0 = System.currentTimeMillis();
    LakehouseConfig config =
        ConfigLoader.load(
            Map.of(
                "lake.root", lakeDir.toString(),
                "services.dir", servicesDir.toString(),
                "spark.master", master,
                "spark.conf",
                    String.join(
                        ",",
                        // Executors must find the application's classes; on a real cluster
                        // spark-submit
                        // ships the jar instead.
                        "spark.executor.extraClassPath=" + appClassPath,
                        "spark.executor.memory=512m",
                        "spark.executor.cores=1",
                        "spark.cores.max=2",
                        "spark.sql.shuffle.partitions=4")),
            Map.of(),
            Optional.empty());
    SparkSession spark = SparkSessions.session(config, Verbosity.QUIET);
    try {
      System.out.println("DRIVER_HOST=" + spark.conf().get("spark.driver.host"));
      System.out.println("SESSION_MS=" + (System.currentTimeMillis() - t0));
      int executors = awaitExecutors(spark, 2, 120_000);
      System.out.println("EXECUTORS=" + executors);
      Lake lake = new Lake(config.lakeRoot());

      long t1 = System.currentTimeMillis();
      // 4 partitions on 2 one-core executors: both executors get tasks.
      Dataset<Row> rows =
          spark
              .range(0, 1000, 1, 4)
              .mapPartitions(
                  (MapPartitionsFunction<Long, Row>) ClusterProbe::tagged, Encoders.row(SCHEMA));
      rows.write().format("delta").mode("overwrite").save(lake.location(TABLE));
      System.out.println("WRITE_MS=" + (System.currentTimeMillis() - t1));

      long t2 = System.currentTimeMillis();
      // Updates ids 0..99 (amount + 1) and inserts 1000..1099.
      Dataset<Row> changes =
          spark
              .range(0, 1100, 1, 4)
              .filter("id < 100 OR id >= 1000")
              .mapPartitions(
                  (MapPartitionsFunction<Long, Row>) ClusterProbe::tagged, Encoders.row(SCHEMA))
              .selectExpr("id", "CAST(amount + 1 AS DECIMAL(12,4)) AS amount", "written_by");
      lake.delta(spark, TABLE)
          .as("t")
          .merge(changes.as("s"), "t.id = s.id")
          .whenMatched()
          .updateAll()
          .whenNotMatched()
          .insertAll()
          .execute();
      System.out.println("MERGE_MS=" + (System.currentTimeMillis() - t2));
      System.out.println("ROWS=" + lake.read(spark, TABLE).count());
    } finally {
      spark.stop();
    }
    System.out.println("PROBE_OK");
    System.exit(0);
  }

  /** id, amount = id / 4 exactly, and the id of the executor that ran this task. */
  static Iterator<Row> tagged(Iterator<Long> ids) {
    String executor = SparkEnv.get().executorId();
    List<Row> out = new ArrayList<>();
    while (ids.hasNext()) {
      long id = ids.next();
      out.add(
          RowFactory.create(
              (int) id,
              BigDecimal.valueOf(id).divide(BigDecimal.valueOf(4)).setScale(4),
              executor));
    }
    return out.iterator();
  }

  /** Waits until the cluster has given this application {@code n} executors. */
  private static int awaitExecutors(SparkSession spark, int n, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    int count;
    // The list includes the driver itself.
    while ((count = spark.sparkContext().statusTracker().getExecutorInfos().length - 1) < n) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "only " + count + " executors registered after " + timeoutMillis + " ms");
      }
      Thread.sleep(200);
    }
    return count;
  }
}
