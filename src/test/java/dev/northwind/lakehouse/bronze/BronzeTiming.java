package dev.northwind.lakehouse.bronze;

import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.NorthwindGenerator;
import dev.northwind.lakehouse.testing.Jobs;
import dev.northwind.lakehouse.testing.TestPostgres;
import dev.northwind.lakehouse.testing.TestSpark;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** Not a test: measures Bronze in a warm JVM (run explicitly with -Dtest=BronzeTiming). */
class BronzeTiming {

  @Test
  void measure() throws Exception {
    var spark = TestSpark.spark();
    int[] scales = {1, 10};
    int threadsFrom = Integer.getInteger("bronze.threads.from", 1);
    int threadsTo = Integer.getInteger("bronze.threads.to", 3);
    for (int scale : scales) {
      String url = TestPostgres.freshDatabase(BronzeTiming.class);
      try (Connection c = TestPostgres.connect(url)) {
        NorthwindGenerator.generate(c, scale, 42, ExistingData.REFUSE);
      }
      int rounds = Integer.getInteger("bronze.rounds", 2);
      for (int round = 0; round < rounds; round++) {
        for (int threads = threadsFrom; threads <= threadsTo; threads += 2) {
          Lake lake = TestSpark.newLake();
          BronzeOptions o = Jobs.bronzeOptions().withThreads(threads);
          long t0 = System.nanoTime();
          BronzeReport r =
              BronzeJob.run(
                  spark,
                  lake,
                  TestPostgres.source(url),
                  o,
                  round == rounds - 1 ? Progress.to(System.out) : Progress.NONE);
          long t1 = System.nanoTime();
          BronzeReport again =
              BronzeJob.run(spark, lake, TestPostgres.source(url), o, Progress.NONE);
          long t2 = System.nanoTime();
          System.out.printf(
              "BRONZE scale %d threads %d round %d: first %.2f s, second %.2f s, failed %d%n",
              scale,
              threads,
              round,
              (t1 - t0) / 1e9,
              (t2 - t1) / 1e9,
              r.failed().size() + again.failed().size());
        }
      }
    }
  }
}
