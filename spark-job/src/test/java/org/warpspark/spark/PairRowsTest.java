package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.engine.InvalidPairException;
import org.warpspark.engine.RegistrationDivergedException;
import org.warpspark.image.CorruptImageException;
import org.warpspark.pair.PairImages;
import org.warpspark.pair.PairPipeline;
import org.warpspark.pair.PairResult;
import org.warpspark.pair.PairSpec;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.pair.StageFailure;
import org.warpspark.testing.StalledFileSystem;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.table.Losses;
import org.warpspark.udfs.table.Registrations;

/**
 * A stage that fails keeps the stages before it, in the pipeline and in the rows: a deformable stage
 * that diverges leaves the affine result and its row ok, and its own row failed with the cause.
 */
class PairRowsTest {
  /**
   * The B-spline's penalty times this overflows after the first step: the deformable objective is no
   * longer finite.
   */
  private static final Map<String, String> DIVERGING_DEFORMABLE = Map.of("iterations", "20,20,20",
      "deformable-model", "bspline", "regularisation-weight", "1e300", "deformable-iterations", "10,10");

  @TempDir
  static Path dir;
  static PairSpec pair;

  @BeforeAll
  static void write() throws Exception {
    SamplePairs.write(dir);
    pair = new PairSpec("p", dir.resolve("sample_2d_fixed.nii.gz").toString(),
        dir.resolve("sample_2d_moving.nii.gz").toString(), null, null, null, Map.of());
  }

  @Test
  void aFailedDeformableStageKeepsTheAffineStage() {
    RegistrationConfig config = RegistrationConfig.of(DIVERGING_DEFORMABLE);
    PairImages images = PairImages.read(pair, new Configuration(), config.readLimits());
    StageFailure failure;
    try (NDManager manager = NativeScope.openCpu()) {
      failure = assertThrows(StageFailure.class, () -> new PairPipeline(config, false).register(images, manager));
    }
    assertEquals(PairResult.DEFORMABLE, failure.stage());
    assertTrue(failure.getCause() instanceof RegistrationDivergedException, failure.getCause().toString());
    assertNotNull(failure.finished().affine());
    assertNull(failure.finished().deformable());
    assertEquals(List.of(PairResult.AFFINE), failure.finished().finishedStages());
  }

  @Test
  void aFailedAffineStageLeavesNothingFinished() {
    PairSpec mismatched = new PairSpec("m", pair.fixed(), dir.resolve("sample_3d_moving.nii.gz").toString(), null,
        null, null, Map.of());
    RegistrationConfig config = RegistrationConfig.defaults();
    PairImages images = PairImages.read(mismatched, new Configuration(), config.readLimits());
    try (NDManager manager = NativeScope.openCpu()) {
      StageFailure failure = assertThrows(StageFailure.class,
          () -> new PairPipeline(config, false).register(images, manager));
      assertEquals(PairResult.AFFINE, failure.stage());
      assertTrue(failure.getCause() instanceof InvalidPairException, failure.getCause().toString());
      assertEquals(List.of(), failure.finished().finishedStages());
    }
  }

  @Test
  void theRowsSayWhichStageFailedAndWhy() {
    RegistrationConfig config = RegistrationConfig.of(DIVERGING_DEFORMABLE);
    PairTask task = Planner.plan(List.of(pair), config, null, new Configuration()).get(0);
    PairRows.Outcome outcome = PairRows.register(task, new Configuration(), PairRows.Where.cpu("test"));
    assertTrue(outcome.failed());
    assertEquals(2, outcome.registrations().size());
    Row affine = outcome.registrations().get(0);
    Row deformable = outcome.registrations().get(1);
    assertEquals(Registrations.STATUS_OK, registration(affine, Registrations.STATUS));
    assertEquals(Registrations.STATUS_FAILED, registration(deformable, Registrations.STATUS));
    assertEquals("RegistrationDivergedException", registration(deformable, Registrations.ERROR_CLASS));
    assertTrue(((String) registration(deformable, Registrations.ERROR)).startsWith("pair p: deformable"),
        (String) registration(deformable, Registrations.ERROR));
    assertTrue(outcome.losses().stream().allMatch(r -> "affine".equals(r.get(Losses.TABLE.schema().fieldIndex(Losses.STAGE)))), "only the affine curve");
    assertEquals(List.of(), outcome.flowFields());
  }

  @Test
  void anUnreadableInputFailsEveryStageNamingTheFile() {
    PairSpec truncated = new PairSpec("t", pair.fixed(), dir.resolve("truncated_moving.nii.gz").toString(), null,
        null, null, Map.of());
    PairTask task = Planner.plan(List.of(truncated), RegistrationConfig.defaults(), null, new Configuration()).get(0);
    PairRows.Outcome outcome = PairRows.register(task, new Configuration(), PairRows.Where.cpu("test"));
    assertEquals(2, outcome.registrations().size());
    Row first = outcome.registrations().get(0);
    assertEquals(CorruptImageException.class.getSimpleName(), registration(first, Registrations.ERROR_CLASS));
    assertTrue(((String) registration(first, Registrations.ERROR)).contains("truncated_moving.nii.gz"));
    assertEquals(PairRows.NOT_RUN, registration(outcome.registrations().get(1), Registrations.ERROR_CLASS));
  }

  @Test
  void aReadThatNeverReturnsCostsOnePairNotTheRun() {
    Configuration conf = new Configuration();
    conf.set("fs.hdfs.impl", StalledFileSystem.class.getName());
    conf.setBoolean("fs.hdfs.impl.disable.cache", true);
    StalledFileSystem.rearm();
    try {
      PairSpec stalled = new PairSpec("stalled", "hdfs://nfs/scans/fixed.nii.gz", pair.moving(), null, null, null,
          Map.of());
      RegistrationConfig config = RegistrationConfig.of(Map.of("time-limit", "1", "stages", "affine"));
      PairTask task = new PairTask(stalled, config.given(), config.hash(), config.stages(), null, null);
      long start = System.nanoTime();
      PairRows.Outcome outcome = PairRows.register(task, conf, PairRows.Where.cpu("test"));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(PairRows.TIME_LIMIT_EXCEEDED, registration(outcome.registrations().get(0),
          Registrations.ERROR_CLASS));
      assertTrue(seconds < 30, "the limit plus the grace for letting go: " + seconds + " s");
    } finally {
      StalledFileSystem.release();
    }
  }

  @Test
  void aStageThatKeptItsStartIsOkButFlagged() {
    Map<String, String> wild = Map.of("stages", "affine", "loss", "mse", "levels", "1", "iterations", "5",
        "learning-rate", "30");
    PairTask task = Planner.plan(List.of(pair), RegistrationConfig.of(wild), null, new Configuration()).get(0);
    Row affine = PairRows.register(task, new Configuration(), PairRows.Where.cpu("test")).registrations().get(0);
    assertEquals(Registrations.STATUS_OK, registration(affine, Registrations.STATUS));
    assertEquals(true, registration(affine, Registrations.KEPT_START));
    List<?> warnings = scala.jdk.javaapi.CollectionConverters.asJava(
        (scala.collection.Seq<?>) registration(affine, Registrations.WARNINGS));
    assertTrue(warnings.contains("kept its start: the optimisation ended worse than it started by its own loss"),
        warnings.toString());
  }

  /** A registrations value by column name (rows made in a task carry no schema of their own). */
  private static Object registration(Row row, String column) {
    return row.get(Registrations.TABLE.schema().fieldIndex(column));
  }
}
