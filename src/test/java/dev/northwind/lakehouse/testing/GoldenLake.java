package dev.northwind.lakehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.bronze.BronzeReport;
import dev.northwind.lakehouse.gold.GoldReport;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.RunIds;
import dev.northwind.lakehouse.pipeline.PipelineRunner;
import dev.northwind.lakehouse.pipeline.RefreshMode;
import dev.northwind.lakehouse.pipeline.RunReport;
import dev.northwind.lakehouse.silver.SilverReport;
import dev.northwind.lakehouse.source.ExistingData;
import dev.northwind.lakehouse.source.NorthwindGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The golden lake: the generator's Northwind ({@link #SCALE scale 1}, {@link #SEED seed 42}) in a
 * database of {@link TestPostgres}, taken through the product's own Bronze, Silver and Gold jobs
 * ({@link Jobs}) on the shared session, on first use. Running the three jobs costs 25 s to over a
 * minute on two cores, with their load; before it existed, each cross-layer test class paid it
 * again in its {@code @BeforeAll}. (Generating the source costs seconds: tests of a source alone
 * use it without building the lake.)
 *
 * <p>Under Maven the lake is built once per build, not once per test JVM: the pom names a folder
 * per build ({@link #SHARED_DIR}), the first JVM to need the lake builds it there under a file
 * lock, and the others (the second Surefire fork, Failsafe's JVM) wait for the lock and open it.
 * Its source stays per JVM (each JVM has its own PostgreSQL): the generator is deterministic, so
 * every JVM's source holds the rows the lake was built from, which Bronze's content fingerprints
 * and the tests comparing lake and source check. Without the property (a test started from an IDE)
 * each JVM builds its own lake.
 *
 * <p>It is read-only: no test may write to its lake or to its source database, or the classes after
 * it would see other data depending on the run order. A test that changes data takes a copy of the
 * state it needs instead, {@link #sourceCopy} and/or {@link #lakeCopy}: the same rows and the same
 * Delta history, in well under a second, and its own to change.
 */
public final class GoldenLake {

  public static final int SCALE = 1;
  public static final long SEED = NorthwindGenerator.DEFAULT_SEED;

  /**
   * System property naming the folder where the test JVMs of one Maven build share the lake (set in
   * the pom: {@code target/golden-lake/<build start>}, so no build reuses an older build's lake).
   */
  static final String SHARED_DIR = "golden.lake.dir";

  /**
   * The run reports as JSON for the JVMs that open the lake instead of building it. Instants as ISO
   * text, so no Java-time module is needed; a round trip is checked to give equal records.
   */
  private static final ObjectMapper REPORTS_JSON =
      JsonMapper.builder()
          .addModule(
              new SimpleModule()
                  .addSerializer(Instant.class, ToStringSerializer.instance)
                  .addDeserializer(
                      Instant.class,
                      new StdDeserializer<>(Instant.class) {
                        @Override
                        public Instant deserialize(JsonParser p, DeserializationContext ctx)
                            throws IOException {
                          return Instant.parse(p.getValueAsString());
                        }
                      }))
          .build();

  private static GoldenLake shared;

  private final String jdbcUrl;

  /**
   * An untouched copy of the source taken before any job ran: nobody connects to it, so it can be a
   * template.
   */
  private final String pristineUrl;

  private Stage<Reports> built;
  private Stage<RunReport> recorded;

  /** A lake and the report of what made it. */
  private record Stage<T>(Lake lake, T report) {}

  /** The reports of the three runs that built the lake. */
  record Reports(BronzeReport bronze, SilverReport silver, GoldReport gold) {}

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

  private synchronized Stage<Reports> built() {
    if (built == null) {
      built = stage("lake", Reports.class, this::build);
    }
    return built;
  }

  private synchronized Stage<RunReport> recorded() {
    if (recorded == null) {
      built();
      recorded = stage("recorded", RunReport.class, this::record);
    }
    return recorded;
  }

  /**
   * A lake made once: per Maven build in a folder {@code name} of {@link #SHARED_DIR} (made here if
   * no other JVM has, holding that stage's lock meanwhile so that the others wait rather than make
   * it too; else opened), or per JVM without the property.
   */
  private static <T> Stage<T> stage(String name, Class<T> type, Function<Lake, T> make) {
    String shared = System.getProperty(SHARED_DIR, "");
    if (shared.isEmpty()) {
      Lake lake = TestSpark.newLake();
      return new Stage<>(lake, make.apply(lake));
    }
    Path dir = Path.of(shared);
    Path root = dir.resolve(name);
    Path report = dir.resolve(name + ".json");
    try {
      Files.createDirectories(dir);
      try (FileChannel channel =
              FileChannel.open(
                  dir.resolve(name + ".lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        Lake lake = new Lake(root.toUri());
        // The report is written last: without it, the folder is what a JVM that died left.
        if (Files.exists(report)) {
          System.out.printf(
              "golden %s opened at %s (made by another JVM of this build)%n", name, root);
          return new Stage<>(lake, REPORTS_JSON.readValue(report.toFile(), type));
        }
        removeOlderBuilds(dir);
        deleteTree(root);
        Files.createDirectories(root);
        T made = make.apply(lake);
        Path tmp = dir.resolve(name + ".json.tmp");
        REPORTS_JSON.writeValue(tmp.toFile(), made);
        assertThat(REPORTS_JSON.readValue(tmp.toFile(), type))
            .as("the golden %s's report read back from JSON", name)
            .isEqualTo(made);
        Files.move(tmp, report, StandardCopyOption.ATOMIC_MOVE);
        return new Stage<>(lake, made);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot make or open the golden " + name + " in " + dir, e);
    }
  }

  /** Runs the three jobs into the empty {@code lake}. */
  private Reports build(Lake lake) {
    long t0 = System.nanoTime();
    BronzeReport bronze = Jobs.bronze(lake, jdbcUrl);
    SilverReport silver = Jobs.silver(lake, "golden-silver");
    GoldReport gold = Jobs.gold(lake, "golden-gold");
    assertThat(gold.outcome())
        .as("the golden lake's Gold run")
        .isEqualTo(GoldReport.Outcome.WRITTEN);
    System.out.printf(
        "golden lake (generator scale %d through Bronze, Silver and Gold) built in %d ms at %s%n",
        SCALE, (System.nanoTime() - t0) / 1_000_000, lake.root());
    return new Reports(bronze, silver, gold);
  }

  /**
   * Copies the golden lake into the empty {@code lake} and runs the pipeline over it and a copy of
   * the source: every dataset, incremental, recorded.
   */
  private RunReport record(Lake lake) {
    long t0 = System.nanoTime();
    copyTree(Path.of(lake().root()), Path.of(lake.root()));
    String url = sourceCopy(GoldenLake.class);
    PipelineRunner runner =
        PipelineRunner.northwind(
            TestSpark.config(Path.of(lake.root())),
            TestSpark::spark,
            lake,
            () -> TestPostgres.source(url),
            Progress.NONE);
    RunReport run = runner.run(runner.graph().select("*"), RefreshMode.INCREMENTAL, RunIds::next);
    System.out.printf(
        "golden lake's recorded pipeline run took %d ms at %s%n",
        (System.nanoTime() - t0) / 1_000_000, lake.root());
    return run;
  }

  /**
   * Deletes the lakes of earlier builds next to {@code dir} (their folder names, the build's start
   * time, sort before this one's), so that target/golden-lake holds one lake, not one per run.
   */
  private static void removeOlderBuilds(Path dir) throws IOException {
    String name = dir.getFileName().toString();
    try (Stream<Path> siblings = Files.list(dir.getParent())) {
      for (Path old : siblings.toList()) {
        if (Files.isDirectory(old) && old.getFileName().toString().compareTo(name) < 0) {
          deleteTree(old);
        }
      }
    }
  }

  private static void deleteTree(Path top) throws IOException {
    if (!Files.exists(top)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(top)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
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
    return built().report().bronze();
  }

  public SilverReport silver() {
    return built().report().silver();
  }

  public GoldReport gold() {
    return built().report().gold();
  }

  /**
   * The report of the recorded run: the pipeline (every dataset, incremental) over a copy of the
   * golden lake and of its source. The golden lake was built by the jobs directly, so that run is
   * the first to record its datasets' refreshes.
   */
  public RunReport recordedRun() {
    return recorded().report();
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
    return copy(lake());
  }

  /**
   * A new lake folder holding a file copy of the golden lake after the {@link #recordedRun recorded
   * run} (every dataset refreshed and recorded), to change at will.
   */
  public Lake recordedLakeCopy() {
    return copy(recorded().lake());
  }

  private static Lake copy(Lake from) {
    Lake copy = TestSpark.newLake();
    copyTree(Path.of(from.root()), Path.of(copy.root()));
    return copy;
  }

  private static void copyTree(Path from, Path to) {
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
  }
}
