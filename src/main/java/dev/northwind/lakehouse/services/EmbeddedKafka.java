package dev.northwind.lakehouse.services;

import dev.northwind.lakehouse.Folders;
import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.LakehouseException;
import dev.northwind.lakehouse.Resources;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real Kafka 3.9 broker in this JVM, used when no external cluster is configured: one KRaft node
 * that is both broker and controller, listening on 127.0.0.1 only. Topics, records and consumer
 * offsets live in {@code <logDir>/kafka}, so a later start with {@link Mode#REUSE} finds them.
 * Records up to 10 MiB are accepted.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** Largest record batch the broker accepts (and replicates), with room for batch overhead. */
  static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024 + 64 * 1024;

  private static final int NODE_ID = 1;

  private final KafkaRaftServer server;
  private final Local.Claim claim;
  private Admin admin;
  private boolean closed;

  private EmbeddedKafka(KafkaRaftServer server, Local.Claim claim) {
    this.server = server;
    this.claim = claim;
  }

  /**
   * Formats {@code logDir} if needed and starts the broker; returns once it accepts clients.
   *
   * @param logDir folder that keeps topics and offsets between runs; created if missing
   * @param port client port on 127.0.0.1, or 0 for any free port
   * @param mode {@link Mode#REUSE} keeps existing topics, {@link Mode#FRESH} wipes them first
   * @throws LakehouseException if the port is taken, another process uses {@code logDir}, or the
   *     broker fails to start
   */
  public static EmbeddedKafka start(Path logDir, int port, Mode mode) {
    Local.Claim claim = Local.claim("Kafka", logDir, port);
    try {
      Path data = claim.dir().resolve("kafka");
      if (mode == Mode.FRESH) {
        Folders.delete(data);
      }
      Files.createDirectories(data);
      // The controller's port is private to this JVM, so any free one will do on every start.
      KafkaConfig config =
          new KafkaConfig(
              properties(data, claim.port(), Local.anyFreePortBut(claim.port())), false);
      format(config, data);
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      try {
        server.startup();
      } catch (RuntimeException e) {
        stopQuietly(server);
        if (port != 0 && !Local.free(port)) {
          throw LakehouseErrors.portInUse("Kafka", port);
        }
        throw e;
      }
      return new EmbeddedKafka(server, claim);
    } catch (LakehouseException e) {
      claim.lock().release();
      throw e;
    } catch (Exception e) {
      claim.lock().release();
      throw LakehouseErrors.serviceFailed("Kafka", claim.dir(), e);
    }
  }

  /** What clients pass as {@code bootstrap.servers}, e.g. {@code 127.0.0.1:9092}. */
  public String bootstrapServers() {
    return Local.HOST + ":" + claim.port();
  }

  /** The client port on 127.0.0.1. */
  public int port() {
    return claim.port();
  }

  /**
   * Creates a topic with {@code partitions} partitions unless it exists already (whatever its
   * partition count), and waits until the broker has it.
   */
  public synchronized void createTopic(String name, int partitions) {
    try {
      admin()
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw LakehouseErrors.jobFailed("Creating Kafka topic " + name, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LakehouseErrors.jobFailed("Creating Kafka topic " + name, e);
    } catch (TimeoutException e) {
      throw LakehouseErrors.jobFailed("Creating Kafka topic " + name, e);
    }
  }

  /** Stops the broker cleanly (so the next start needs no log recovery) and keeps its data. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (admin != null) {
        admin.close(java.time.Duration.ofSeconds(5));
      }
      stopQuietly(server);
    } finally {
      claim.lock().release();
    }
  }

  private Admin admin() {
    if (closed) {
      throw new IllegalStateException("Kafka broker on port " + claim.port() + " is closed");
    }
    if (admin == null) {
      admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrapServers(),
                  AdminClientConfig.CLIENT_ID_CONFIG,
                  "northwind-embedded-admin"));
    }
    return admin;
  }

  private static void stopQuietly(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  /**
   * Broker settings for one local node: the fixed ones from {@code
   * services/kafka-broker.properties} (where each is explained), and the ports and folder of this
   * start.
   */
  static Properties properties(Path data, int clientPort, int controllerPort) {
    Properties p = Resources.properties("services/kafka-broker.properties");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + Local.HOST + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://"
            + Local.HOST
            + ":"
            + clientPort
            + ",CONTROLLER://"
            + Local.HOST
            + ":"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + Local.HOST + ":" + clientPort);
    p.put("log.dirs", data.toString());
    // Orders with pictures can be several MB.
    p.put("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    p.put("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    return p;
  }

  /**
   * What {@code kafka-storage.sh format} does: write meta.properties and the bootstrap metadata
   * into a new log folder. An already formatted folder (a reused one) is left as it is.
   */
  static void format(KafkaConfig config, Path data) throws Exception {
    if (Files.exists(data.resolve("meta.properties"))) {
      return;
    }
    new Formatter()
        // It reports each folder on stdout; the lakehouse's stdout is for the user.
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setNodeId(NODE_ID)
        .setClusterId(Uuid.randomUuid().toString())
        .setControllerListenerName("CONTROLLER")
        .setMetadataLogDirectory(config.metadataLogDir())
        .setDirectories(List.of(data.toString()))
        .setIgnoreFormatted(true)
        .run();
  }
}
