package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.testing.Tripwires;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.udfs.metric.TransformError;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.table.FlowFields;
import org.warpspark.udfs.table.Losses;
import org.warpspark.udfs.table.Registrations;
import org.warpspark.udfs.table.Runs;
import org.warpspark.pair.PairSpec;

/**
 * A run over good and bad pairs on local[2]: one row per pair and stage, failures recorded with their
 * cause, known motions recovered, reruns idempotent, --resume keeps what is done.
 */
class RunJobTest {
  /** Short schedules: the job, not the optimiser's last digit, is under test. */
  /** The sample pairs are piecewise-constant phantoms of one modality: mean squares (see RegisterPairDeformableTest). */
  static final Map<String, String> QUICK = Map.of("iterations", "60,40,120", "deformable-loss", "mse");

  @TempDir
  static Path dir;
  static SparkSession spark;
  static SamplePairs samples;
  static List<PairSpec> pairs;

  @BeforeAll
  static void setUp() throws IOException {
    spark = SparkSessions.builder("RunJobTest", "local[2]").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    samples = SamplePairs.write(dir);
    pairs = Manifest.read(spark, samples.manifest.toString());
  }

  @AfterAll
  static void tearDown() {
    spark.stop();
  }

  private static RunJob.Summary run(String out, String runId, boolean resume, double maxFailed) {
    RunJob.Options options = RunJob.Options.of("manifest.csv", pairs, out, runId, RegistrationConfig.of(QUICK))
        .withResume(resume).withMaxFailedFraction(maxFailed);
    return RunJob.run(spark, options, new PrintWriter(new StringWriter(), true));
  }

  private static List<Row> rows(String out, String table, String runId) {
    return spark.read().parquet(out + "/" + table).filter("run_id = '" + runId + "'").collectAsList();
  }

  private static Map<String, Row> byPairAndStage(List<Row> rows) {
    return rows.stream().collect(Collectors.toMap(
        r -> r.getAs(Registrations.PAIR_ID) + "/" + r.getAs(Registrations.STAGE), r -> r));
  }

