package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.storage.StorageAccess;
import org.warpspark.testing.HangUpEndpoint;
import org.warpspark.testing.S3Server;
import org.warpspark.testing.StalledFileSystem;
import org.warpspark.pair.PairSpec;

/** The driver's lookups of every input, on a store that answers and on one that does not. */
class PlannerTest {
  @TempDir
  Path dir;

  /** Plans {@code offlinePairs} pairs with an image on a bucket whose endpoint hangs up, and one local pair. */
  private List<PairTask> plan(int offlinePairs, HangUpEndpoint dead) throws Exception {
    Path image = Files.writeString(dir.resolve("here.nii.gz"), "not read by the planner");
    Configuration conf = StorageAccess.configuration();
    conf.set("fs.s3a.bucket.offline.endpoint", dead.url());
    conf.set("fs.s3a.path.style.access", "true");
    conf.set("fs.s3a.endpoint.region", S3Server.REGION);
    conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider");
    conf.setBoolean("fs.s3a.impl.disable.cache", true); // each plan its own client: no warm connection pool
    List<PairSpec> pairs = new ArrayList<>();
    for (int i = 0; i < offlinePairs; i++) {
      pairs.add(new PairSpec("p" + i, image.toString(), "s3a://offline/moving" + i + ".nii.gz", null, null, null,
          Map.of()));
    }
    pairs.add(new PairSpec("local", image.toString(), image.toString(), null, null, null, Map.of()));
    return Planner.plan(pairs, RegistrationConfig.of(Map.of()), null, conf);
  }

  @Test
  void aStoreThatCannotBeReachedIsTriedOnceAndEveryPairOnItIsPlannedToFail() throws Exception {
    int onePair;
    try (HangUpEndpoint dead = new HangUpEndpoint()) {
      plan(1, dead);
      onePair = dead.connections();
    }
    try (HangUpEndpoint dead = new HangUpEndpoint()) {
      List<PairTask> tasks = plan(4, dead);
      assertTrue(onePair > 1, "retried: " + onePair);
      assertEquals(onePair, dead.connections(), "four pairs on the store cost what one does");
      for (int i = 0; i < 4; i++) {
        String failure = tasks.get(i).plannedFailure();
        assertTrue(failure.startsWith("moving image s3a://offline/moving" + i + ".nii.gz cannot be reached: "
            + "the storage endpoint cannot be reached"), failure);
        assertEquals(i > 0, failure.endsWith("(s3a://offline not tried again)"), failure);
      }
      assertNull(tasks.get(4).plannedFailure(), "a pair on another store is not affected");
    }
  }

  @Test
  void aStoreThatDoesNotAnswerIsGivenUpAfterTheLookupLimit() {
    Configuration conf = new Configuration();
    conf.set("fs.hdfs.impl", StalledFileSystem.class.getName());
    conf.setBoolean("fs.hdfs.impl.disable.cache", true);
    StalledFileSystem.rearm();
    try (LookupThread lookups = new LookupThread()) {
      Map<String, String> unreachable = new HashMap<>();
      PairSpec first = new PairSpec("a", "hdfs://nfs/a.nii.gz", "hdfs://nfs/b.nii.gz", null, null, null, Map.of());
      long start = System.nanoTime();
      String failure = Planner.missingInput(first, conf, unreachable, lookups, 1);
      assertEquals("fixed image hdfs://nfs/a.nii.gz cannot be reached: no answer within 1 s (a stalled mount or "
          + "store?)", failure);
      PairSpec second = new PairSpec("b", "hdfs://nfs/c.nii.gz", "hdfs://nfs/d.nii.gz", null, null, null, Map.of());
      assertTrue(Planner.missingInput(second, conf, unreachable, lookups, 1)
          .endsWith("(hdfs://nfs not tried again)"));
      assertTrue((System.nanoTime() - start) / 1e9 < 5, "one wait for the store, not one per input");
    } finally {
      StalledFileSystem.release();
    }
  }
}
