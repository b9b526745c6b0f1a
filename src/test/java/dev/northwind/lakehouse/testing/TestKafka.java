package dev.northwind.lakehouse.testing;

import dev.northwind.lakehouse.services.EmbeddedKafka;
import dev.northwind.lakehouse.services.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one Kafka broker of the test JVM (a KRaft broker costs seconds to start): started on first
 * use in a temp folder, closed at JVM exit. Tests isolate themselves with a topic of their own.
 */
public final class TestKafka {

  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static EmbeddedKafka kafka;

  private TestKafka() {}

  /** The shared broker. */
  public static synchronized EmbeddedKafka kafka() {
    if (kafka == null) {
      try {
        kafka =
            EmbeddedKafka.start(Files.createTempDirectory("lakehouse-test-kafka-"), 0, Mode.FRESH);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedKafka k = kafka;
      Runtime.getRuntime().addShutdownHook(new Thread(k::close));
    }
    return kafka;
  }

  public static String bootstrap() {
    return kafka().bootstrapServers();
  }

  /** A new topic, unique in this JVM, named after {@code prefix}. */
  public static String newTopic(String prefix, int partitions) {
    String name =
        prefix.replaceAll("[^A-Za-z0-9._-]", "-")
            + "-"
            + TOPICS.incrementAndGet()
            + "-"
            + System.nanoTime() % 100000;
    kafka().createTopic(name, partitions);
    return name;
  }
}
