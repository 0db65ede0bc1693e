package org.warpspark.testing;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API server for tests: S3Proxy over a local folder, on a free loopback port, accepting one
 * key pair made up per server (so that a test can look for the secret in logs and tables).
 */
public final class S3Server implements AutoCloseable {
  public static final String REGION = "us-east-1";

  public final String accessKey = "AKIA" + random(8).toUpperCase();
  public final String secretKey = random(20);
  /** A secret that differs from {@link #secretKey} whatever the random digits ("w" is not a hex digit). */
  public final String wrongSecretKey = "wrong" + secretKey.substring(5);
  private final S3Proxy proxy;
  private final BlobStoreContext store;
  private final S3Client client;

  private S3Server(Path folder) throws Exception {
    Properties backend = new Properties();
    backend.setProperty("jclouds.filesystem.basedir", folder.toString());
    // The filesystem backend: S3Proxy's nio2 backends break the rename-based commit of Spark's writes.
    store = ContextBuilder.newBuilder("filesystem").overrides(backend).build(BlobStoreContext.class);
    proxy = S3Proxy.builder().blobStore(store.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey).build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start in 30 s: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    client = S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.of(REGION))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .build();
  }

  /** Starts a server keeping its buckets under {@code folder}. */
  public static S3Server start(Path folder) throws Exception {
    return new S3Server(folder);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  public S3Server createBucket(String bucket) {
    client.createBucket(b -> b.bucket(bucket));
    return this;
  }

  public void put(String bucket, String key, Path file) {
    client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
  }

  public byte[] get(String bucket, String key) {
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  public List<String> keys(String bucket) {
    return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
  }

  /** s3a's settings for this server, without credentials: those come from the standard providers. */
  public Map<String, String> s3aSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("fs.s3a.endpoint", endpoint());
    settings.put("fs.s3a.endpoint.region", REGION);
    settings.put("fs.s3a.path.style.access", "true");
    settings.put("fs.s3a.connection.ssl.enabled", "false");
    return settings;
  }

  /** The settings as spark-submit arguments ({@code --conf spark.hadoop.<key>=<value>}). */
  public static List<String> sparkArgs(Map<String, String> s3aSettings) {
    return s3aSettings.entrySet().stream()
        .flatMap(e -> List.of("--conf", "spark.hadoop." + e.getKey() + "=" + e.getValue()).stream()).toList();
  }

  /** The environment variables the AWS SDK reads credentials from. */
  public Map<String, String> credentialsEnvironment() {
    return Map.of("AWS_ACCESS_KEY_ID", accessKey, "AWS_SECRET_ACCESS_KEY", secretKey, "AWS_REGION", REGION);
  }

  /** A Hadoop configuration for this server, with the keys set in it (in-process tests only). */
  public Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    s3aSettings().forEach(conf::set);
    conf.set("fs.s3a.access.key", accessKey);
    conf.set("fs.s3a.secret.key", secretKey);
    return conf;
  }

  @Override
  public void close() throws Exception {
    client.close();
    proxy.stop();
    store.close();
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
