package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.image.ImageFiles;
import org.warpspark.sample.Phantom;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/**
 * A run's driver killed (SIGKILL) in the middle of its pairs, then the same run again with --resume:
 * the pairs that had finished before the kill come from the run's journal as they were, only the
 * others are registered, and every pair has exactly one row per stage.
 */
class CrashedRunTest {
  private static final int PAIRS = 10;

  @TempDir
  Path dir;

  @Test
  void aKilledRunResumesWithOnlyTheUnfinishedPairs() throws Exception {
    Path manifest = writePairs();
    Path tables = dir.resolve("tables");
    Path journal = tables.resolve("_journal/run_id=crash");

    Process first = driver(manifest, tables, false, dir.resolve("first.log"));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (committed(journal).size() < 3) {
      assertTrue(first.isAlive() && System.nanoTime() < deadline,
          "the run should still be going with 3 pairs finished: " + Files.readString(dir.resolve("first.log")));
      Thread.sleep(50);
    }
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
    first.waitFor(30, TimeUnit.SECONDS);
    Instant killed = Instant.now();
    Set<String> finished = committed(journal);
    assertTrue(finished.size() >= 3 && finished.size() < PAIRS, "finished before the kill: " + finished);
    assertFalse(Files.exists(tables.resolve("registrations/run_id=crash")), "nothing was published");

    Process second = driver(manifest, tables, true, dir.resolve("second.log"));
    assertTrue(second.waitFor(5, TimeUnit.MINUTES), "the resumed run did not finish");
    String log = Files.readString(dir.resolve("second.log"));
    assertEquals(0, second.exitValue(), log);
    assertTrue(log.contains("run crash: " + PAIRS + " pairs, " + PAIRS + " ok, 0 failed (" + finished.size()
        + " kept from an earlier attempt)"), log);

    SparkSession spark = SparkSessions.builder("CrashedRunTest", "local[1]").config("spark.ui.enabled", "false")
        .getOrCreate();
    try {
      List<Row> rows = spark.read().parquet(tables.resolve("registrations").toString()).collectAsList();
      assertEquals(PAIRS, rows.size(), "one row per pair and stage");
      assertEquals(PAIRS, rows.stream().map(r -> r.getAs("pair_id")).distinct().count());
      for (Row r : rows) {
        Instant at = r.<java.sql.Timestamp>getAs("finished_at").toInstant();
        boolean kept = finished.contains(r.<String>getAs("pair_id"));
        assertEquals(kept, at.isBefore(killed), r.getAs("pair_id") + " finished at " + at + ", killed at " + killed
            + ": a pair finished before the kill is kept as it was, the others registered after it");
      }
    } finally {
      spark.stop();
    }
    assertFalse(Files.exists(tables.resolve("_journal")), "the journal goes once the tables are published");
  }

  private Path writePairs() throws IOException {
    Grid grid = Grid.of(new int[] {48, 44}, new double[] {1, 1}, new double[] {-24, -22});
    StringBuilder csv = new StringBuilder("pair_id,fixed,moving\n");
    for (int i = 0; i < PAIRS; i++) {
      Phantom phantom = Phantom.inside(grid, 40 + i);
      ImageFiles.write(phantom.render(grid), dir.resolve("f" + i + ".nii.gz").toString());
      ImageFiles.write(phantom.renderMoving(grid, Affine.translation(new double[] {1 + 0.1 * i, -1}),
          DoubleUnaryOperator.identity()), dir.resolve("m" + i + ".nii.gz").toString());
      csv.append("pair").append(i).append(",f").append(i).append(".nii.gz,m").append(i).append(".nii.gz\n");
    }
    return Files.writeString(dir.resolve("manifest.csv"), csv.toString());
  }

  /** The command line's run in a JVM of its own, one task at a time, so the kill lands between pairs. */
  private static Process driver(Path manifest, Path tables, boolean resume, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString()));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-") || a.startsWith("-Dai.djl") || a.startsWith("-Xmx")).toList());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.warpspark.cli.WarpsparkCli", "run",
        "--manifest", manifest.toString(), "--out", tables.toString(), "--run-id", "crash", "--master", "local[1]",
        "--set", "stages=affine", "--quiet"));
    if (resume) {
      command.add("--resume");
    }
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** The pairs the journal has committed. */
  private static Set<String> committed(Path journal) throws IOException {
    if (!Files.isDirectory(journal)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(journal)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("pair-") && n.endsWith(".json"))
          .map(n -> n.substring(5, n.length() - 5)).collect(Collectors.toCollection(TreeSet::new));
    }
  }

}
