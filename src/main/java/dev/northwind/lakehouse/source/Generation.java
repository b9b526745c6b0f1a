package dev.northwind.lakehouse.source;

import dev.northwind.lakehouse.source.Vocabulary.Category;
import dev.northwind.lakehouse.source.Vocabulary.City;
import dev.northwind.lakehouse.source.Vocabulary.Country;
import dev.northwind.lakehouse.source.Vocabulary.Language;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.text.Normalizer;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One generator run: builds the small tables and the customers in memory, then streams orders and
 * order lines. Every table draws from its own random stream derived from the seed, so a change to
 * one table's rules does not reshuffle the others.
 */
final class Generation {

  static final int CUSTOMERS = 91;
  static final int ORDERS = 830;
  static final int ORDER_LINES = 2155;
  static final int PRODUCTS = 77;
  static final int SUPPLIERS = 29;
  static final int EMPLOYEES = 9;
  static final int SHIPPERS = 6;
  static final int EMPLOYEE_TERRITORIES = 49;
  static final int FIRST_ORDER_ID = 10248;

  private static final LocalDate FIRST = LocalDate.parse(NorthwindGenerator.FIRST_ORDER);
  private static final LocalDate LAST = LocalDate.parse(NorthwindGenerator.LAST_ORDER);
  // Orders before this date are billed at the previous price list.
  private static final LocalDate NEW_PRICE_LIST = LocalDate.of(1997, 1, 1);
  private static final int MAX_LINES_PER_ORDER = 25;
  private static final long MIN_PRICE_CENTS = 250;
  private static final long MAX_PRICE_CENTS = 26350;
  private static final long[] DISCOUNT_CENTS = {5, 10, 15, 20, 25};
  // Order volume grows over time: the share of orders placed by time t is t^1.5.
  private static final double GROWTH = 1.5;
  private static final int[] EMPLOYEE_WEIGHTS = {12, 10, 13, 16, 5, 7, 8, 10, 5};
  private static final int[] SHIP_VIA_WEIGHTS = {3, 4, 3};

  private final int scale;
  private final long seed;
  private final LocalDate[] businessDays;

  private List<Customer> customers;
  private double[] customerOdds;
  private long[] priceCents;
  private long[] oldPriceCents;
  private double[] productOdds;
  private List<String[]> territories;
  // Table to rows copied, in NorthwindSchema.TABLES order.
  private final Map<String, Long> rows = new LinkedHashMap<>();

  private record Customer(
      String id,
      String company,
      String contact,
      String title,
      String address,
      City city,
      String postal,
      Country country,
      String phone,
      String fax) {}