  @Test
  void everyPairGetsOneRowPerStageAndFailuresCarryTheirCause() {
    String out = dir.resolve("tables-a").toString();
    RunJob.Summary summary = run(out, "r1", false, 0);
    assertEquals(7, summary.pairs());
    assertEquals(2, summary.ok());
    assertEquals(5, summary.failed());
    assertEquals(1, summary.exitCode(), "failures above --max-failed-fraction 0 must fail the run");

    Map<String, Row> rows = byPairAndStage(rows(out, "registrations", "r1"));
    assertEquals(List.of("diverging/affine", "diverging/deformable", "mismatched/affine", "mismatched/deformable", "missing/affine", "missing/deformable",
        "sample_2d/affine", "sample_2d/deformable", "sample_3d/affine", "too_large/affine",
        "too_large/deformable", "truncated/affine", "truncated/deformable"), rows.keySet().stream().sorted().toList());

    assertFailed(rows.get("missing/affine"), "InputNotFound", "nowhere.nii.gz does not exist");
    assertFailed(rows.get("truncated/affine"), "CorruptImageException", "truncated_moving.nii.gz");
    assertFailed(rows.get("mismatched/affine"), "InvalidPairException", "fixed image is 2D but the moving image is 3D");
    assertFailed(rows.get("too_large/affine"), "ImageTooLargeException", "100");
    assertFailed(rows.get("diverging/affine"), "RegistrationDivergedException", "loss is NaN");
    assertFailed(rows.get("missing/deformable"), PairRows.NOT_RUN, "not run: the affine stage failed");

    for (String id : List.of("sample_2d", "sample_3d")) {
      Row affine = rows.get(id + "/affine");
      assertEquals(Registrations.STATUS_OK, affine.getAs(Registrations.STATUS), id + ": " + affine.getAs(Registrations.ERROR));
      Affine found = Affine.ofRowMajor(affine.<Double>getList(affine.fieldIndex(Registrations.FIXED_TO_MOVING))
          .stream().mapToDouble(Double::doubleValue).toArray());
      double error = TransformError.maxCornerDistanceMm(found, samples.truths.get(id), SamplePairs.gridOf(id));
      assertTrue(error < 0.5, id + ": corner error " + error + " mm");
      assertTrue((double) affine.getAs(Registrations.MSE_AFTER) < 0.2 * (double) affine.getAs(Registrations.MSE_BEFORE));
      assertEquals("cpu", affine.getAs(Registrations.DEVICE));
      assertEquals(64, ((String) affine.getAs(Registrations.CONFIG_HASH)).length());
    }
    Row deformable = rows.get("sample_2d/deformable");
    assertEquals(Registrations.STATUS_OK, deformable.getAs(Registrations.STATUS), (String) deformable.getAs(Registrations.ERROR));
    assertEquals(0.0, (double) deformable.getAs(Registrations.FOLDING_FRACTION));
    double inverseError = deformable.getAs(Registrations.INVERSE_ERROR);
    assertTrue(inverseError >= 0 && inverseError < 0.1, "the written inverse is off by " + inverseError + " mm");
    assertNull(rows.get("sample_2d/affine").getAs(Registrations.INVERSE_ERROR));
    // Where each stage's time went: every part measured, the registration itself within the stage's time.
    Map<String, Double> affineTimings = rows.get("sample_2d/affine").getJavaMap(
        rows.get("sample_2d/affine").fieldIndex(Registrations.TIMINGS));
    assertEquals(Set.of("read", "window", "optimise", "warp", "metrics", "dice", "rows"), affineTimings.keySet());
    Map<String, Double> deformableTimings = deformable.getJavaMap(deformable.fieldIndex(Registrations.TIMINGS));
    assertEquals(Set.of("optimise", "warp", "metrics", "dice", "inverse", "jacobian", "rows"),
        deformableTimings.keySet());
    for (Map<String, Double> timings : List.of(affineTimings, deformableTimings)) {
      assertTrue(timings.values().stream().allMatch(t -> t >= 0), timings.toString());
    }
    assertTrue(affineTimings.get("optimise") > 0 && affineTimings.get("optimise")
        < (double) rows.get("sample_2d/affine").getAs(Registrations.SECONDS), affineTimings.toString());
    assertTrue(deformableTimings.get("optimise") > 0 && deformableTimings.get("optimise")
        < (double) deformable.getAs(Registrations.SECONDS), deformableTimings.toString());
    Map<String, Double> diceAfter = deformable.getJavaMap(deformable.fieldIndex(Registrations.DICE_AFTER));
    assertTrue(diceAfter.containsKey("1") && diceAfter.containsKey("2"), "Dice per label: " + diceAfter);
    assertNotEquals(value(rows.get("sample_2d/affine"), Registrations.CONFIG_HASH),
        value(rows.get("sample_3d/affine"), Registrations.CONFIG_HASH), "a per-pair override changes the pair's settings hash");

    // The flow field's rows reassemble the whole map, which matches the true motion.
    List<Row> flow = rows(out, "flow_fields", "r1");
    assertEquals(List.of("sample_2d"), flow.stream().map(r -> (String) r.getAs(FlowFields.PAIR_ID)).toList());
    assertEquals(List.of(72, 64), flow.get(0).getList(flow.get(0).fieldIndex(FlowFields.SIZE)));
    double error = FlowFieldRows.meanErrorMm(flow.get(0), samples.truths.get("sample_2d"));
    assertTrue(error < 0.3, "mean error of the 2D map " + error + " mm");

    // The loss curves add up to the iterations the registrations report.
    Map<String, Long> curve = rows(out, "losses", "r1").stream().collect(Collectors.groupingBy(
        r -> r.getAs(Registrations.PAIR_ID) + "/" + r.getAs(Registrations.STAGE), Collectors.counting()));
    for (String key : List.of("sample_2d/affine", "sample_2d/deformable", "sample_3d/affine")) {
      assertEquals((long) (int) rows.get(key).getAs(Registrations.ITERATIONS), curve.get(key), key);
    }
    Row runRow = rows(out, "runs", "r1").get(0);
    assertEquals(7L, (long) runRow.getAs(Runs.PAIRS));
    assertEquals(5L, (long) runRow.getAs(Runs.FAILED));
    assertFalse(Files.exists(dir.resolve("tables-a").resolve("_staging").resolve("run_id=r1")));
  }

