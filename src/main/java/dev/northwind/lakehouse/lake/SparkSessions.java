package dev.northwind.lakehouse.lake;

import dev.northwind.lakehouse.config.ConfigKeys;
import dev.northwind.lakehouse.config.LakehouseConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession of a process, configured for the lake: Delta's extension and catalog,
 * an in-memory catalog (tables are found from the lake's folders, no metastore), UTC dates, and
 * quiet logs. The same code path serves {@code local[*]} and {@code spark://} masters; only
 * settings that are safe for local mode alone are limited to it.
 */
public final class SparkSessions {

  /** Whether Spark compresses cached Datasets (a session setting). */
  public static final String IN_MEMORY_COMPRESSED = "spark.sql.inMemoryColumnarStorage.compressed";

  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");

  /** The local property Spark shows as a job's description. */
  private static final String JOB_DESCRIPTION = "spark.job.description";

  private SparkSessions() {}

  /**
   * The settings the session is built with, in order. Precedence: the lakehouse's own spark.conf
   * and an explicitly configured spark.master win; then settings already given to the JVM by
   * spark-submit ({@code --master}, {@code --conf}, spark-defaults.conf arrive as system
   * properties); then the defaults below.
   */
  public static Map<String, String> settings(LakehouseConfig config) {
    Map<String, String> s = new LinkedHashMap<>();
    String master = master(config);
    boolean local = master.startsWith("local");
    s.put("spark.master", master);
    s.put("spark.app.name", "northwind-lakehouse");
    s.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    s.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    s.put("spark.sql.catalogImplementation", "in-memory");
    s.put("spark.sql.session.timeZone", "UTC");
    s.put("spark.ui.enabled", "false");
    s.put("spark.ui.showConsoleProgress", "false");
    // Local data is small: 200 shuffle partitions would mean 200 tiny tasks and files per stage.
    s.put("spark.sql.shuffle.partitions", local ? "4" : "64");
    s.put("spark.sql.adaptive.enabled", "true");
    s.put("spark.sql.adaptive.coalescePartitions.enabled", "true");
    // Delta replays its log with this many partitions; 50 is sized for huge tables.
    s.put("spark.databricks.delta.snapshotPartitions", local ? "2" : "8");
    // optimizeWrite adds a shuffle before every write to bin files; locally each write is a few
    // partitions already, so it only costs a stage per write (Bronze's 14 tables, Gold's 10).
    s.put("spark.databricks.delta.optimizeWrite.enabled", local ? "false" : "true");
    s.put("spark.databricks.delta.autoCompact.enabled", "false");
    // Stopping a query waits for its thread by default without end; a batch stuck on a broker that
    // died must not keep the stream from reporting it and exiting (the checkpoint replays it).
    s.put("spark.sql.streaming.stopTimeout", "60s");
    s.put("spark.databricks.delta.retentionDurationCheck.enabled", "true");
    // Generated code is compiled once per distinct query text and kept in a cache of 100 classes
    // by default. A refresh plans a few hundred such pieces (expectations, MERGEs, Gold queries),
    // so each run evicted the last run's classes and compiled them again, and the JIT had to warm
    // them up again too. At scale 100, medians of 3 in one bench: Bronze 4.9 -> 3.8 s, Silver
    // 16.5 -> 13.9 s, Gold 20.0 -> 16.9 s. Compiled classes are small (a few KB to ~100 KB).
    s.put("spark.sql.codegen.cache.maxEntries", "2000");
    // Spark 4 isolates each SparkSession's artifacts (added jars and classes) by default: the
    // executors then give every session a class loader of its own, and the compiled-code cache is
    // keyed by class loader, so each new session (every Gold refresh, every run's non-adaptive
    // session) compiled all its generated code again, and looked up missing classes through the
    // driver. The lakehouse adds no artifacts to sessions. In the bench's stream stage at scale 1,
    // 913 of 1,562 code compiles (20 s of CPU in 64 s on 2 cores) were of code compiled before.
    s.put("spark.sql.artifact.isolation.enabled", "false");
    if (local) {
      // Cached Datasets (Silver's checked rows, Gold's bases) are built once and read a few times
      // within one run; choosing a compression per column (dictionary and run-length statistics
      // over every value) cost more CPU than the reads saved. At scale 1000 on 2 cores, medians
      // of 3 in one bench each: Silver 44.5 -> 41.0 s, Gold 25.2 -> 23.6 s, ~0.3 GB more heap. A
      // cluster keeps Spark's default, where executors' memory is the scarcer resource.
      s.put(IN_MEMORY_COMPRESSED, "false");
    }
    s.put(
        "spark.sql.warehouse.dir",
        config.servicesDir().resolve("spark-warehouse").toUri().toString());
    s.put("spark.driver.extraJavaOptions", "-Dlog4j2.level=warn");
    if (local) {
      // Hadoop's local file system starts a chmod or readlink process for every file it writes
      // or renames (thousands a run); this one does the same through java.nio. Local masters only:
      // there the driver is the only JVM that must load it.
      s.put("spark.hadoop.fs.file.impl", NioLocalFileSystem.class.getName());
      s.put("spark.hadoop.fs.AbstractFileSystem.file.impl", NioLocalFs.class.getName());
    }
    if (local || loopback(master)) {
      // Spark would bind to the machine's external address; a laptop run (or a standalone
      // cluster on this machine) needs loopback only. A remote cluster's executors must reach
      // the driver, so there Spark's own choice (or spark-submit's) stands.
      s.put("spark.driver.host", "127.0.0.1");
      s.put("spark.driver.bindAddress", "127.0.0.1");
    }
    // spark-submit's --conf values must not be overwritten by the defaults above.
    s.keySet().removeIf(k -> !k.equals("spark.master") && System.getProperty(k) != null);
    s.putAll(config.spark().conf());
    return s;
  }

  /**
   * The master: the configured one when set explicitly; else the one spark-submit gave ({@code
   * --master}); else the default {@code local[*]}.
   */
  static String master(LakehouseConfig config) {
    LakehouseConfig.Resolved r = config.raw().get(ConfigKeys.SPARK_MASTER.name());
    boolean explicit = r != null && r.origin() != LakehouseConfig.Origin.DEFAULT;
    String submitted = System.getProperty("spark.master");
    return !explicit && submitted != null && !submitted.isBlank()
        ? submitted
        : config.spark().master();
  }

  /** Whether a spark:// master runs on this machine's loopback address. */
  static boolean loopback(String master) {
    if (!master.startsWith("spark://")) {
      return false;
    }
    // spark://host:port, or spark://h1:p1,h2:p2 for standby masters: all must be loopback.
    for (String hostPort : master.substring("spark://".length()).split(",")) {
      String host =
          hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
      if (!LOOPBACK_HOSTS.contains(host.toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The Hadoop configuration the session would have, without starting Spark: Hadoop's defaults plus
   * every {@code spark.hadoop.*} setting (e.g. the s3a endpoint and keys), as Spark copies them.
   * For looking at the lake's files before deciding to start a session.
   */
  public static Configuration hadoop(LakehouseConfig config) {
    Configuration hadoop = new Configuration();
    Map<String, String> all = new LinkedHashMap<>();
    // spark-submit's --conf values arrive as system properties; the session reads them too.
    System.getProperties().stringPropertyNames().forEach(k -> all.put(k, System.getProperty(k)));
    all.putAll(settings(config));
    all.forEach(
        (k, v) -> {
          if (k.startsWith(SPARK_HADOOP)) {
            hadoop.set(k.substring(SPARK_HADOOP.length()), v);
          }
        });
    return hadoop;
  }

  private static final String SPARK_HADOOP = "spark.hadoop.";

  /**
   * Returns the process's session, creating it on first use.
   *
   * @param config the effective configuration
   * @param verbosity quiet hides Spark's INFO logs
   */
  public static synchronized SparkSession session(LakehouseConfig config, Verbosity verbosity) {
    quiet(verbosity);
    SparkSession.Builder b = SparkSession.builder();
    settings(config).forEach(b::config);
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel(verbosity == Verbosity.VERBOSE ? "INFO" : "WARN");
    return spark;
  }

  /**
   * A session of the caller's context (same cache, same settings, its own temp views) whose plans
   * run without adaptive execution. The batch jobs run dozens of small queries of several shuffles
   * each: adaptive execution runs every shuffle as a Spark job of its own and re-plans between
   * them, which on this data costs more than its re-optimisation can save.
   *
   * <p>Without adaptive execution nothing coalesces small shuffle partitions, so shuffles are sized
   * here from the job's input: one partition per {@link #INPUT_BYTES_PER_PARTITION} of input files,
   * at least one and at most two per core the session has (never above
   * spark.sql.shuffle.partitions). Each partition is a task per shuffle stage; on small data more
   * tasks only add their fixed cost, where adaptive execution would have merged them.
   *
   * @param inputBytes bytes of the tables the job reads (e.g. {@link Lake#bytes})
   */
  public static SparkSession nonAdaptive(SparkSession caller, long inputBytes) {
    SparkSession s = caller.newSession();
    s.conf().set("spark.sql.adaptive.enabled", "false");
    s.conf()
        .set(
            SHUFFLE_PARTITIONS,
            Integer.toString(
                shufflePartitions(
                    Integer.parseInt(caller.conf().get(SHUFFLE_PARTITIONS)),
                    caller.sparkContext().defaultParallelism(),
                    inputBytes)));
    return s;
  }

  /**
   * Runs {@code work} with {@code step} in front of the description of the Spark jobs it starts
   * (kept after it: a stream's query id and batch), so the Spark UI and the event log say which
   * step of a run each job belongs to. Inside a micro-batch every job otherwise carries the same
   * stream description, and the time of a batch cannot be split by step.
   */
  public static <T> T step(SparkSession spark, String step, Supplier<T> work) {
    SparkContext sc = spark.sparkContext();
    String before = sc.getLocalProperty(JOB_DESCRIPTION);
    sc.setLocalProperty(
        JOB_DESCRIPTION, before == null || before.isBlank() ? step : step + " · " + before);
    try {
      return work.get();
    } finally {
      sc.setLocalProperty(JOB_DESCRIPTION, before);
    }
  }

  /** {@link #step(SparkSession, String, Supplier)} for work with no result. */
  public static void step(SparkSession spark, String step, Runnable work) {
    step(
        spark,
        step,
        () -> {
          work.run();
          return null;
        });
  }

  /** Input bytes (compressed Parquet) per shuffle partition of {@link #nonAdaptive}. */
  public static final long INPUT_BYTES_PER_PARTITION = 2L * 1024 * 1024;

  static int shufflePartitions(int configured, int cores, long inputBytes) {
    long bySize =
        Math.max(
            1,
            (Math.max(0, inputBytes) + INPUT_BYTES_PER_PARTITION - 1) / INPUT_BYTES_PER_PARTITION);
    long perCore = Math.max(2, 2L * cores);
    return (int) Math.max(1, Math.min(configured, Math.min(perCore, bySize)));
  }

  private static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";

  /**
   * The Dataset with its scan planned now, once, as an RDD over the files it reads. Delta plans a
   * scan (log replay, file listing, data skipping: a few Spark jobs) every time a query over the
   * table is planned; a table read by several queries of one run pays that once this way. The RDD
   * keeps its lineage, so a lost partition is re-read from the same files.
   *
   * <p>The RDD carries Spark's internal rows. The public route ({@code createDataFrame(javaRDD(),
   * schema)}) turns every row into a {@code Row} of Java objects and back, which a profile of Gold
   * at scale 100 showed as about a third of its executor time; {@code internalCreateDataFrame} is
   * what Spark's own checkpoint uses, Scala-private but public in the bytecode of the pinned Spark.
   */
  public static Dataset<Row> planned(Dataset<Row> table) {
    org.apache.spark.sql.classic.Dataset<Row> classic =
        (org.apache.spark.sql.classic.Dataset<Row>) table;
    return classic
        .sparkSession()
        .internalCreateDataFrame(classic.queryExecution().toRdd(), table.schema(), false);
  }

  /** Sets log levels before Spark starts, so even its start-up lines obey --verbose. */
  public static void quiet(Verbosity verbosity) {
    Configurator.setRootLevel(verbosity == Verbosity.VERBOSE ? Level.INFO : Level.WARN);
    // A failed job (a source gone mid-read, an unwritable lake) makes Spark, Delta and Hadoop log
    // the failure with stack traces from several threads before it reaches the CLI, which prints
    // it as one line with its cause and fix. Quiet runs show only that line; --verbose shows all.
    Level engines = verbosity == Verbosity.VERBOSE ? Level.INFO : Level.OFF;
    for (String name : ENGINE_LOGGERS) {
      Configurator.setLevel(name, engines);
    }
  }

  private static final List<String> ENGINE_LOGGERS =
      List.of(
          "org.apache.spark",
          "org.apache.spark.sql.delta",
          "org.apache.spark.sql.kafka010",
          "io.delta",
          "org.apache.hadoop",
          "org.apache.hadoop.fs",
          "org.apache.kafka",
          "kafka");
}
