package org.warpspark.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.warpspark.engine.affine.AffineOutcome;
import org.warpspark.engine.affine.AffinePair;
import org.warpspark.engine.affine.AffineRegistration;
import org.warpspark.engine.affine.AffineResult;
import org.warpspark.engine.affine.AffineSettings;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.image.Image;
import org.warpspark.sample.Phantom;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.metric.TransformError;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.MotionParameters;
import org.warpspark.udfs.spatial.TransformModel;

/**
 * Batched against one-by-one affine registration of the same same-shape pairs: pairs per minute of
 * each (the batch in one {@link AffineRegistration#registerAll} call, one-by-one each pair in its own
 * manager, as a job's task registers it) and both ways' errors against the known motions.
 */
final class BatchBench {
  private final PrintWriter out;
  private final Device device;
  private final int repeats;

  BatchBench(PrintWriter out, Device device, int repeats) {
    this.out = out;
    this.device = device;
    this.repeats = repeats;
  }

  void header() {
    out.println("pairs                           | loss | batch | one-by-one pairs/min | batched pairs/min | ratio "
        + "| mean corner err mm (one-by-one / batched) | iterations equal");
  }

  /** {@code count} pairs on {@code grid}, each a phantom under its own random affine motion. */
  void run(String label, Grid grid, int count, LossKind loss) {
    List<AffinePair> pairs = new ArrayList<>();
    List<Affine> truths = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < count; i++) {
      MotionParameters motion = MotionParameters.identity(grid.dim());
      for (int a = 0; a < grid.dim(); a++) {
        motion.translation()[a] = random.nextDouble(-5, 5);
        motion.logScales()[a] = random.nextDouble(-0.04, 0.04);
      }
      motion.angles()[0] = Math.toRadians(random.nextDouble(-8, 8));
      motion.shears()[0] = random.nextDouble(-0.03, 0.03);
      Affine truth = motion.toAffine(grid.centre());
      Phantom phantom = Phantom.inside(grid, 100 + i);
      pairs.add(new AffinePair(phantom.render(grid), phantom.renderMoving(grid, truth, DoubleUnaryOperator.identity()),
          null));
      truths.add(truth);
    }
    AffineRegistration registration = new AffineRegistration(AffineSettings.defaults(TransformModel.AFFINE, loss));
    // untimed: both ways' first calls (module compiles, JIT) on a few of the pairs
    try (NDManager manager = NativeScope.open(device)) {
      registration.register(pairs.get(0).fixed(), pairs.get(0).moving(), null, manager);
      registration.registerAll(pairs.subList(0, Math.min(4, count)), manager);
    }
    double[] alone = new double[repeats];
    double[] batched = new double[repeats];
    List<AffineResult> aloneResults = new ArrayList<>();
    List<AffineResult> batchedResults = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      aloneResults.clear();
      long start = System.nanoTime();
      for (AffinePair pair : pairs) {
        try (NDManager manager = NativeScope.open(device)) {
          aloneResults.add(registration.register(pair.fixed(), pair.moving(), pair.fixedMask(), manager));
        }
      }
      alone[r] = (System.nanoTime() - start) / 1e9;
      batchedResults.clear();
      start = System.nanoTime();
      try (NDManager manager = NativeScope.open(device)) {
        for (AffineOutcome outcome : registration.registerAll(pairs, manager)) {
          batchedResults.add(outcome.resultOrThrow());
        }
      }
      batched[r] = (System.nanoTime() - start) / 1e9;
    }
    boolean sameIterations = true;
    for (int i = 0; i < count; i++) {
      sameIterations &= aloneResults.get(i).totalIterations() == batchedResults.get(i).totalIterations();
    }
    double aloneRate = 60 * count / Scratch.median(alone);
    double batchedRate = 60 * count / Scratch.median(batched);
    out.printf(Locale.ROOT, "%-31s | %-4s | %5d | %20.0f | %17.0f | %5.2f | %.4f / %.4f | %s%n", label,
        loss.name(), count, aloneRate, batchedRate, batchedRate / aloneRate, meanCornerError(aloneResults, truths, grid),
        meanCornerError(batchedResults, truths, grid), sameIterations);
  }

  private static double meanCornerError(List<AffineResult> results, List<Affine> truths, Grid grid) {
    double sum = 0;
    for (int i = 0; i < results.size(); i++) {
      sum += TransformError.maxCornerDistanceMm(results.get(i).fixedToMoving(), truths.get(i), grid);
    }
    return sum / results.size();
  }
}