  /** --quiet: the run's summary is all it prints. */
  @Test
  void aQuietRunPrintsOnlyItsSummary() {
    StringWriter text = new StringWriter();
    List<PairSpec> one = pairs.stream().filter(p -> p.pairId().equals("sample_3d")).toList();
    RunJob.run(spark, RunJob.Options.of("manifest.csv", one, dir.resolve("tables-quiet").toString(), "quiet",
        RegistrationConfig.of(QUICK)).withQc(true).withProgressSeconds(0), new PrintWriter(text, true));
    assertEquals(List.of("run quiet: 1 pairs, 1 ok, 0 failed (0 kept from an earlier attempt); tables in "
        + dir.resolve("tables-quiet")), text.toString().lines().toList());
  }

  /** Without flow fields the deformable pair's map is in no row, the rest of its rows as usual. */
  @Test
  void withoutFlowFieldsTheTableIsEmptyForTheRun() {
    String out = dir.resolve("tables-no-flow").toString();
    List<PairSpec> one = pairs.stream().filter(p -> p.pairId().equals("sample_2d")).toList();
    RunJob.Summary summary = RunJob.run(spark, RunJob.Options.of("manifest.csv", one, out, "nf",
        RegistrationConfig.of(QUICK)).withFlowFields(false), new PrintWriter(new StringWriter(), true));
    assertEquals(1, summary.ok());
    assertEquals(2, rows(out, "registrations", "nf").size());
    assertEquals(0, rows(out, "flow_fields", "nf").size());
    assertTrue(rows(out, "losses", "nf").size() > 100);
  }

