package dev.northwind.lakehouse.stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One order event as sent to Kafka: the whole order with its lines (the message key is the order
 * id). {@link #toJson()} gives the wire format that {@link StreamTransforms#parse} accepts.
 *
 * @param eventId unique id of the event; the stream keeps the first event of each id
 * @param eventTime when the event happened (ISO-8601 instant on the wire)
 * @param requiredDate optional (null)
 * @param shippedDate null until shipped
 * @param lines non-empty, distinct products
 */
public record OrderEvent(
    String eventId,
    Instant eventTime,
    int orderId,
    String customerId,
    int employeeId,
    LocalDate orderDate,
    LocalDate requiredDate,
    LocalDate shippedDate,
    int shipVia,
    BigDecimal freight,
    String shipName,
    String shipAddress,
    String shipCity,
    String shipRegion,
    String shipPostalCode,
    String shipCountry,
    List<OrderLine> lines) {

  public OrderEvent {
    lines = List.copyOf(lines);
  }

  /** The same event stamped with another event time (the producer stamps the send time). */
  public OrderEvent at(Instant time) {
    return new OrderEvent(eventId, time, orderId, customerId, employeeId, orderDate, requiredDate, shippedDate,
        shipVia, freight, shipName, shipAddress, shipCity, shipRegion, shipPostalCode, shipCountry, lines);
  }

  /** Sum of the lines' net amounts, exact. */
  public BigDecimal netAmount() {
    return lines.stream().map(OrderLine::netAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** The message key: the order id as a string. */
  public String key() {
    return Integer.toString(orderId);
  }

  /** The JSON value of the Kafka message; decimals are JSON numbers written in plain notation. */
  public String toJson() {
    ObjectMapper mapper = mapper();
    ObjectNode o = mapper.createObjectNode();
    o.put("event_id", eventId);
    o.put("event_time", eventTime.toString());
    o.put("order_id", orderId);
    o.put("customer_id", customerId);
    o.put("employee_id", employeeId);
    o.put("order_date", orderDate.toString());
    o.put("required_date", requiredDate == null ? null : requiredDate.toString());
    o.put("shipped_date", shippedDate == null ? null : shippedDate.toString());
    o.put("ship_via", shipVia);
    o.put("freight", freight);
    o.put("ship_name", shipName);
    o.put("ship_address", shipAddress);
    o.put("ship_city", shipCity);
    o.put("ship_region", shipRegion);
    o.put("ship_postal_code", shipPostalCode);
    o.put("ship_country", shipCountry);
    ArrayNode arr = o.putArray("lines");
    for (OrderLine l : lines) {
      ObjectNode n = arr.addObject();
      n.put("product_id", l.productId());
      n.put("unit_price", l.unitPrice());
      n.put("quantity", l.quantity());
      n.put("discount", l.discount());
    }
    try {
      return mapper.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise event " + eventId, e);
    }
  }

  private static ObjectMapper mapper() {
    return JsonMapper.builder().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN).build();
  }
}
