package dev.northwind.lakehouse.dashboard;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.xxhash64;

import dev.northwind.lakehouse.Json;
import dev.northwind.lakehouse.gold.GoldSummary;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.lake.TableId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * The dashboard's data, read from the Gold tables through {@link Lake} and shaped as JSON-ready
 * maps. Everything collected to the driver is bounded: the per-country and per-month tables are
 * small by construction (countries × months), the recency histogram is aggregated in Spark, and the
 * scatter plot is capped at {@link #DEFAULT_SCATTER_LIMIT} points.
 *
 * <p>Scatter sampling: when there are more customers than the cap, the points are the customers
 * with the smallest {@code xxhash64(customer_id)} (ties by id). That is a uniform, deterministic
 * sample: every segment keeps its share, and the same customers stay on the chart from one poll to
 * the next. The JSON says how many customers there are and how many are shown.
 *
 * <p>Money: Gold keeps exact DECIMALs; here they are rounded half-up to 2 decimals, for display
 * only, and written as JSON numbers.
 *
 * <p>Caching: a snapshot is reused while the Delta versions of the Gold tables it reads are
 * unchanged (found by listing each table's {@code _delta_log}, which runs no Spark job), and the
 * versions are checked at most once per {@link #RECHECK}. Thread-safe.
 */
public final class DashboardData {

  /** Most customers drawn on the scatter plot. */
  public static final int DEFAULT_SCATTER_LIMIT = 2000;

  /**
   * How long a snapshot is served before the Gold versions are looked at again; also how often the
   * dashboard's feed reads (a look is a few log listings).
   */
  public static final Duration RECHECK = Duration.ofSeconds(1);

  /** Shown (and returned as {@code message}) when the lake has no Gold data. */
  public static final String EMPTY_MESSAGE =
      "No Gold data yet: run `lakehouse demo` or `lakehouse gold`";

  /** The country filter value that selects every country (the overall curve). */
  public static final String ALL_COUNTRIES = "ALL";

  static final TableId KPI_SUMMARY = GoldSummary.KPI_SUMMARY;
  static final TableId REVENUE_BY_COUNTRY = TableId.gold("revenue_by_country");
  static final TableId RFM_SEGMENT = GoldSummary.RFM_SEGMENT;
  static final TableId RFM_CUSTOMER = TableId.gold("rfm_customer");
  static final TableId REVENUE_BY_MONTH = TableId.gold("revenue_by_month");
  static final TableId REVENUE_CUMULATIVE_BY_COUNTRY =
      TableId.gold("revenue_cumulative_by_country");
  static final List<TableId> TABLES =
      List.of(
          KPI_SUMMARY,
          REVENUE_BY_COUNTRY,
          RFM_SEGMENT,
          RFM_CUSTOMER,
          REVENUE_BY_MONTH,
          REVENUE_CUMULATIVE_BY_COUNTRY);

  /** Bucket widths (days) the recency histogram may use: whole weeks, months, quarters, years. */
  private static final int[] RECENCY_WIDTHS = {7, 14, 30, 60, 90, 180, 365, 730};

  private static final int RECENCY_MAX_BUCKETS = 12;

  private final SparkSession spark;
  private final Lake lake;
  private final int scatterLimit;
  private final Clock clock;

  private Snapshot cached;
  private Instant checkedAt = Instant.MIN;

  /** Data of the lake's Gold tables, with the default scatter cap. */
  public DashboardData(SparkSession spark, Lake lake) {
    this(spark, lake, DEFAULT_SCATTER_LIMIT);
  }

  /**
   * Data of the lake's Gold tables.
   *
   * @param scatterLimit most customers drawn on the scatter plot (≥ 1)
   */
  public DashboardData(SparkSession spark, Lake lake, int scatterLimit) {
    this(spark, lake, scatterLimit, Clock.systemUTC());
  }

  /**
   * As above, with the clock that times the re-checks (tests advance their own instead of
   * sleeping).
   */
  DashboardData(SparkSession spark, Lake lake, int scatterLimit, Clock clock) {
    if (scatterLimit < 1) {
      throw new IllegalArgumentException("scatterLimit must be at least 1: " + scatterLimit);
    }
    this.spark = spark;
    this.lake = lake;
    this.scatterLimit = scatterLimit;
    this.clock = clock;
  }

  /** The lake read. */
  public Lake lake() {
    return lake;
  }

  /**
   * The current snapshot: reused while the Gold tables' Delta versions are unchanged, else re-read.
   */
  public synchronized Snapshot snapshot() {
    Instant now = clock.instant();
    if (cached != null && now.isBefore(checkedAt.plus(RECHECK))) {
      return cached;
    }
    String fingerprint = fingerprint();
    checkedAt = now;
    if (cached == null || !cached.version().equals(fingerprint)) {
      cached = read(fingerprint);
    }
    return cached;
  }

  /**
   * The Gold tables' latest Delta versions, e.g. {@code kpi_summary=3,revenue_by_country=-1} (-1:
   * the table does not exist), from their logs' listings: no Spark job, so polling is cheap.
   */
  private String fingerprint() {
    StringJoiner j = new StringJoiner(",");
    for (TableId t : TABLES) {
      j.add(t.name() + "=" + lake.version(spark, t));
    }
    return j.toString();
  }

  private Snapshot read(String fingerprint) {
    Optional<Map<String, Object>> summary = summary();
    if (summary.isEmpty()) {
      return Snapshot.empty(fingerprint);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("state", "ready");
    doc.put("version", fingerprint);
    doc.put("summary", summary.get());
    List<Map<String, Object>> countries =
        table(REVENUE_BY_COUNTRY)
            .map(
                d ->
                    rows(
                        d.select(
                                "country",
                                "net_revenue",
                                "orders",
                                "customers",
                                "avg_basket",
                                "revenue_share",
                                "rank")
                            .orderBy(col("rank"), col("country"))))
            .orElse(List.of());
    doc.put("countries", countries);
    doc.put(
        "segments",
        table(RFM_SEGMENT)
            .map(
                d ->
                    rows(
                        d.select(
                                "segment",
                                "customers",
                                "revenue",
                                "revenue_share",
                                "avg_recency",
                                "avg_frequency",
                                "avg_monetary",
                                "action",
                                "sort_order")
                            .orderBy(col("sort_order"), col("segment"))))
            .orElse(List.of()));
    Optional<Dataset<Row>> rfm = table(RFM_CUSTOMER);
    // One pass for both the histogram's range and the scatter's total.
    Optional<Row> stats = rfm.map(d -> d.agg(max(col("recency_days")), count(lit(1))).first());
    doc.put(
        "recency",
        rfm.map(d -> recency(d, stats.get()))
            .orElse(Map.of("bucket_days", 0, "buckets", List.of())));
    doc.put(
        "scatter",
        rfm.map(d -> scatter(d, stats.get().getLong(1)))
            .orElse(Map.of("total", 0L, "shown", 0L, "limit", scatterLimit, "points", List.of())));
    doc.put(
        "months",
        table(REVENUE_BY_MONTH)
            .map(
                d ->
                    rows(
                        d.select(
                                "month",
                                "year_month",
                                "orders",
                                "net_revenue",
                                "cumulative_net_revenue")
                            .orderBy("month")))
            .orElse(List.of()));
    Map<String, List<Map<String, Object>>> byCountry = new LinkedHashMap<>();
    table(REVENUE_CUMULATIVE_BY_COUNTRY)
        .ifPresent(
            d -> {
              for (Map<String, Object> r :
                  rows(
                      d.select(
                              "country",
                              "month",
                              "year_month",
                              "net_revenue",
                              "cumulative_net_revenue")
                          .orderBy("country", "month"))) {
                String c = String.valueOf(r.remove("country"));
                byCountry.computeIfAbsent(c, k -> new ArrayList<>()).add(r);
              }
            });
    doc.put("cumulative", byCountry);
    doc.put("countries_list", countriesList(countries, byCountry));
    return new Snapshot(fingerprint, Collections.unmodifiableMap(doc));
  }

  private Optional<Map<String, Object>> summary() {
    return table(KPI_SUMMARY)
        .flatMap(
            d -> {
              List<Map<String, Object>> latest =
                  rows(
                      GoldSummary.latestKpi(d)
                          .select(
                              "run_id",
                              "computed_at",
                              "net_revenue",
                              "gross_revenue",
                              "total_discount",
                              "orders",
                              "order_lines",
                              "customers_with_orders",
                              "customers_without_orders",
                              "active_products",
                              "avg_basket",
                              "median_basket",
                              "first_order_date",
                              "last_order_date",
                              "stream_orders",
                              "stream_net_revenue",
                              "stream_share"));
              return latest.stream().findFirst();
            });
  }

  private Map<String, Object> recency(Dataset<Row> rfm, Row m) {
    if (m.isNullAt(0)) {
      return Map.of("bucket_days", 0, "buckets", List.of());
    }
    int maxDays = ((Number) m.get(0)).intValue();
    int width = recencyWidth(maxDays);
    Map<Integer, Long> counts = new LinkedHashMap<>();
    for (Row r : recencyHistogram(rfm, width).collectAsList()) {
      counts.put(
          ((Number) r.getAs("bucket")).intValue(), ((Number) r.getAs("customers")).longValue());
    }
    int last = Math.max(0, (Math.max(maxDays, 1) - 1) / width);
    List<Map<String, Object>> buckets = new ArrayList<>();
    for (int b = 0; b <= last; b++) {
      int from = b * width + 1;
      int to = (b + 1) * width;
      Map<String, Object> bucket = new LinkedHashMap<>();
      bucket.put("from_days", from);
      bucket.put("to_days", to);
      bucket.put("label", from + "–" + to);
      bucket.put("customers", counts.getOrDefault(b, 0L));
      buckets.add(bucket);
    }
    return Map.of("bucket_days", width, "buckets", buckets);
  }

  /** The bucket width giving at most a dozen buckets up to {@code maxDays}. */
  static int recencyWidth(int maxDays) {
    for (int w : RECENCY_WIDTHS) {
      if ((maxDays + w - 1) / w <= RECENCY_MAX_BUCKETS) {
        return w;
      }
    }
    return (maxDays + RECENCY_MAX_BUCKETS - 1) / RECENCY_MAX_BUCKETS;
  }

  /**
   * Customers per recency bucket: bucket {@code b} holds recency days {@code b*width+1 ..
   * (b+1)*width} (recency is ≥ 1 by contract). Only non-empty buckets are returned.
   */
  static Dataset<Row> recencyHistogram(Dataset<Row> rfmCustomer, int width) {
    Column bucket = floor(col("recency_days").minus(lit(1)).divide(lit(width))).cast("int");
    return rfmCustomer
        .where(col("recency_days").isNotNull())
        .groupBy(bucket.as("bucket"))
        .agg(count(lit(1)).as("customers"))
        .orderBy("bucket");
  }

  private Map<String, Object> scatter(Dataset<Row> rfm, long total) {
    List<Map<String, Object>> points = rows(scatterSample(rfm, scatterLimit));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("total", total);
    out.put("shown", (long) points.size());
    out.put("limit", scatterLimit);
    out.put(
        "sampling",
        "uniform deterministic sample: customers with the smallest xxhash64(customer_id)");
    out.put("points", points);
    return out;
  }

  /**
   * At most {@code limit} customers for the scatter plot, chosen by the smallest {@code
   * xxhash64(customer_id)}: a uniform and repeatable sample (see the class comment).
   */
  static Dataset<Row> scatterSample(Dataset<Row> rfmCustomer, int limit) {
    return rfmCustomer
        .orderBy(xxhash64(col("customer_id")), col("customer_id"))
        .limit(limit)
        .select(
            "customer_id",
            "company_name",
            "country",
            "frequency",
            "monetary",
            "recency_days",
            "segment");
  }

  private static List<String> countriesList(
      List<Map<String, Object>> countries, Map<String, List<Map<String, Object>>> byCountry) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> c : countries) {
      String name = String.valueOf(c.get("country"));
      if (byCountry.isEmpty() || byCountry.containsKey(name)) {
        out.add(name);
      }
    }
    for (String name : byCountry.keySet()) {
      if (!out.contains(name)) {
        out.add(name);
      }
    }
    return List.copyOf(out);
  }

  private Optional<Dataset<Row>> table(TableId id) {
    return lake.exists(spark, id) ? Optional.of(lake.read(spark, id)) : Optional.empty();
  }

  /** Collects a small, bounded result as JSON-ready maps (column order kept). */
  static List<Map<String, Object>> rows(Dataset<Row> small) {
    StructField[] fields = small.schema().fields();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : small.collectAsList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < fields.length; i++) {
        m.put(fields[i].name(), jsonValue(r.get(i)));
      }
      out.add(m);
    }
    return out;
  }

  /** A Spark value as a JSON-friendly one; DECIMAL is money here, rounded for display only. */
  static Object jsonValue(Object v) {
    if (v instanceof BigDecimal d) {
      return d.setScale(2, RoundingMode.HALF_UP);
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof LocalDate d) {
      return d.toString();
    }
    if (v instanceof java.sql.Timestamp t) {
      return DateTimeFormatter.ISO_INSTANT.format(t.toInstant());
    }
    if (v instanceof Instant t) {
      return DateTimeFormatter.ISO_INSTANT.format(t);
    }
    if (v instanceof java.time.LocalDateTime t) {
      return DateTimeFormatter.ISO_INSTANT.format(t.toInstant(ZoneOffset.UTC));
    }
    if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return null;
    }
    return v;
  }

  /**
   * One consistent read of the Gold tables.
   *
   * @param version fingerprint of the Gold tables' Delta versions the snapshot was read at
   * @param document the whole dashboard document: {@code state} ("ready" or "empty"), and when
   *     ready {@code summary}, {@code countries}, {@code segments}, {@code recency}, {@code
   *     scatter}, {@code months}, {@code cumulative} (country → monthly points), {@code
   *     countries_list}
   */
  public record Snapshot(String version, Map<String, Object> document) {

    static Snapshot empty(String version) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("state", "empty");
      doc.put("version", version);
      doc.put("message", EMPTY_MESSAGE);
      doc.put("summary", null);
      doc.put("countries", List.of());
      doc.put("segments", List.of());
      doc.put("recency", Map.of("bucket_days", 0, "buckets", List.of()));
      doc.put("scatter", Map.of("total", 0L, "shown", 0L, "points", List.of()));
      doc.put("months", List.of());
      doc.put("cumulative", Map.of());
      doc.put("countries_list", List.of());
      return new Snapshot(version, Collections.unmodifiableMap(doc));
    }

    /** Whether the lake has Gold data. */
    public boolean ready() {
      return "ready".equals(document.get("state"));
    }

    /** The countries the cumulative chart can show. */
    @SuppressWarnings("unchecked")
    public List<String> countries() {
      return (List<String>) document.get("countries_list");
    }

    /** One part of the document (e.g. "summary"). */
    public Object section(String name) {
      return document.get(name);
    }

    /**
     * The cumulative revenue curve of one country, or of all countries for {@link #ALL_COUNTRIES}
     * (from revenue_by_month). The caller validates the country against {@link #countries()}.
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> cumulative(String country) {
      if (ALL_COUNTRIES.equals(country)) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) document.get("months")) {
          Map<String, Object> p = new LinkedHashMap<>();
          p.put("month", m.get("month"));
          p.put("year_month", m.get("year_month"));
          p.put("net_revenue", m.get("net_revenue"));
          p.put("cumulative_net_revenue", m.get("cumulative_net_revenue"));
          out.add(p);
        }
        return out;
      }
      return ((Map<String, List<Map<String, Object>>>) document.get("cumulative"))
          .getOrDefault(country, List.of());
    }

    /** The whole document as JSON text. */
    public String json() {
      return Json.write(document);
    }
  }
}
