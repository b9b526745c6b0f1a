package dev.northwind.lakehouse.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.northwind.lakehouse.Json;
import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.Progress;
import dev.northwind.lakehouse.Threads;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The dashboard's HTTP server (the JDK's {@code com.sun.net.httpserver}, no extra dependency).
 *
 * <p>Serves {@code /} (the page), {@code /assets/dashboard.js}, {@code /assets/dashboard.css},
 * {@code /assets/echarts.min.js} from a fixed allow-list, and read-only JSON: {@code
 * /api/dashboard} (everything, what the page polls), {@code /api/summary}, {@code /api/countries},
 * {@code /api/segments}, {@code /api/recency}, {@code /api/scatter}, {@code /api/months}, {@code
 * /api/countries-list} and {@code /api/cumulative?country=X} (X one of the countries list, or
 * {@code ALL}). Section endpoints answer {@code {"state":"ready"|"empty","version":..,"data":..}}
 * (plus {@code message} when empty). {@code /pipeline} is the Pipeline page and {@code
 * /api/pipeline} its JSON (a {@link dev.northwind.lakehouse.status.PipelineReport}).
 *
 * <p>Requests are answered from a {@link DashboardFeed}: the server listens at once, answers {@code
 * 503 {"state":"loading"}} until the first read is done, and never waits for Spark. With a token,
 * every request must carry it ({@code Authorization: Bearer}, or the cookie set by opening a page
 * with {@code ?token=}), else 401; binding a non-loopback address without one is refused.
 *
 * <p>Only GET and HEAD (else 405 with {@code Allow}); unknown paths 404; dot-segments or
 * backslashes in the path 400; a query string over 2 KB 414; a bad query 400; failures 500 with a
 * one-line JSON error, never a stack trace. Every response carries the security headers (CSP
 * without inline scripts, nosniff, DENY framing, no referrer); API responses are not cached.
 */
public final class DashboardServer implements AutoCloseable {

  /** Longest query string accepted, in characters. */
  public static final int MAX_QUERY = 2048;

  /** The default bind address: only this machine, where no token is needed. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; frame-ancestors 'none'";
  private static final String ALLOW = "GET, HEAD";
  private static final List<String> SECTIONS =
      List.of("summary", "countries", "segments", "recency", "scatter", "months", "countries-list");

  /** The cookie that carries the access token after the page was opened with {@code ?token=}. */
  public static final String TOKEN_COOKIE = "lakehouse_token";

