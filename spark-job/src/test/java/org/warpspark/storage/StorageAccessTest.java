package org.warpspark.storage;

import org.warpspark.testing.HangUpEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.testing.S3Server;

/** s3a through {@link StorageAccess} against a real S3 API server on loopback. */
class StorageAccessTest {
  @TempDir
  static Path dir;
  static S3Server s3;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3Server.start(Files.createDirectories(dir.resolve("buckets"))).createBucket("scans");
    Path file = Files.writeString(dir.resolve("a.txt"), "voxels");
    s3.put("scans", "a.txt", file);
  }

  @AfterAll
  static void stopServer() throws Exception {
    s3.close();
  }

  private static Configuration prepared(Configuration conf) {
    return StorageAccess.prepare(conf);
  }

  private static IOException lookUpFails(String uri, Configuration conf) throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
    try (FileSystem fs = FileSystem.newInstance(path.toUri(), conf)) {
      return assertThrows(IOException.class, () -> fs.getFileStatus(path));
    }
  }

  /** Tries per s3a request with these settings: each of retry.limit + 1 rounds makes attempts.maximum + 1. */
  private static int triesPerRequest(Configuration conf) {
    return (conf.getInt("fs.s3a.retry.limit", -1) + 1) * (conf.getInt("fs.s3a.attempts.maximum", -1) + 1);
  }

  @Test
  void boundedRetriesAndTheStandardCredentialChainAreTheDefaults() {
    Configuration conf = StorageAccess.configuration();
    StorageAccess.DEFAULTS.forEach((key, value) -> assertEquals(value, conf.get(key), key));
    assertTrue(conf.get("fs.s3a.aws.credentials.provider").contains("ProfileCredentialsProvider"));
  }

  @Test
  void keysSparkCopiedFromTheEnvironmentAreDroppedAndOthersKept() {
    Configuration conf = new Configuration();
    conf.set("fs.s3a.access.key", "AKIAEXAMPLE", "Set by Spark on host1 from AWS_ACCESS_KEY_ID");
    conf.set("fs.s3a.secret.key", "from-the-environment", "Set by Spark on host1 from AWS_SECRET_ACCESS_KEY");
    conf.set("fs.s3a.endpoint", "http://store:9000", "Set by Spark on host1 from AWS_ENDPOINT_URL");
    conf.set("fs.s3a.bucket.scans.secret.key", "from-core-site", "core-site.xml");
    StorageAccess.prepare(conf);
    assertEquals(null, conf.get("fs.s3a.access.key"));
    assertEquals(null, conf.get("fs.s3a.secret.key"));
    assertEquals("http://store:9000", conf.get("fs.s3a.endpoint"));
    assertEquals("from-core-site", conf.get("fs.s3a.bucket.scans.secret.key"));
  }

  @Test
  void credentialsInALocationAreRefusedWithoutRepeatingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StorageAccess.refuseCredentialsInUri("s3a://AKIAX:s3cr3t@scans/pairs.csv", "--manifest"));
    assertTrue(e.getMessage().startsWith("--manifest holds credentials in its URI"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cr3t"));
    StorageAccess.refuseCredentialsInUri("s3a://scans/a@b.nii.gz", "--manifest");
    StorageAccess.refuseCredentialsInUri(null, "--config");
  }

  @Test
  void settingsTheUserMadeAreKept() {
    Configuration conf = new Configuration();
    conf.set("fs.s3a.retry.limit", "11");
    conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider");
    StorageAccess.prepare(conf);
    assertEquals("11", conf.get("fs.s3a.retry.limit"));
    assertEquals("org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider",
        conf.get("fs.s3a.aws.credentials.provider"));
    assertEquals(StorageAccess.DEFAULTS.get("fs.s3a.attempts.maximum"), conf.get("fs.s3a.attempts.maximum"));
  }

  @Test
  void keysInTheSparkConfigurationAreRefusedByNameNotValue() {
    for (String key : List.of("spark.hadoop.fs.s3a.secret.key", "spark.hadoop.fs.s3a.access.key",
        "spark.hadoop.fs.s3a.session.token", "spark.hadoop.fs.s3a.bucket.scans.secret.key",
        "spark.hadoop.fs.s3a.bucket.my.scans.access.key", "spark.hadoop.fs.s3a.encryption.key",
        "spark.executorEnv.AWS_SECRET_ACCESS_KEY", "spark.kubernetes.driverEnv.AWS_SESSION_TOKEN")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> StorageAccess.refuseInlineSecrets(List.of("spark.master", key)));
      assertTrue(e.getMessage().startsWith(key + " is set in the Spark configuration"), e.getMessage());
    }
    StorageAccess.refuseInlineSecrets(List.of("spark.hadoop.fs.s3a.endpoint", "spark.hadoop.fs.s3a.retry.limit",
        "spark.executorEnv.AWS_REGION", "spark.kubernetes.executor.secretKeyRef.AWS_SECRET_ACCESS_KEY"));
  }

  @Test
  void theRightKeyReadsAndAWrongOneIsDeniedWithoutTheSecretInTheMessage() throws IOException {
    Configuration good = prepared(s3.hadoopConfiguration());
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path("s3a://scans/a.txt");
    try (FileSystem fs = FileSystem.newInstance(path.toUri(), good)) {
      assertEquals(6, fs.getFileStatus(path).getLen());
    }

    Configuration wrong = prepared(s3.hadoopConfiguration());
    String wrongSecret = s3.wrongSecretKey;
    wrong.set("fs.s3a.secret.key", wrongSecret);
    String cause = StorageAccess.cause(lookUpFails("s3a://scans/a.txt", wrong));
    assertTrue(cause.startsWith("access denied (check the credentials"), cause);
    assertTrue(cause.contains("s3a://scans/a.txt"), cause);
    assertFalse(cause.contains(wrongSecret) || cause.contains(s3.secretKey), cause);
  }

  @Test
  void aMissingBucketAndAMissingObjectAreNamed() throws IOException {
    Configuration conf = prepared(s3.hadoopConfiguration());
    IOException noObject = lookUpFails("s3a://scans/nothing.nii.gz", conf);
    assertTrue(StorageAccess.cause(noObject).startsWith("it does not exist"));
    assertFalse(StorageAccess.isUnreachable(noObject));
    IOException noBucket = lookUpFails("s3a://nobucket/a.nii.gz", conf);
    assertTrue(StorageAccess.cause(noBucket).startsWith("the bucket does not exist"), StorageAccess.cause(noBucket));
    assertTrue(StorageAccess.isUnreachable(noBucket));
  }

  @Test
  void anUnreachableEndpointFailsAfterBoundedRetries() throws IOException {
    try (HangUpEndpoint dead = new HangUpEndpoint()) {
      Configuration conf = prepared(s3.hadoopConfiguration());
      conf.set("fs.s3a.endpoint", dead.url());
      IOException e = lookUpFails("s3a://scans/a.txt", conf);
      assertTrue(StorageAccess.isUnreachable(e));
      String cause = StorageAccess.cause(e);
      assertTrue(cause.startsWith("the storage endpoint cannot be reached (s3a gave up retrying)"), cause);
      // The lookup's first request is retried, then given up: it never gets to its second.
      assertEquals(9, triesPerRequest(conf));
      assertEquals(triesPerRequest(conf), dead.connections());
    }
  }
}
