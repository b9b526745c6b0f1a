package dev.northwind.lakehouse.stream;

import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.northwind.lakehouse.Json;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Parses and validates one Kafka message per input row into the typed event columns plus a
 * rejection reason (null when the event is valid). Strict on types: {@code "quantity": "5"} is a
 * wrong type, not a number. Unknown fields are ignored (newer producers may add some).
 *
 * <p>Input rows: key, value (strings), topic, partition, offset, kafka_timestamp. Output rows:
 * {@link StreamTransforms#PARSED} schema.
 */
final class EventParser implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  /** A rejection, with the reason the dead-letter table records. */
  static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;

    Rejected(String reason) {
      super(reason, null, false, false);
    }
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return input.hasNext();
      }

      @Override
      public Row next() {
        return parse(input.next());
      }
    };
  }

  static Row parse(Row in) {
    Object[] out = new Object[StreamTransforms.PARSED.size()];
    out[0] = in.get(0);
    out[1] = in.get(1);
    out[2] = in.get(2);
    out[3] = in.get(3);
    out[4] = in.get(4);
    out[5] = in.get(5);
    try {
      fill(in.getString(1), out);
    } catch (Rejected r) {
      for (int i = 6; i < out.length - 1; i++) {
        out[i] = null;
      }
      out[out.length - 1] = r.getMessage();
    }
    return RowFactory.create(out);
  }

  private static void fill(String value, Object[] out) throws Rejected {
    if (value == null || value.isBlank()) {
      throw new Rejected("empty message");
    }
    JsonNode n;
    try {
      // Json is exact (decimals as BigDecimal) and strict (no trailing text, no repeated key).
      n = Json.tree(value);
    } catch (JsonEOFException e) {
      throw new Rejected("truncated JSON");
    } catch (Exception e) {
      throw new Rejected("not JSON");
    }
    if (n == null || !n.isObject()) {
      throw new Rejected("not a JSON object");
    }
    int i = 6;
    out[i++] = text(n, "event_id", Need.REQUIRED);
    out[i++] = Timestamp.from(instant(n, "event_time"));
    out[i++] = positiveInt(n, "order_id");
    out[i++] = text(n, "customer_id", Need.REQUIRED);
    out[i++] = positiveInt(n, "employee_id");
    out[i++] = date(n, "order_date", Need.REQUIRED);
    out[i++] = date(n, "required_date", Need.OPTIONAL);
    out[i++] = date(n, "shipped_date", Need.OPTIONAL);
    out[i++] = positiveInt(n, "ship_via");
    BigDecimal freight = decimal(n, "freight", "freight", 12, 4);
    if (freight.signum() < 0) {
      throw new Rejected("negative freight");
    }
    out[i++] = freight;
    out[i++] = text(n, "ship_name", Need.OPTIONAL);
    out[i++] = text(n, "ship_address", Need.OPTIONAL);
    out[i++] = text(n, "ship_city", Need.OPTIONAL);
    out[i++] = text(n, "ship_region", Need.OPTIONAL);
    out[i++] = text(n, "ship_postal_code", Need.OPTIONAL);
    out[i++] = text(n, "ship_country", Need.REQUIRED);
    out[i++] = CollectionConverters.asScala(lines(n)).toSeq();
    out[i] = null;
  }

  private static List<Row> lines(JsonNode n) throws Rejected {
    JsonNode arr = n.get("lines");
    if (arr == null || arr.isNull()) {
      throw new Rejected("missing field lines");
    }
    if (!arr.isArray()) {
      throw new Rejected("wrong type for lines (expected an array)");
    }
    if (arr.isEmpty()) {
      throw new Rejected("empty lines");
    }
    List<Row> rows = new ArrayList<>(arr.size());
    Set<Integer> products = new HashSet<>();
    for (int k = 0; k < arr.size(); k++) {
      JsonNode l = arr.get(k);
      String at = "lines[" + k + "]";
      if (!l.isObject()) {
        throw new Rejected("wrong type for " + at + " (expected an object)");
      }
      int product = integer(l, "product_id", at + ".product_id");
      BigDecimal price = decimal(l, "unit_price", at + ".unit_price", 12, 4);
      int quantity = integer(l, "quantity", at + ".quantity");
      BigDecimal discount = decimal(l, "discount", at + ".discount", 5, 4);
      if (product <= 0) {
        throw new Rejected("non-positive product_id in " + at);
      }
      if (!products.add(product)) {
        throw new Rejected("duplicate product_id " + product + " in " + at);
      }
      if (quantity < 0) {
        throw new Rejected("negative quantity in " + at);
      }
      if (quantity == 0) {
        throw new Rejected("zero quantity in " + at);
      }
      if (price.signum() < 0) {
        throw new Rejected("negative unit_price in " + at);
      }
      if (discount.signum() < 0 || discount.compareTo(BigDecimal.ONE) > 0) {
        throw new Rejected("discount out of range [0, 1] in " + at);
      }
      rows.add(RowFactory.create(product, price, quantity, discount));
    }
    return rows;
  }

  /** Whether a field may be absent or null. */
  private enum Need {
    REQUIRED,
    OPTIONAL
  }

  private static JsonNode field(JsonNode n, String name, String path, Need need) throws Rejected {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      if (need == Need.REQUIRED) {
        throw new Rejected("missing field " + path);
      }
      return null;
    }
    return v;
  }

  /**
   * A field that must be a JSON string ({@code expected} says of what), or null when optional and
   * absent.
   */
  private static String textual(JsonNode n, String name, Need need, String expected)
      throws Rejected {
    JsonNode v = field(n, name, name, need);
    if (v != null && !v.isTextual()) {
      throw new Rejected("wrong type for " + name + " (expected " + expected + ")");
    }
    return v == null ? null : v.textValue();
  }

  private static String text(JsonNode n, String name, Need need) throws Rejected {
    String v = textual(n, name, need, "a string");
    if (v == null) {
      return null;
    }
    if (need == Need.REQUIRED && v.isBlank()) {
      throw new Rejected("missing field " + name + " (blank)");
    }
    return v;
  }

  private static int integer(JsonNode n, String name, String path) throws Rejected {
    JsonNode v = field(n, name, path, Need.REQUIRED);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new Rejected("wrong type for " + path + " (expected an integer)");
    }
    return v.intValue();
  }

  private static int positiveInt(JsonNode n, String name) throws Rejected {
    int v = integer(n, name, name);
    if (v <= 0) {
      throw new Rejected("non-positive " + name);
    }
    return v;
  }

  private static BigDecimal decimal(JsonNode n, String name, String path, int precision, int scale)
      throws Rejected {
    JsonNode v = field(n, name, path, Need.REQUIRED);
    if (!v.isNumber()) {
      throw new Rejected("wrong type for " + path + " (expected a number)");
    }
    BigDecimal d = v.decimalValue().stripTrailingZeros();
    if (d.scale() > scale) {
      throw new Rejected("too many decimals for " + path + " (at most " + scale + ")");
    }
    if (d.precision() - d.scale() > precision - scale) {
      throw new Rejected("out of range for " + path);
    }
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  private static Date date(JsonNode n, String name, Need need) throws Rejected {
    String expected = "a yyyy-MM-dd date";
    String v = textual(n, name, need, expected);
    if (v == null) {
      return null;
    }
    try {
      return Date.valueOf(LocalDate.parse(v, DateTimeFormatter.ISO_LOCAL_DATE));
    } catch (DateTimeParseException e) {
      throw new Rejected("wrong type for " + name + " (expected " + expected + ")");
    }
  }

  private static Instant instant(JsonNode n, String name) throws Rejected {
    JsonNode v = field(n, name, name, Need.REQUIRED);
    if (v.isTextual()) {
      try {
        return OffsetDateTime.parse(v.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
            .toInstant();
      } catch (DateTimeParseException e) {
        // fall through to the common message
      }
    }
    throw new Rejected("wrong type for " + name + " (expected an ISO-8601 instant)");
  }
}
