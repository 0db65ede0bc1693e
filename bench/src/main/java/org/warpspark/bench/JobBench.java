package org.warpspark.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.warpspark.image.ImageFiles;
import org.warpspark.sample.Phantom;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.MotionParameters;
import org.warpspark.spark.PairRows;
import org.warpspark.pair.PairSpec;
import org.warpspark.spark.PairTask;
import org.warpspark.spark.Planner;
import org.warpspark.spark.RunJob;
import org.warpspark.spark.SparkSessions;

/**
 * Throughput of the batch job in local mode: pairs per minute on local[1] and local[*] against the same
 * work without Spark (reading, both stages, metrics and rows, one pair after another in this JVM), the
 * fixed cost of a run (a --resume run that keeps every pair: planning and writing the tables), and
 * what Spark adds per pair beyond both. Settings are the defaults (affine then deformable).
 */
public final class JobBench {
  private final PrintWriter out;

  private final Scratch scratch;

  JobBench(PrintWriter out, Scratch scratch) {
    this.out = out;
    this.scratch = scratch;
  }

  public void run(String label, Grid grid, int pairs) throws IOException {
    Path dir = scratch.folder("job");
    List<PairSpec> specs = writePairs(dir, grid, pairs);
    RegistrationConfig config = RegistrationConfig.defaults();
    List<PairTask> tasks = Planner.plan(specs, config, null, new Configuration());
    long start = System.nanoTime();
    for (PairTask task : tasks) {
      PairRows.register(task, new Configuration(), PairRows.Where.cpu("bench"));
    }
    double bare = seconds(start);
    double[] one = sparkRuns(dir, specs, config, "local[1]");
    int cores = Runtime.getRuntime().availableProcessors();
    double all = sparkRuns(dir, specs, config, "local[" + cores + "]")[0];
    out.printf(Locale.ROOT, "%-28s | %5d | %8.1f | %12.1f | %12.1f | %5d | %12.1f | %12.2f%n", label, pairs,
        60 * pairs / bare, 60 * pairs / one[0], 60 * pairs / all, cores, one[1], (one[0] - one[1] - bare) / pairs);
  }

  public void header() {
    out.println("pairs (affine + deformable)  | count | bare/min | local[1]/min | local[*]/min | cores | "
        + "run fixed s | Spark s/pair");
  }

  /** Seconds of a run on {@code master}, and of a --resume run after it (which keeps every pair). */
  private double[] sparkRuns(Path dir, List<PairSpec> specs, RegistrationConfig config, String master) {
    SparkSession spark = SparkSessions.builder("warpspark job bench", master)
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      String out = dir.resolve("tables-" + master.replaceAll("\\W", "")).toString();
      double[] seconds = new double[2];
      for (int resume = 0; resume < 2; resume++) {
        long start = System.nanoTime();
        RunJob.run(spark, RunJob.Options.of("bench", specs, out, "bench", config).withResume(resume == 1),
            new PrintWriter(new StringWriter()));
        seconds[resume] = seconds(start);
      }
      return seconds;
    } finally {
      spark.stop();
    }
  }

  /** {@code count} pairs on {@code grid}, each the phantom under its own small rigid motion (16 motions in turn). */
  static List<PairSpec> writePairs(Path dir, Grid grid, int count) {
    List<PairSpec> specs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      MotionParameters motion = MotionParameters.identity(grid.dim());
      motion.translation()[0] = 1.5 + 0.2 * (i % 16);
      motion.translation()[1] = -1.0 + 0.1 * (i % 16);
      motion.angles()[0] = 0.02 * (i % 5);
      Affine truth = motion.toAffine(grid.centre());
      Phantom phantom = Phantom.inside(grid, 100 + i);
      String fixed = dir.resolve("pair" + i + "_fixed.nii.gz").toString();
      String moving = dir.resolve("pair" + i + "_moving.nii.gz").toString();
      ImageFiles.write(phantom.render(grid), fixed);
      ImageFiles.write(phantom.renderMoving(grid, truth, DoubleUnaryOperator.identity()), moving);
      specs.add(new PairSpec("pair" + i, fixed, moving, null, null, null, Map.of()));
    }
    return specs;
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