  Generation(int scale, long seed) {
    this.scale = scale;
    this.seed = seed;
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate d = FIRST; !d.isAfter(LAST); d = d.plusDays(1)) {
      if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
        days.add(d);
      }
    }
    this.businessDays = days.toArray(LocalDate[]::new);
  }

  /** Creates the tables, copies all rows in, adds the keys; returns table to row count. */
  Map<String, Long> write(Connection c) throws SQLException, IOException {
    NorthwindSchema.createTables(c);
    NorthwindSchema.TABLES.forEach(t -> rows.put(t, 0L));
    categories(c);
    regions(c);
    territories(c);
    usStates(c);
    shippers(c);
    suppliers(c);
    products(c);
    employees(c);
    employeeTerritories(c);
    customers(c);
    orders(c);
    orderDetails(c);
    // customer_demographics and customer_customer_demo are empty in the dump too.
    NorthwindSchema.addConstraints(c);
    return rows;
  }

  /** Completes a table's copy and records the row count the server confirms. */
  private void finish(CopyWriter w) throws SQLException, IOException {
    rows.put(w.table(), w.finish());
  }

  private Random random(String stream) {
    return new Random(seed * 0x9E3779B97F4A7C15L ^ stream.hashCode());
  }

  private void categories(Connection c) throws SQLException, IOException {
    try (CopyWriter w = new CopyWriter(c, "categories")) {
      int id = 1;
      for (Category cat : Vocabulary.CATEGORIES) {
        w.integer(id++).text(cat.name()).text(cat.description()).emptyBytes().row();
      }
      finish(w);
    }
  }

  private void regions(Connection c) throws SQLException, IOException {
    try (CopyWriter w = new CopyWriter(c, "region")) {
      for (int i = 0; i < Vocabulary.REGIONS.size(); i++) {
        w.integer(i + 1).text(Vocabulary.REGIONS.get(i)).row();
      }
      finish(w);
    }
  }

  private void territories(Connection c) throws SQLException, IOException {
    Random r = random("territories");
    // Zip-code-like ids in a range per region, as US territories are keyed.
    int[][] zipRanges = {{1000, 19999}, {80000, 99999}, {43000, 58999}, {27000, 39999}};
    Set<String> ids = new HashSet<>();
    territories = new ArrayList<>();
    for (int region = 0; region < Vocabulary.TERRITORIES.size(); region++) {
      for (String city : Vocabulary.TERRITORIES.get(region)) {
        String id;
        do {
          int[] range = zipRanges[region];
          id = String.format(Locale.ROOT, "%05d", range[0] + r.nextInt(range[1] - range[0] + 1));
        } while (!ids.add(id));
        territories.add(new String[] {id, city, Integer.toString(region + 1)});
      }
    }
    territories.sort(Comparator.comparing((String[] t) -> t[0]));
    try (CopyWriter w = new CopyWriter(c, "territories")) {
      for (String[] t : territories) {
        w.text(t[0]).text(t[1]).integer(Integer.parseInt(t[2])).row();
      }
      finish(w);
    }
  }

  private void usStates(Connection c) throws SQLException, IOException {
    try (CopyWriter w = new CopyWriter(c, "us_states")) {
      int id = 1;
      for (String[] s : Vocabulary.US_STATES) {
        w.integer(id++).text(s[0]).text(s[1]).text(s[2]).row();
      }
      finish(w);
    }
  }

  private void shippers(Connection c) throws SQLException, IOException {
    Random r = random("shippers");
    List<String> names = new ArrayList<>(Vocabulary.SHIPPER_NAMES);
    Collections.shuffle(names, r);
    try (CopyWriter w = new CopyWriter(c, "shippers")) {
      for (int i = 0; i < SHIPPERS; i++) {
        String phone = i < 3 ? pattern(r, "(503) 555-9999") : pattern(r, "1-800-999-9999");
        w.integer(i + 1).text(names.get(i)).text(phone).row();
      }
      finish(w);
    }
  }

  private void suppliers(Connection c) throws SQLException, IOException {
    Random r = random("suppliers");
    try (CopyWriter w = new CopyWriter(c, "suppliers")) {
      for (int i = 0; i < SUPPLIERS; i++) {
        Country country = country(r);
        Language lang = country.language();
        City city = pick(r, country.cities());
        String company = company(r, lang);
        String homepage =
            r.nextDouble() < 0.2
                ? "http://www." + letters(company).toLowerCase(Locale.ROOT) + ".example/"
                : null;
        w.integer(i + 1)
            .text(company)
            .text(pick(r, lang.firstNames()) + " " + pick(r, lang.lastNames()))
            .text(pick(r, Vocabulary.CONTACT_TITLES))
            .text(address(r, lang))
            .text(city.name())
            .text(city.region())
            .text(postal(r, country))
            .text(country.name())
            .text(pattern(r, country.phonePattern()))
            .text(r.nextBoolean() ? pattern(r, country.phonePattern()) : null)
            .text(homepage)
            .row();
      }
      finish(w);
    }
  }

  private void products(Connection c) throws SQLException, IOException {
    Random r = random("products");
    List<Category> cats = Vocabulary.CATEGORIES;
    // Every category gets at least 9 products; the rest are drawn from the remaining names.
    List<int[]> chosen = new ArrayList<>();
    List<int[]> spare = new ArrayList<>();
    for (int cat = 0; cat < cats.size(); cat++) {
      List<Integer> names = new ArrayList<>();
      for (int n = 0; n < cats.get(cat).products().size(); n++) {
        names.add(n);
      }
      Collections.shuffle(names, r);
      for (int k = 0; k < names.size(); k++) {
        (k < 9 ? chosen : spare).add(new int[] {cat, names.get(k)});
      }
    }
    Collections.shuffle(spare, r);
    chosen.addAll(spare.subList(0, PRODUCTS - chosen.size()));
    Collections.shuffle(chosen, r);

    List<Integer> suppliers = new ArrayList<>();
    for (int s = 1; s <= SUPPLIERS; s++) {
      suppliers.add(s);
    }
    Collections.shuffle(suppliers, r);

    priceCents = new long[PRODUCTS];
    oldPriceCents = new long[PRODUCTS];
    productOdds = new double[PRODUCTS];
    for (int p = 0; p < PRODUCTS; p++) {
      double raw = Math.exp(Math.log(2000) + 0.85 * r.nextGaussian());
      long step = raw < 2000 ? 5 : 25;
      priceCents[p] =
          Math.max(MIN_PRICE_CENTS, Math.min(MAX_PRICE_CENTS, Math.round(raw / step) * step));
    }
    // Pin the extremes so the list always spans the full price range.
    int cheapest = r.nextInt(PRODUCTS);
    int dearest = (cheapest + 1 + r.nextInt(PRODUCTS - 1)) % PRODUCTS;
    priceCents[cheapest] = MIN_PRICE_CENTS;
    priceCents[dearest] = MAX_PRICE_CENTS;

    double odds = 0;
    try (CopyWriter w = new CopyWriter(c, "products")) {
      for (int p = 0; p < PRODUCTS; p++) {
        Category cat = cats.get(chosen.get(p)[0]);
        oldPriceCents[p] = Math.round(priceCents[p] * 0.8);
        odds += Math.exp(0.5 * r.nextGaussian());
        productOdds[p] = odds;
        w.integer(p + 1)
            .text(cat.products().get(chosen.get(p)[1]))
            .integer(p < SUPPLIERS ? suppliers.get(p) : 1 + r.nextInt(SUPPLIERS))
            .integer(chosen.get(p)[0] + 1)
            .text(pick(r, cat.units()))
            .cents(priceCents[p])
            .integer(r.nextInt(126))
            .integer(r.nextDouble() < 0.7 ? 0 : 10 * (1 + r.nextInt(10)))
            .integer(5 * r.nextInt(7))
            .integer(r.nextDouble() < 0.1 ? 1 : 0)
            .row();
      }
      finish(w);
    }
  }

  private void employees(Connection c) throws SQLException, IOException {
    Random r = random("employees");
    List<String> lastNames = new ArrayList<>(Vocabulary.ENGLISH.lastNames());
    Collections.shuffle(lastNames, r);
    Country uk = country("UK");
    List<String> seattleArea = List.of("Seattle", "Tacoma", "Kirkland", "Redmond");
    try (CopyWriter w = new CopyWriter(c, "employees")) {
      for (int id = 1; id <= EMPLOYEES; id++) {
        // A vice president (2) heads the sales team; a sales manager (5) leads the London office.
        String title =
            switch (id) {
              case 2 -> "Vice President, Sales";
              case 5 -> "Sales Manager";
              case 8 -> "Inside Sales Coordinator";
              default -> "Sales Representative";
            };
        Integer reportsTo = id == 2 ? null : (id == 6 || id == 7 || id == 9) ? 5 : 2;
        boolean london = id == 5 || id == 6 || id == 7 || id == 9;
        boolean female = r.nextBoolean();
        String first = pick(r, female ? Vocabulary.FEMALE_FIRST : Vocabulary.MALE_FIRST);
        String last = lastNames.get(id - 1);
        String courtesy = id == 2 ? "Dr." : female ? (r.nextBoolean() ? "Ms." : "Mrs.") : "Mr.";
        LocalDate birth = LocalDate.of(1937, 1, 1).plusDays(r.nextInt(30 * 365));
        LocalDate hire = LocalDate.of(1992, 4, 1).plusDays(r.nextInt(900));
        String notes =
            first
                + " holds "
                + pick(r, Vocabulary.DEGREES)
                + " from "
                + pick(r, Vocabulary.SCHOOLS)
                + " and joined the company in "
                + hire.getYear()
                + ".";
        w.integer(id)
            .text(last)
            .text(first)
            .text(title)
            .text(courtesy)
            .date(birth)
            .date(hire)
            .text(address(r, Vocabulary.ENGLISH))
            .text(london ? "London" : pick(r, seattleArea))
            .text(london ? null : "WA")
            .text(london ? postal(r, uk) : "98" + pattern(r, "999"))
            .text(london ? "UK" : "USA")
            .text(pattern(r, london ? "(71) 555-9999" : "(206) 555-9999"))
            .text(Integer.toString(1000 + r.nextInt(9000)))
            .emptyBytes()
            .text(notes)
            .text(reportsTo == null ? null : reportsTo.toString())
            .text("photos/" + letters(last).toLowerCase(Locale.ROOT) + ".bmp")
            .row();
      }
      finish(w);
    }
  }

  private void employeeTerritories(Connection c) throws SQLException, IOException {
    Random r = random("employee_territories");
    List<Integer> order = new ArrayList<>();
    for (int t = 0; t < territories.size(); t++) {
      order.add(t);
    }
    Collections.shuffle(order, r);
    // Three territories each first, so that every employee covers some; the rest at random.
    List<String[]> pairs = new ArrayList<>();
    for (int k = 0; k < EMPLOYEE_TERRITORIES; k++) {
      int employee = k < 3 * EMPLOYEES ? k / 3 + 1 : 1 + r.nextInt(EMPLOYEES);
      pairs.add(new String[] {Integer.toString(employee), territories.get(order.get(k))[0]});
    }
    pairs.sort(
        Comparator.comparing((String[] p) -> Integer.parseInt(p[0])).thenComparing(p -> p[1]));
    try (CopyWriter w = new CopyWriter(c, "employee_territories")) {
      for (String[] p : pairs) {
        w.integer(Integer.parseInt(p[0])).text(p[1]).row();
      }
      finish(w);
    }
  }

  private void customers(Connection c) throws SQLException, IOException {
    Random r = random("customers");
    int count = CUSTOMERS * scale;
    Set<String> ids = new HashSet<>();
    customers = new ArrayList<>(count);
    List<Country> countries = Vocabulary.COUNTRIES;
    for (int i = 0; i < count; i++) {
      // The first customers cover every country once, so that even scale 1 has all 21.
      Country country = i < countries.size() ? countries.get(i) : country(r);
      Language lang = country.language();
      String company = company(r, lang);
      String id = customerId(company);
      while (!ids.add(id)) {
        id = nextId(id);
      }
      customers.add(
          new Customer(
              id,
              company,
              pick(r, lang.firstNames()) + " " + pick(r, lang.lastNames()),
              pick(r, Vocabulary.CONTACT_TITLES),
              address(r, lang),
              pick(r, country.cities()),
              postal(r, country),
              country,
              pattern(r, country.phonePattern()),
              r.nextDouble() < 0.6 ? pattern(r, country.phonePattern()) : null));
    }
    customers.sort(Comparator.comparing(Customer::id));
    // Skewed order volumes; about one customer in fifty never orders, as in the dump.
    customerOdds = new double[count];
    double odds = 0;
    for (int i = 0; i < count; i++) {
      odds += r.nextDouble() < 0.02 ? 0 : Math.exp(0.9 * r.nextGaussian());
      customerOdds[i] = odds;
    }
    try (CopyWriter w = new CopyWriter(c, "customers")) {
      for (Customer cu : customers) {
        w.text(cu.id()).text(cu.company()).text(cu.contact()).text(cu.title());
        address(w, cu).text(cu.phone()).text(cu.fax()).row();
      }
      finish(w);
    }
  }

  private void orders(Connection c) throws SQLException, IOException {
    Random r = random("orders");
    int count = ORDERS * scale;
    try (CopyWriter w = new CopyWriter(c, "orders")) {
      for (int i = 0; i < count; i++) {
        LocalDate ordered = orderDate(i, count);
        Customer cu = customers.get(cumulative(r, customerOdds));
        double roll = r.nextDouble();
        LocalDate required = ordered.plusDays(roll < 0.8 ? 28 : roll < 0.9 ? 14 : 42);
        LocalDate shipped = ordered.plusDays(Math.min(35, 1 + geometric(r, 7)));
        long freight =
            Math.max(
                2,
                Math.min(100_000, Math.round(Math.exp(Math.log(4000) + 1.2 * r.nextGaussian()))));
        w.integer(FIRST_ORDER_ID + i)
            .text(cu.id())
            .integer(1 + weighted(r, EMPLOYEE_WEIGHTS))
            .date(ordered)
            .date(required)
            // Orders still in the warehouse on the last day have not shipped yet.
            .date(shipped.isAfter(LAST) ? null : shipped)
            .integer(1 + weighted(r, SHIP_VIA_WEIGHTS))
            .cents(freight)
            .text(cu.company());
        // Orders ship to the customer's address.
        address(w, cu).row();
      }
      finish(w);
    }
  }

  private void orderDetails(Connection c) throws SQLException, IOException {
    Random r = random("order_details");
    int orders = ORDERS * scale;
    long remaining = (long) ORDER_LINES * scale;
    boolean[] taken = new boolean[PRODUCTS];
    int[] products = new int[MAX_LINES_PER_ORDER];
    try (CopyWriter w = new CopyWriter(c, "order_details")) {
      for (int i = 0; i < orders; i++) {
        int left = orders - i;
        // Geometric around the mean still to place, clamped so that the total comes out exact.
        double mean = (double) remaining / left;
        long lines = 1 + geometric(r, mean - 1);
        long low = Math.max(1, remaining - (long) MAX_LINES_PER_ORDER * (left - 1));
        long high = Math.min(MAX_LINES_PER_ORDER, remaining - (left - 1));
        int k = (int) Math.max(low, Math.min(high, lines));
        remaining -= k;
        for (int j = 0; j < k; j++) {
          int p;
          do {
            p = cumulative(r, productOdds);
          } while (taken[p]);
          taken[p] = true;
          products[j] = p;
        }
        Arrays.sort(products, 0, k);
        LocalDate ordered = orderDate(i, orders);
        boolean oldPrices = ordered.isBefore(NEW_PRICE_LIST);
        long orderDiscount =
            r.nextDouble() < 0.38 ? DISCOUNT_CENTS[r.nextInt(DISCOUNT_CENTS.length)] : 0;
        for (int j = 0; j < k; j++) {
          int p = products[j];
          taken[p] = false;
          long quantity =
              Math.max(
                  1, Math.min(130, Math.round(Math.exp(Math.log(18) + 0.8 * r.nextGaussian()))));
          long discount = orderDiscount > 0 && r.nextDouble() < 0.85 ? orderDiscount : 0;
          w.integer(FIRST_ORDER_ID + i)
              .integer(p + 1)
              .cents(oldPrices ? oldPriceCents[p] : priceCents[p])
              .integer(quantity)
              .cents(discount)
              .row();
        }
      }
      finish(w);
    }
  }

  /** A customer's address, city, region, postal code and country, the columns orders repeat. */
  private static CopyWriter address(CopyWriter w, Customer cu) throws IOException {
    return w.text(cu.address())
        .text(cu.city().name())
        .text(cu.city().region())
        .text(cu.postal())
        .text(cu.country().name());
  }

  /** Order dates rise with the order id, ever denser towards the end, on weekdays only. */
  private LocalDate orderDate(int i, int count) {
    double u = count == 1 ? 0 : (double) i / (count - 1);
    int index = (int) Math.round(Math.pow(u, 1 / GROWTH) * (businessDays.length - 1));
    return businessDays[index];
  }

  private static Country country(Random r) {
    int total = 0;
    for (Country c : Vocabulary.COUNTRIES) {
      total += c.weight();
    }
    int roll = r.nextInt(total);
    for (Country c : Vocabulary.COUNTRIES) {
      roll -= c.weight();
      if (roll < 0) {
        return c;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private static Country country(String name) {
    return Vocabulary.COUNTRIES.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static String company(Random r, Language lang) {
    return lang.companyPattern()
        .replace("{last}", pick(r, lang.lastNames()))
        .replace("{word}", pick(r, lang.companyWords()));
  }

  private static String address(Random r, Language lang) {
    return lang.addressPattern()
        .replace("{num}", Integer.toString(1 + r.nextInt(250)))
        .replace("{street}", pick(r, lang.streets()));
  }

  private static String postal(Random r, Country country) {
    return country.postalPattern() == null ? null : pattern(r, country.postalPattern());
  }

  /** Fills a pattern: {@code 9} becomes a digit, {@code A} a capital letter. */
  static String pattern(Random r, String pattern) {
    StringBuilder sb = new StringBuilder(pattern.length());
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      sb.append(
          ch == '9' ? (char) ('0' + r.nextInt(10)) : ch == 'A' ? (char) ('A' + r.nextInt(26)) : ch);
    }
    return sb.toString();
  }

  /**
   * A five-letter id from a company name, like the dump's: three letters of one word, two of the
   * next.
   */
  static String customerId(String company) {
    String[] words =
        Arrays.stream(company.split("\\s+"))
            .map(Generation::letters)
            .filter(w -> !w.isEmpty())
            .toArray(String[]::new);
    String raw =
        words.length >= 2
            ? head(words[0], 3) + head(words[1], 2)
            : head(words.length == 0 ? "" : words[0], 5);
    StringBuilder id = new StringBuilder(raw.toUpperCase(Locale.ROOT));
    while (id.length() < 5) {
      id.append('X');
    }
    return id.substring(0, 5);
  }

  /** The next five-letter id in base-26 order, wrapping from ZZZZZ to AAAAA. */
  static String nextId(String id) {
    char[] chars = id.toCharArray();
    for (int i = chars.length - 1; i >= 0; i--) {
      if (chars[i] < 'Z') {
        chars[i]++;
        return new String(chars);
      }
      chars[i] = 'A';
    }
    return new String(chars);
  }

  /** ASCII letters only, accents dropped (Müller becomes Muller). */
  static String letters(String s) {
    String plain = Normalizer.normalize(s, Normalizer.Form.NFD);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < plain.length(); i++) {
      char ch = plain.charAt(i);
      if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')) {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  private static String head(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n);
  }

  private static <T> T pick(Random r, List<T> list) {
    return list.get(r.nextInt(list.size()));
  }

  private static int weighted(Random r, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int roll = r.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      roll -= weights[i];
      if (roll < 0) {
        return i;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /** An index drawn in proportion to the increments of a cumulative weight array. */
  private static int cumulative(Random r, double[] cumulative) {
    double roll = r.nextDouble() * cumulative[cumulative.length - 1];
    // The first entry above the roll; a zero-weight entry repeats its predecessor and is never it.
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (cumulative[mid] > roll) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  /**
   * A geometric draw (failures before a success) with the given mean; 0 for a mean of 0 or less.
   */
  private static long geometric(Random r, double mean) {
    if (mean <= 0) {
      return 0;
    }
    double p = 1 / (1 + mean);
    return (long) Math.floor(Math.log(1 - r.nextDouble()) / Math.log(1 - p));
  }
}