  /**
   * Every table's timestamps are INT64 microseconds (Parquet's TIMESTAMP(MICROS)), not the deprecated
   * INT96; the session's own setting is left as it was.
   */
  @Test
  void timestampsAreWrittenAsMicrosecondIntegers() throws IOException {
    String out = dir.resolve("tables-timestamps").toString();
    List<PairSpec> one = pairs.stream().filter(p -> p.pairId().equals("sample_3d")).toList();
    RunJob.run(spark, RunJob.Options.of("manifest.csv", one, out, "t1", RegistrationConfig.of(QUICK)),
        new PrintWriter(new StringWriter(), true));
    assertFalse(spark.conf().contains("spark.sql.parquet.outputTimestampType"), "the session's setting is untouched");
    for (String table : List.of("runs", "registrations")) {
      try (java.util.stream.Stream<Path> files = Files.list(dir.resolve("tables-timestamps/" + table + "/run_id=t1"))) {
        Path file = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
        try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()),
                new org.apache.hadoop.conf.Configuration()))) {
          org.apache.parquet.schema.PrimitiveType finished = reader.getFooter().getFileMetaData().getSchema()
              .getType("finished_at").asPrimitiveType();
          assertEquals(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64,
              finished.getPrimitiveTypeName(), table);
          assertEquals(org.apache.parquet.schema.LogicalTypeAnnotation.timestampType(true,
              org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit.MICROS), finished.getLogicalTypeAnnotation(),
              table);
        }
      }
    }
  }

  @Test
  void aRerunReplacesItsPartitionAndResumeKeepsFinishedPairs() throws IOException {
    String out = dir.resolve("tables-b").toString();
    run(out, "r1", false, 0.75);
    run(out, "other", false, 0.75);
    Map<String, Row> first = byPairAndStage(rows(out, "registrations", "r1"));

    RunJob.Summary again = run(out, "r1", false, 0.75);
    assertEquals(0, again.exitCode(), "5 of 7 failed is within --max-failed-fraction 0.75");
    Map<String, Row> second = byPairAndStage(rows(out, "registrations", "r1"));
    assertEquals(first.keySet(), second.keySet(), "a rerun has exactly the same rows, no duplicates");
    assertNotEquals(value(first.get("sample_2d/affine"), Registrations.FINISHED_AT),
        value(second.get("sample_2d/affine"), Registrations.FINISHED_AT), "a plain rerun registers again");
    assertEquals(1, rows(out, "runs", "r1").size());
    assertEquals(13, rows(out, "registrations", "other").size(), "another run id is left alone");

    RunJob.Summary resumed = run(out, "r1", true, 0.75);
    assertEquals(2, resumed.resumed());
    Map<String, Row> third = byPairAndStage(rows(out, "registrations", "r1"));
    assertEquals(second.keySet(), third.keySet());
    assertEquals(value(second.get("sample_2d/deformable"), Registrations.FINISHED_AT),
        value(third.get("sample_2d/deformable"), Registrations.FINISHED_AT), "--resume keeps a finished pair's rows");
    assertNotEquals(value(second.get("missing/affine"), Registrations.FINISHED_AT),
        value(third.get("missing/affine"), Registrations.FINISHED_AT), "--resume runs failed pairs again");
    long kept = rows(out, "losses", "r1").stream().filter(r -> r.getAs(Losses.PAIR_ID).equals("sample_3d")).count();
    assertTrue(kept > 0, "a kept pair keeps its loss curve");

    // A run id in use is refused before any work, and that run's tables stay as they were.
    Path lock = Path.of(out, "_locks", "run_id=r1");
    assertFalse(Files.exists(lock.getParent()), "a finished run gives its run id back");
    Files.createDirectories(lock.getParent());
    Files.writeString(lock, "held by another run");
    IllegalArgumentException busy = assertThrows(IllegalArgumentException.class, () -> run(out, "r1", false, 0.75));
    assertTrue(busy.getMessage().contains("run id r1 is in use") && busy.getMessage().contains("run_id=r1"),
        busy.getMessage());
    assertEquals(third, byPairAndStage(rows(out, "registrations", "r1")), "the holder's rows are untouched");
    assertTrue(Files.exists(lock), "the refused run leaves the holder's lock alone");

    // A lock its holder stopped renewing (its driver died on another machine) is taken over.
    Files.writeString(lock, "run r1 started 2026-12-01T00:00:00Z on another-host, process 1");
    Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
        - (TableFolders.STALE_SECONDS + 60) * 1000));
    assertEquals(0, run(out, "r1", true, 0.75).exitCode());
    assertFalse(Files.exists(lock), "taken over, then given back");
  }

  @Test
  void aDryRunPrintsThePlanWithVoxelCountsAndWritesNothing() {
    String out = dir.resolve("tables-d").toString();
    StringWriter printed = new StringWriter();
    RunJob.run(spark, RunJob.Options.of("manifest.csv", pairs, out, "dry", RegistrationConfig.of(QUICK))
        .withDryRun(true), new PrintWriter(printed, true));
    String plan = printed.toString();
    assertTrue(plan.contains("sample_3d: ") && plan.contains("fixed 36x32x28, moving 36x32x28"), plan);
    assertTrue(plan.contains("missing: ") && plan.contains("WILL FAIL: moving image"), plan);
    assertTrue(plan.contains("too_large: ") && plan.contains("WILL FAIL: ") && plan.contains("limit of 100 voxels"), plan);
    assertTrue(plan.contains("mismatched: ") && plan.contains("WILL FAIL: the fixed image is 2D"), plan);
    assertTrue(plan.contains("7 pairs, 3 will fail"), plan);
    assertFalse(Files.exists(dir.resolve("tables-d")));
  }

  @Test
  void anInvalidOverrideStopsTheRunBeforeAnyWork() {
    List<PairSpec> bad = List.of(new PairSpec("p", "a.nii", "b.nii", null, null, null, Map.of("modle", "rigid")));
    String out = dir.resolve("tables-c").toString();
    RunJob.Options options = RunJob.Options.of("test", bad, out, "r", RegistrationConfig.defaults());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunJob.run(spark, options, new PrintWriter(new StringWriter())));
    assertTrue(e.getMessage().contains("pair p") && e.getMessage().contains("unknown setting 'modle'"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("tables-c")));
  }

  @Test
  void outputProblemsAreFoundBeforeAnyWork() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    assertEquals("the output file:" + file + " is a file; --out names a folder",
        assertThrows(IllegalArgumentException.class, () -> run(file.toString(), "r", false, 1)).getMessage());
    String longId = "r".repeat(300);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> run(dir.resolve("tables-l").toString(), longId,
        false, 1)).getMessage().startsWith("--run-id may hold 1 to 100 letters"));
    assertFalse(Files.exists(dir.resolve("tables-l")));
  }

  /** A full disk (a 1 MiB tmpfs, where the test may mount one) is found before any pair is registered. */
  @Test
  void aFullDiskIsFoundBeforeAnyWork() throws Exception {
    Path small = dir.resolve("small-disk");
    Assumptions.assumeTrue(Tripwires.mountTmpfs(small, "size=1m"), "mounting a tmpfs needs root");
    try {
      String out = small.resolve("tables").toString();
      // Six deformable pairs at 32 MiB and one affine-only pair at 1 MiB.
      IllegalArgumentException full = assertThrows(IllegalArgumentException.class, () -> run(out, "r", false, 1));
      assertTrue(full.getMessage().matches("the output file:" + out + " has 1\\.0 MiB free; this run's tables need "
          + "about 193\\.0 MiB \\(a rough estimate\\): free some space or choose another --out"), full.getMessage());
      assertFalse(Files.exists(small.resolve("tables/_locks/run_id=r")), "the claim is given back");
      assertFalse(Files.exists(small.resolve("tables/registrations")), "nothing was registered");
    } finally {
      Tripwires.unmount(small);
    }
  }

  @Test
  void twoRunsOfOneRunIdAtOnceLeaveOneRunsTablesWhole() throws Exception {
    String out = dir.resolve("tables-twice").toString();
    List<java.util.concurrent.Future<RunJob.Summary>> runs = new java.util.ArrayList<>();
    java.util.concurrent.ExecutorService both = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 2; i++) {
        runs.add(both.submit(() -> run(out, "same", false, 1)));
      }
      int refused = 0;
      for (var future : runs) {
        try {
          assertEquals(0, future.get().exitCode());
        } catch (java.util.concurrent.ExecutionException e) {
          assertTrue(e.getCause() instanceof IllegalArgumentException
              && e.getCause().getMessage().contains("run id same is in use"), String.valueOf(e.getCause()));
          refused++;
        }
      }
      assertEquals(1, refused, "one of the two is refused");
    } finally {
      both.shutdownNow();
    }
    assertEquals(pairs.size(), rows(out, "registrations", "same").stream()
        .map(r -> r.getAs(Registrations.PAIR_ID)).distinct().count(), "the winner's tables are whole");
    assertFalse(Files.exists(Path.of(out, "_locks")), "the winner gave the run id back");
  }

  @Test
  void aLockLeftByARunThatDiedIsTakenOver() throws Exception {
    String out = dir.resolve("tables-stale").toString();
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path lock = Files.createDirectories(Path.of(out, "_locks")).resolve("run_id=stale");
    Files.writeString(lock, "run stale started 2026-01-01T00:00:00Z on "
        + java.net.InetAddress.getLocalHost().getHostName() + ", process " + gone.pid() + "\n");
    assertEquals(0, run(out, "stale", false, 1).exitCode());
    assertFalse(Files.exists(lock), "taken over, then given back");

    // A holder on another host, or one still running, is not second-guessed.
    Files.createDirectories(lock.getParent());
    Files.writeString(lock, "run stale started 2026-01-01T00:00:00Z on elsewhere.example, process 1\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> run(out, "stale", false, 1)).getMessage()
        .contains("says 'run stale started 2026-01-01T00:00:00Z on elsewhere.example, process 1'"));
  }

  /** A read-only output (a read-only tmpfs, where the test may mount one) is found before any work. */
  @Test
  void aReadOnlyOutputIsFoundBeforeAnyWork() throws Exception {
    Path readOnly = dir.resolve("read-only");
    Assumptions.assumeTrue(Tripwires.mountTmpfs(readOnly, "ro,size=1m"), "mounting a tmpfs needs root");
    try {
      java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
          () -> run(readOnly.toString(), "r", false, 1));
      assertTrue(e.getMessage().startsWith("cannot claim run id r under file:" + readOnly + ": ")
          && e.getMessage().contains("Read-only file system") && !e.getMessage().contains("\n"), e.getMessage());
    } finally {
      Tripwires.unmount(readOnly);
    }
  }

  /**
   * One task holding every pair (--batch-size 8): the pairs that share the run's settings have their
   * affine optimisations done together (two good 2D pairs in lockstep, a missing, a truncated and a
   * mismatched pair among them), the rest alone; every row equals the unbatched run's.
   */
  @Test
  void aBatchedRunGivesEveryPairTheRowsOfAnUnbatchedOne() {
    PairSpec first = pairs.get(0);
    List<PairSpec> withTwin = new ArrayList<>(pairs);
    withTwin.add(new PairSpec("sample_2d_twin", first.fixed(), first.moving(), null, null, null, Map.of()));
    Map<String, Map<String, Row>> runs = new TreeMap<>();
    for (int batchSize : new int[] {1, 8}) {
      String out = dir.resolve("tables-batch" + batchSize).toString();
      RunJob.Options options = RunJob.Options.of("manifest.csv", withTwin, out, "b", RegistrationConfig.of(QUICK))
          .withMaxFailedFraction(1).withBatchSize(batchSize);
      RunJob.run(spark, options, new PrintWriter(new StringWriter(), true));
      runs.put("batch " + batchSize, byPairAndStage(rows(out, "registrations", "b")));
    }
    Map<String, Row> alone = runs.get("batch 1");
    Map<String, Row> batched = runs.get("batch 8");
    assertEquals(alone.keySet(), batched.keySet());
    assertEquals(15, alone.size());
    for (String key : alone.keySet()) {
      Row a = alone.get(key);
      Row b = batched.get(key);
      assertEquals((Object) a.getAs(Registrations.STATUS), b.getAs(Registrations.STATUS), key);
      assertEquals((Object) a.getAs(Registrations.ERROR_CLASS), b.getAs(Registrations.ERROR_CLASS), key);
      assertEquals((Object) a.getAs(Registrations.ERROR), b.getAs(Registrations.ERROR), key);
      if (Registrations.STATUS_OK.equals(a.getAs(Registrations.STATUS))) {
        assertEquals((Object) a.getAs(Registrations.ITERATIONS), b.getAs(Registrations.ITERATIONS), key);
        assertArrayEquals(doubles(a, Registrations.FIXED_TO_MOVING), doubles(b, Registrations.FIXED_TO_MOVING), 1e-6,
            key);
        assertEquals((double) a.getAs(Registrations.MSE_AFTER), (double) b.getAs(Registrations.MSE_AFTER),
            1e-6 * (double) a.getAs(Registrations.MSE_AFTER), key);
      }
    }
    assertEquals(Registrations.STATUS_OK, batched.get("sample_2d_twin/deformable").getAs(Registrations.STATUS));
    // The twins were optimised in lockstep: each row carries an equal share of the batch's time.
    assertEquals(optimiseSeconds(batched.get("sample_2d/affine")), optimiseSeconds(batched.get("sample_2d_twin/affine")));
    assertFailed(batched.get("mismatched/affine"), "InvalidPairException", "fixed image is 2D but the moving image is 3D");
  }

  private static double optimiseSeconds(Row row) {
    return row.<String, Double>getJavaMap(row.fieldIndex(Registrations.TIMINGS)).get("optimise");
  }

  private static double[] doubles(Row row, String column) {
    return row.<Double>getList(row.fieldIndex(column)).stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static Object value(Row row, String column) {
    return row.get(row.fieldIndex(column));
  }

  private static void assertFailed(Row row, String errorClass, String inMessage) {
    assertEquals(Registrations.STATUS_FAILED, row.getAs(Registrations.STATUS));
    assertEquals(errorClass, row.getAs(Registrations.ERROR_CLASS));
    String error = row.getAs(Registrations.ERROR);
    assertTrue(error.startsWith("pair " + row.getAs(Registrations.PAIR_ID) + ": ") && error.contains(inMessage), error);
  }
}
