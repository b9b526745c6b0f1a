package dev.northwind.lakehouse.stream;

import dev.northwind.lakehouse.Json;
import org.apache.kafka.common.serialization.Serializer;

/** The value of an order-event message: the event as JSON ({@link OrderEvent#toJson()}), UTF-8. */
public final class OrderEventSerializer implements Serializer<OrderEvent> {

  @Override
  public byte[] serialize(String topic, OrderEvent event) {
    return event == null ? null : Json.bytes(event);
  }
}
