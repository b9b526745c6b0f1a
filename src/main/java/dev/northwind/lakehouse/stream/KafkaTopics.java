package dev.northwind.lakehouse.stream;

/**
 * The Kafka topics a stream reads into Bronze: the brokers, and one topic ({@code subscribe}) or
 * every topic matching a pattern ({@code subscribePattern}).
 */
public record KafkaTopics(String bootstrapServers, String subscribeOption, String topics) {

  /** One topic, e.g. the order events. */
  public static KafkaTopics topic(String bootstrapServers, String topic) {
    return new KafkaTopics(bootstrapServers, "subscribe", topic);
  }

  /** Every topic matching a regular expression, e.g. the change topics of a schema's tables. */
  public static KafkaTopics pattern(String bootstrapServers, String pattern) {
    return new KafkaTopics(bootstrapServers, "subscribePattern", pattern);
  }

  /**
   * Lineage {@code _source_system} of what is read: {@code kafka:<bootstrap>/<topic or pattern>}.
   */
  public String sourceSystem() {
    return "kafka:" + bootstrapServers + "/" + topics;
  }
}
