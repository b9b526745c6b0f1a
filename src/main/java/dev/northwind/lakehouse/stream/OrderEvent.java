package dev.northwind.lakehouse.stream;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.northwind.lakehouse.Json;
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
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OrderEvent(
    String eventId,
    @JsonSerialize(using = ToStringSerializer.class) Instant eventTime,
    int orderId,
    String customerId,
    int employeeId,
    @JsonSerialize(using = ToStringSerializer.class) LocalDate orderDate,
    @JsonSerialize(using = ToStringSerializer.class) LocalDate requiredDate,
    @JsonSerialize(using = ToStringSerializer.class) LocalDate shippedDate,
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
    return new OrderEvent(
        eventId,
        time,
        orderId,
        customerId,
        employeeId,
        orderDate,
        requiredDate,
        shippedDate,
        shipVia,
        freight,
        shipName,
        shipAddress,
        shipCity,
        shipRegion,
        shipPostalCode,
        shipCountry,
        lines);
  }

  /** Sum of the lines' net amounts, exact. */
  public BigDecimal netAmount() {
    return lines.stream().map(OrderLine::netAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** The message key: the order id as a string. */
  public String key() {
    return Integer.toString(orderId);
  }

  /**
   * The JSON value of the Kafka message ({@link OrderEventSerializer} sends it): this record bound
   * by Jackson, snake_case names in component order, times and dates as ISO-8601 text, decimals as
   * plain JSON numbers.
   */
  public String toJson() {
    return Json.write(this);
  }
}