  static {
    // The JDK's server writes a response's headers and body in separate packets; with Nagle's
    // algorithm on, the body waits for the client's delayed ACK of the headers (~40 ms on Linux),
    // so every keep-alive request took 40 ms whatever the load (bench: 1,060 requests/s, p50 46 ms
    // with the cores half idle; with TCP_NODELAY 6,300 requests/s, p50 6 ms). It is read once,
    // when the JDK's server classes load, so it is set before the first server is created; a
    // value given with -D wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newFixedThreadPool(4, Threads.numbered("dashboard-http-"));
  private final DashboardFeed feed;
  private final Assets assets;
  private final Progress log;
  private final byte[] token;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DashboardServer(
      HttpServer server, DashboardFeed feed, Assets assets, Progress log, byte[] token) {
    this.server = server;
    this.feed = feed;
    this.assets = assets;
    this.log = log;
    this.token = token;
  }

  /** Starts the server on {@link #DEFAULT_HOST}; port 0 picks a free port. */
  public static DashboardServer start(DashboardData data, int port) {
    return start(data, DEFAULT_HOST, port);
  }

  /** Starts the server; errors while serving are not reported anywhere but the response. */
  public static DashboardServer start(DashboardData data, String host, int port) {
    return start(data, host, port, Progress.NONE);
  }

  /**
   * Starts the server with its first Gold snapshot read before it listens, and no Pipeline page.
   *
   * @param data where the JSON comes from
   * @param host address to bind (e.g. 127.0.0.1; 0.0.0.0 exposes the dashboard to the network)
   * @param port port, 0 for any free port
   * @param log where request failures are reported (one line each)
   */
  public static DashboardServer start(DashboardData data, String host, int port, Progress log) {
    return start(DashboardFeed.primed(data, null), host, port, "", log);
  }

  /**
   * Starts the server; it listens at once and answers from the feed, which it closes when closed.
   *
   * @param feed where the JSON comes from
   * @param host address to bind; an address other machines can reach needs a token
   * @param port port, 0 for any free port
   * @param token the access token every request must carry, empty for none (loopback only)
   * @param log where request failures are reported (one line each; never the token)
   */
  public static DashboardServer start(
      DashboardFeed feed, String host, int port, String token, Progress log) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      feed.close();
      throw LakehouseErrors.dashboardHostInvalid(host, e);
    }
    if (!address.isLoopbackAddress() && token.isEmpty()) {
      feed.close();
      throw LakehouseErrors.dashboardNeedsToken(host);
    }
    Assets assets = new Assets();
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, port), 64);
    } catch (BindException e) {
      feed.close();
      throw LakehouseErrors.portInUse("The dashboard server", port);
    } catch (IOException e) {
      feed.close();
      throw LakehouseErrors.jobFailed("Starting the dashboard server", e);
    }
    DashboardServer ds =
        new DashboardServer(
            server,
            feed,
            assets,
            log,
            token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8));
    server.createContext("/", ds::handle);
    server.setExecutor(ds.executor);
    server.start();
    feed.start();
    return ds;
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The page's URL, e.g. {@code http://127.0.0.1:8080/}. */
  public URI url() {
    InetAddress a = server.getAddress().getAddress();
    String host = a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** Stops serving (idempotent). */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    feed.close();
  }

  /** Whether requests must carry the access token. */
  public boolean guarded() {
    return token != null;
  }

  private void handle(HttpExchange ex) {
    try {
      respond(ex);
    } catch (Exception e) {
      log.report(
          "dashboard: "
              + ex.getRequestMethod()
              + " "
              + ex.getRequestURI().getRawPath()
              + " failed: "
              + LakehouseErrors.firstLine(e));
      try {
        send(
            ex,
            500,
            true,
            error(500, "The dashboard data could not be read; see the server's output."));
      } catch (IOException | RuntimeException ignored) {
        // The response had already started, or the client went away: nothing more to tell it.
      }
    } finally {
      ex.close();
    }
  }

  private void respond(HttpExchange ex) throws IOException {
    URI uri = ex.getRequestURI();
    String rawPath = uri.getRawPath();
    String rawQuery = uri.getRawQuery();
    if (rawQuery != null && rawQuery.length() > MAX_QUERY) {
      send(
          ex,
          414,
          true,
          error(414, "The query string is longer than " + MAX_QUERY + " characters."));
      return;
    }
    if (token != null && !authorized(ex, rawPath, rawQuery)) {
      return;
    }
    String method = ex.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      ex.getResponseHeaders().set("Allow", ALLOW);
      send(ex, 405, true, error(405, "Only GET and HEAD are allowed."));
      return;
    }
    String path = path(rawPath);
    if (path == null) {
      send(ex, 400, true, error(400, "Bad request path."));
      return;
    }
    Assets.Asset asset = assets.at(path);
    if (asset != null) {
      ex.getResponseHeaders().set("Content-Type", asset.contentType());
      send(ex, 200, false, asset.body());
      return;
    }
    if (path.startsWith("/api/")) {
      api(ex, path.substring("/api/".length()), rawQuery);
      return;
    }
    send(ex, 404, true, error(404, "Not found."));
  }

  /**
   * Checks the access token: an {@code Authorization: Bearer} header, the cookie, or a {@code
   * token} query parameter (a link to open the page with), which is answered with a redirect to the
   * same address without it, setting the cookie so the page's own requests carry it. Answers 401
   * itself when the token is missing or wrong. Compared in constant time; never logged.
   */
  private boolean authorized(HttpExchange ex, String rawPath, String rawQuery) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth != null
        && auth.regionMatches(true, 0, "Bearer ", 0, 7)
        && matches(auth.substring(7).trim())) {
      return true;
    }
    List<String> cookies = ex.getRequestHeaders().get("Cookie");
    if (cookies != null) {
      for (String header : cookies) {
        for (String c : header.split(";")) {
          String kv = c.trim();
          if (kv.startsWith(TOKEN_COOKIE + "=")
              && matches(kv.substring(TOKEN_COOKIE.length() + 1))) {
            return true;
          }
        }
      }
    }
    Map<String, String> params;
    try {
      params = query(rawQuery);
    } catch (IllegalArgumentException e) {
      params = Map.of();
    }
    String given = params.get("token");
    if (given != null && matches(given)) {
      StringBuilder rest = new StringBuilder();
      for (String pair : rawQuery.split("&")) {
        if (!pair.isEmpty() && !pair.startsWith("token=") && !pair.equals("token")) {
          rest.append(rest.length() == 0 ? "?" : "&").append(pair);
        }
      }
      Headers h = ex.getResponseHeaders();
      h.set("Location", rawPath + rest);
      h.set("Set-Cookie", TOKEN_COOKIE + "=" + given + "; Path=/; HttpOnly; SameSite=Strict");
      send(ex, 303, true, new byte[0]);
      return false;
    }
    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"lakehouse\"");
    send(
        ex,
        401,
        true,
        error(
            401,
            "This dashboard needs its access token: open it as /?token=<dashboard.token>, or send"
                + " Authorization: Bearer <dashboard.token>."));
    return false;
  }

  private boolean matches(String given) {
    // MessageDigest.isEqual takes the same time wherever the first difference is.
    return MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The decoded request path, or null when it is malformed or could climb out of its folder (dot
   * segments, encoded or not, backslashes, control characters). Assets come from a fixed map, so
   * this is a second line of defence, and it gives such requests a clear 400.
   */
  static String path(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return null;
    }
    String decoded;
    try {
      // In a path '+' is a literal plus, not a space.
      decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return safe(decoded) ? decoded : null;
  }

  private static boolean safe(String decoded) {
    if (decoded.contains("\\") || decoded.contains("//")) {
      return false;
    }
    for (char c : decoded.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    for (String segment : decoded.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        return false;
      }
    }
    return true;
  }

  private void api(HttpExchange ex, String name, String rawQuery) throws IOException {
    if (name.equals("pipeline")) {
      pipeline(ex);
      return;
    }
    boolean known =
        name.equals("dashboard") || name.equals("cumulative") || SECTIONS.contains(name);
    if (!known) {
      send(ex, 404, true, error(404, "Not found."));
      return;
    }
    DashboardFeed.State<DashboardFeed.Gold> state = feed.gold();
    if (!ready(ex, state)) {
      return;
    }
    DashboardFeed.Gold gold = state.value();
    if (name.equals("dashboard")) {
      send(ex, 200, true, gold.json());
      return;
    }
    if (name.equals("cumulative")) {
      cumulative(ex, rawQuery, gold.snapshot());
      return;
    }
    String key = name.equals("countries-list") ? "countries_list" : name;
    send(ex, 200, true, gold.section(key, s -> envelope(s, s.section(key))));
  }

  private void pipeline(HttpExchange ex) throws IOException {
    Optional<DashboardFeed.State<DashboardFeed.Pipeline>> state = feed.pipeline();
    if (state.isEmpty()) {
      send(ex, 404, true, error(404, "This dashboard serves no Pipeline page."));
      return;
    }
    if (ready(ex, state.get())) {
      send(ex, 200, true, state.get().value().json());
    }
  }

  /**
   * Whether the state has a value; else answers 503 {@code {"state":"loading"}} (the first read is
   * under way) or 500 (it failed), and returns false.
   */
  private static boolean ready(HttpExchange ex, DashboardFeed.State<?> state) throws IOException {
    if (state.value() != null) {
      return true;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    if (state.loading()) {
      m.put("state", "loading");
      m.put("message", DashboardFeed.LOADING_MESSAGE);
      ex.getResponseHeaders().set("Retry-After", "1");
      send(ex, 503, true, Json.bytes(m));
    } else {
      send(
          ex,
          500,
          true,
          error(500, "The dashboard data could not be read; see the server's output."));
    }
    return false;
  }

  private void cumulative(HttpExchange ex, String rawQuery, DashboardData.Snapshot s)
      throws IOException {
    Map<String, String> params;
    try {
      params = query(rawQuery);
    } catch (IllegalArgumentException e) {
      send(ex, 400, true, error(400, e.getMessage()));
      return;
    }
    for (String k : params.keySet()) {
      if (!k.equals("country")) {
        send(ex, 400, true, error(400, "Unknown parameter; the only one is 'country'."));
        return;
      }
    }
    String country = params.getOrDefault("country", DashboardData.ALL_COUNTRIES);
    if (!country.equals(DashboardData.ALL_COUNTRIES) && !s.countries().contains(country)) {
      // The value is not echoed back: it is user input.
      send(
          ex,
          400,
          true,
          error(400, "Unknown country; /api/countries-list lists the valid ones (or ALL)."));
      return;
    }
    Map<String, Object> body = envelope(s, s.cumulative(country));
    body.put("country", country);
    json(ex, 200, Json.write(body));
  }

  /** Parses {@code a=b&c=d}; a malformed escape or a repeated name is an error. */
  static Map<String, String> query(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        k = URLDecoder.decode(k, StandardCharsets.UTF_8);
        v = URLDecoder.decode(v, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Malformed query string.");
      }
      if (out.put(k, v) != null) {
        throw new IllegalArgumentException("A query parameter is repeated.");
      }
    }
    return out;
  }

  private static Map<String, Object> envelope(DashboardData.Snapshot s, Object section) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", s.document().get("state"));
    m.put("version", s.version());
    if (!s.ready()) {
      m.put("message", DashboardData.EMPTY_MESSAGE);
    }
    m.put("data", section);
    return m;
  }

  private static byte[] error(int status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("error", message);
    return Json.write(m).getBytes(StandardCharsets.UTF_8);
  }

  private static void json(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, true, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, boolean api, byte[] body)
      throws IOException {
    Headers h = ex.getResponseHeaders();
    if (api) {
      h.set("Content-Type", "application/json; charset=utf-8");
    }
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Content-Security-Policy", CSP);
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cache-Control", api ? "no-store" : "no-cache");
    boolean head = ex.getRequestMethod().toUpperCase(Locale.ROOT).equals("HEAD");
    if (head) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
