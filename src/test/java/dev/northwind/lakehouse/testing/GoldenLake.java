package dev.northwind.lakehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.northwind.lakehouse.bronze.BronzeReport;
import dev.northwind.lakehouse.gold.GoldReport;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.silver.SilverReport;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.NorthwindGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

/**
 * The golden lake: the generator's Northwind ({@link #SCALE scale 1}, {@link #SEED seed 42}) in a
 * database of {@link TestPostgres}, taken once per test JVM through the product's own Bronze,
 * Silver and Gold jobs ({@link Jobs}) on the shared session, on first use. Running the three jobs
 * costs about a minute on two cores; before it existed, each cross-layer test class paid it again
 * in its {@code @BeforeAll}. (Generating the source costs seconds: tests of a source alone use it
 * without building the lake.)
 *
 * <p>It is read-only: no test may write to its lake or to its source database, or the classes after
 * it would see other data depending on the run order. A test that changes data takes a copy of the
 * state it needs instead, {@link #sourceCopy} and/or {@link #lakeCopy}: the same rows and the same
 * Delta history, in well under a second, and its own to change.
 */
public final class GoldenLake {

  public static final int SCALE = 1;
  public static final long SEED = NorthwindGenerator.DEFAULT_SEED;

  private static GoldenLake shared;

  private final String jdbcUrl;

  /**
   * An untouched copy of the source taken before any job ran: nobody connects to it, so it can be a
   * template.
   */
  private final String pristineUrl;

  private Built built;

  /** The lake and the reports of the three runs that built it. */
  private record Built(Lake lake, BronzeReport bronze, SilverReport silver, GoldReport gold) {}

  private GoldenLake(String jdbcUrl, String pristineUrl) {
    this.jdbcUrl = jdbcUrl;
    this.pristineUrl = pristineUrl;
  }

  /**
   * The golden lake of this JVM. Its source database is made on the first call (seconds); the lake
   * on the first call that needs it (a minute), so a test of the source alone does not pay for it.
   */
  public static synchronized GoldenLake shared() {
    if (shared == null) {
      String url = TestPostgres.freshDatabase(GoldenLake.class);
      try (Connection c = TestPostgres.connect(url)) {
        NorthwindGenerator.generate(c, SCALE, SEED, ExistingData.REFUSE);
      } catch (SQLException e) {
        throw new IllegalStateException("Cannot generate the golden lake's source", e);
      }
      shared = new GoldenLake(url, TestPostgres.copyDatabase(url, GoldenLake.class));
    }
    return shared;
  }

  private synchronized Built built() {
    if (built == null) {
      long t0 = System.nanoTime();
      Lake lake = TestSpark.newLake();
      BronzeReport bronze = Jobs.bronze(lake, jdbcUrl);
      SilverReport silver = Jobs.silver(lake, "golden-silver");
      GoldReport gold = Jobs.gold(lake, "golden-gold");
      assertThat(gold.outcome())
          .as("the golden lake's Gold run")
          .isEqualTo(GoldReport.Outcome.WRITTEN);
      System.out.printf(
          "golden lake (generator scale %d through Bronze, Silver and Gold) built in %d ms at %s%n",
          SCALE, (System.nanoTime() - t0) / 1_000_000, lake.root());
      built = new Built(lake, bronze, silver, gold);
    }
    return built;
  }

  /** The source database the lake was built from (read-only). */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** A new connection to the source database (read-only); the caller closes it. */
  public Connection connect() throws SQLException {
    return TestPostgres.connect(jdbcUrl);
  }

  /** The lake, with every Bronze, Silver and Gold table (read-only). */
  public Lake lake() {
    return built().lake();
  }

  public BronzeReport bronze() {
    return built().bronze();
  }

  public SilverReport silver() {
    return built().silver();
  }

  public GoldReport gold() {
    return built().gold();
  }

  /**
   * A new database of {@code owner}'s holding exactly the golden source's rows, to change at will.
   */
  public String sourceCopy(Class<?> owner) {
    return TestPostgres.copyDatabase(pristineUrl, owner);
  }

  /**
   * A new lake folder holding a file copy of the golden lake (Delta keeps paths relative to the
   * table, so the copy has the same tables, versions and history), to change at will.
   */
  public Lake lakeCopy() {
    Lake copy = TestSpark.newLake();
    Path from = Path.of(lake().root());
    Path to = Path.of(copy.root());
    try (Stream<Path> walk = Files.walk(from)) {
      List<Path> paths = walk.toList();
      for (Path p : paths) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy the golden lake", e);
    }
    return copy;
  }
}
