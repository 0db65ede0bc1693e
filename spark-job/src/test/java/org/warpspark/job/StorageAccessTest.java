package org.warpspark.job;

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

  /** A configuration for the server, prepared, with s3a's file system cache off (each test its own client). */
  private static Configuration prepared(Configuration conf) {
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    return StorageAccess.prepare(conf);
  }

  private static IOException lookUpFails(String uri, Configuration conf) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
    return assertThrows(IOException.class, () -> FileSystem.get(path.toUri(), conf).getFileStatus(path));
  }

  @Test
  void boundedRetriesAndTheStandardCredentialChainAreTheDefaults() {
    Configuration conf = StorageAccess.configuration();
    StorageAccess.DEFAULTS.forEach((key, value) -> assertEquals(value, conf.get(key), key));
    assertTrue(conf.get("fs.s3a.aws.credentials.provider").contains("DefaultCredentialsProvider"));
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
        "spark.hadoop.fs.s3a.bucket.my.scans.access.key",
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
    assertEquals(6, FileSystem.get(path.toUri(), good).getFileStatus(path).getLen());

    Configuration wrong = prepared(s3.hadoopConfiguration());
    String wrongSecret = "wrong" + s3.secretKey.substring(5);
    wrong.set("fs.s3a.secret.key", wrongSecret);
    String cause = StorageAccess.cause(lookUpFails("s3a://scans/a.txt", wrong), wrong);
    assertTrue(cause.startsWith("access denied (check the credentials"), cause);
    assertTrue(cause.contains("s3a://scans/a.txt"), cause);
    assertFalse(cause.contains(wrongSecret) || cause.contains(s3.secretKey), cause);
  }

  @Test
  void aMissingBucketAndAMissingObjectAreNamed() {
    Configuration conf = prepared(s3.hadoopConfiguration());
    assertTrue(StorageAccess.cause(lookUpFails("s3a://scans/nothing.nii.gz", conf), conf)
        .startsWith("it does not exist"));
    String cause = StorageAccess.cause(lookUpFails("s3a://nobucket/a.nii.gz", conf), conf);
    assertTrue(cause.startsWith("the bucket does not exist"), cause);
  }

  @Test
  void anUnreachableEndpointFailsAfterBoundedRetries() throws IOException {
    try (S3Server.DeadEndpoint dead = new S3Server.DeadEndpoint()) {
      Configuration conf = prepared(s3.hadoopConfiguration());
      conf.set("fs.s3a.endpoint", dead.endpoint());
      String cause = StorageAccess.cause(lookUpFails("s3a://scans/a.txt", conf), conf);
      assertTrue(cause.startsWith("the storage endpoint cannot be reached (gave up after 3 retries)"), cause);
      // A lookup is two requests (HEAD, then LIST); each is tried (retry.limit + 1) x attempts.maximum times at most.
      int bound = 2 * (3 + 1) * 3;
      assertTrue(dead.connections() > 2 && dead.connections() <= bound,
          dead.connections() + " connections, expected retries but at most " + bound);
    }
  }
}
