package dev.northwind.lakehouse.testing;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-compatible server in this JVM (s3proxy over jclouds' in-memory {@code transient} store) on
 * a free port of 127.0.0.1, with one bucket, for {@code s3a://} lakes in tests. Every server has
 * its own random bucket name and keys, so S3A's per-bucket settings and file-system cache never mix
 * two servers up. Keys are never logged ({@link #toString()} omits them).
 */
public final class S3Server implements AutoCloseable {

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final String bucket;
  private final String accessKey;
  private final String secretKey;

  private S3Server(
      S3Proxy proxy, BlobStoreContext context, String bucket, String accessKey, String secretKey) {
    this.proxy = proxy;
    this.context = context;
    this.bucket = bucket;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** Starts a server and creates its bucket. */
  public static S3Server start() {
    String id = UUID.randomUUID().toString().replace("-", "");
    String bucket = "lake-" + id.substring(0, 12);
    String accessKey = "test-" + id.substring(12, 20);
    String secretKey = UUID.randomUUID().toString();
    // transient = in memory; the *-nio2 stores break Delta's first commit (see STACK.md).
    BlobStoreContext context =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .overrides(new Properties())
            .build(BlobStoreContext.class);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .build();
    try {
      proxy.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        Thread.sleep(10);
      }
    } catch (Exception e) {
      context.close();
      throw new IllegalStateException("s3proxy failed to start", e);
    }
    S3Server server = new S3Server(proxy, context, bucket, accessKey, secretKey);
    // S3A does not create buckets; the SDK does, as an operator would.
    try (S3Client s3 = server.client()) {
      s3.createBucket(b -> b.bucket(bucket));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public String bucket() {
    return bucket;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  /** {@code s3a://<bucket>/<path>}. */
  public URI uri(String path) {
    return URI.create("s3a://" + bucket + "/" + path);
  }

  /** An SDK client for this server (path-style, since there is no DNS for virtual hosts). */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .build();
  }

  /**
   * The Hadoop settings S3A needs for this server, WITHOUT the {@code spark.hadoop.} prefix and
   * scoped to this bucket ({@code fs.s3a.bucket.<bucket>.*}), so they can be set on a shared
   * session's Hadoop configuration without changing what other buckets use.
   */
  public Map<String, String> hadoopSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    general().forEach((k, v) -> m.put(k.replace("fs.s3a.", "fs.s3a.bucket." + bucket + "."), v));
    return m;
  }

  /**
   * The same settings as Spark settings ({@code spark.hadoop.fs.s3a.*}, for all buckets), as they
   * would be given to {@code spark-submit --conf} or the lakehouse's {@code spark.conf}.
   */
  public Map<String, String> sparkSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spark.hadoop.fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    general().forEach((k, v) -> m.put("spark.hadoop." + k, v));
    return m;
  }

  private Map<String, String> general() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("fs.s3a.endpoint", endpoint().toString());
    // No region lookup against AWS: the endpoint is explicit.
    m.put("fs.s3a.endpoint.region", "us-east-1");
    m.put("fs.s3a.path.style.access", "true");
    m.put("fs.s3a.connection.ssl.enabled", "false");
    // Only the given keys; no probing of environment variables or an instance metadata service.
    m.put(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    m.put("fs.s3a.access.key", accessKey);
    m.put("fs.s3a.secret.key", secretKey);
    return m;
  }

  /** Applies {@link #hadoopSettings()} to a (shared) session's Hadoop configuration. */
  public void configure(Configuration hadoop) {
    hadoopSettings().forEach(hadoop::set);
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy failed to stop", e);
    } finally {
      context.close();
    }
  }

  @Override
  public String toString() {
    return "S3Server[" + endpoint() + ", bucket=" + bucket + "]";
  }
}
