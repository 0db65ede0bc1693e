package org.warpspark.engine.affine;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warpspark.engine.InvalidPairException;
import org.warpspark.engine.RegistrationDivergedException;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.optim.Adam;
import org.warpspark.engine.optim.CosineSchedule;
import org.warpspark.engine.optim.AnnealOnConvergence;
import org.warpspark.engine.optim.LevelLoop;
import org.warpspark.engine.optim.LevelTrace;
import org.warpspark.engine.pyramid.ImagePyramid;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.engine.sample.FixedVoxels;
import org.warpspark.engine.sample.SamplePool;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.udfs.spatial.TransformModel;

/**
 * Finds the {@code fixedToMoving} affine map that makes the moving image look like the fixed one:
 * coarse-to-fine over a pyramid, Adam on per-parameter-scaled motion parameters, random voxel subsets
 * per iteration, and a loss-slope stopping rule per level. Each level ends on the average of its last
 * window of iterates (Polyak-Ruppert averaging), which removes most of the jitter that random subsets
 * leave in the last steps. One instance holds settings only; every
 * array of a registration belongs to the manager it is given (closed by the caller per pair).
 */
public final class AffineRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(AffineRegistration.class);
  /** Voxels in the deterministic subset that measures the initial and final loss. */
  private static final int EVALUATION_SAMPLES = 1 << 16;
  /**
   * The iterates that are averaged (a level's last window) see this many times more samples: with an
   * unbiased objective the last error left is gradient noise, and these few steps decide the result.
   */
  private static final int FINAL_WINDOW_SAMPLE_FACTOR = 4;
  /** Random fixed samples drawn per level into the device-resident pool that iterations take windows of. */
  private static final int POOL_SAMPLES = 1 << 17;
  /** Final learning rate of a level as a fraction of its first. */
  private static final double FINAL_RATE_FRACTION = 0.02;

  private final AffineSettings settings;

  public AffineRegistration(AffineSettings settings) {
    this.settings = settings;
  }

  /** @param fixedMask on the fixed grid, voxels > 0.5 count; null to use every fixed voxel */
  public AffineResult register(Image fixed, Image moving, Image fixedMask, NDManager manager) {
    checkInputs(fixed, moving, fixedMask);
    // Spark task threads start with libtorch's grad mode on: record graphs only inside the steps.
    return Autograd.notRecording(() -> registerChecked(fixed, moving, fixedMask, manager));
  }

  private AffineResult registerChecked(Image fixed, Image moving, Image fixedMask, NDManager manager) {
    long start = System.nanoTime();
    int d = fixed.dim();
    TransformModel model = settings.model();
    double[] centre = settings.centre() == AffineSettings.Centre.MASS ? CentreOfMass.of(fixed) : fixed.grid().centre();
    MotionJacobian motion = new MotionJacobian(model, d, model.parameterScales(d, fixed.grid().radius()), centre);
    double[] q = motion.scaledOf(initialParameters(fixed, moving, d));
    SimilarityLoss similarity = settings.loss().create(fixed.voxels(), moving.voxels(), settings.histogramBins());
    Objectives loss = Objectives.of(settings.sampler(), similarity, manager);
    SplittableRandom random = new SplittableRandom(settings.seed());

    double initialLoss = evaluate(fixed, moving, fixedMask, motion, q, loss, manager);
    double[] start0 = q.clone();
    List<LevelTrace> levels = new ArrayList<>();
    int[] factors = settings.levelFactors();
    int[] iterations = settings.iterations();
    for (int level = 0; level < factors.length; level++) {
      levels.add(runLevel(level, factors[level], iterations[level], fixed, moving, fixedMask, motion, q, loss,
          random, manager));
    }
    double finalLoss = evaluate(fixed, moving, fixedMask, motion, q, loss, manager);
    boolean keptStart = finalLoss > initialLoss;
    if (keptStart) { // worse than where it started, by its own measure: keep the start and say so
      LOG.warn("affine {} registration ended worse than it started ({} -> {}): keeping the initial transform",
          settings.loss(), initialLoss, finalLoss);
      System.arraycopy(start0, 0, q, 0, q.length);
      finalLoss = initialLoss;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.info("affine {} {} registration: loss {} -> {} in {} iterations, {} s", model, settings.loss(),
        initialLoss, finalLoss, levels.stream().mapToInt(LevelTrace::iterations).sum(), String.format("%.2f", seconds));
    return new AffineResult(model, motion.parameters(q), centre, motion.fixedToMoving(q), List.copyOf(levels),
        initialLoss, finalLoss, keptStart, seconds);
  }

  /** A level's first step: the learning rate times how much coarser the level is, within the image's extent. */
  private double levelRate(Grid grid, int factor) {
    double smallestExtent = Double.POSITIVE_INFINITY;
    for (int a = 0; a < grid.dim(); a++) {
      smallestExtent = Math.min(smallestExtent, grid.size()[a] * grid.spacing()[a]);
    }
    double rate = settings.learningRate() * ImagePyramid.growth(grid, factor);
    return settings.stepWithinExtent() ? Math.min(rate, AffineSettings.MAX_STEP_FRACTION * smallestExtent) : rate;
  }

  private LevelTrace runLevel(int level, int factor, int maxIterations, Image fixed, Image moving, Image fixedMask,
      MotionJacobian motion, double[] q, Objectives loss, SplittableRandom random, NDManager manager) {
    Image levelFixed = ImagePyramid.level(fixed, factor);
    Image levelMoving = ImagePyramid.level(moving, factor);
    FixedVoxels voxels = new FixedVoxels(levelFixed, fixedMask == null ? null : ImagePyramid.level(fixedMask, factor));
    if (voxels.size() == 0) {
      throw new InvalidPairException("the fixed mask selects no voxel at pyramid factor " + factor);
    }
    boolean jittered = settings.fixedSampling() == AffineSettings.FixedSampling.JITTERED;
    Adam adam = new Adam(q.length);
    AnnealOnConvergence ending = new AnnealOnConvergence(
        new CosineSchedule(levelRate(fixed.grid(), factor), FINAL_RATE_FRACTION, maxIterations),
        settings.convergenceWindow(), settings.convergenceTolerance());
    LevelTrace trace;
    try (NDManager levelScope = manager.newSubManager()) {
      LevelObjective objective = loss.create(levelFixed.grid(), levelMoving, levelScope);
      LevelFrames frames = objective.frames();
      boolean everyVoxel = settings.samplesPerIteration() == 0;
      SamplePool pool = new SamplePool(everyVoxel ? voxels.all() : voxels.random(POOL_SAMPLES, random, jittered),
          levelFixed.dim(), levelScope);
      LevelLoop.Iterate iterate = new LevelLoop.Iterate() {
        private IterateAverage average = new IterateAverage(q.length);

        @Override
        public double step(int iteration, double rate, boolean finalWindow) {
          int samples = settings.samplesPerIteration() * (finalWindow ? FINAL_WINDOW_SAMPLE_FACTOR : 1);
          LevelObjective.Step step;
          try (NDManager stepScope = levelScope.newSubManager()) {
            step = objective.evaluate(pool.window(samples, random, stepScope), motion.frameMatrix(q, frames), true);
          }
          double[] gradient = motion.chain(q, step.gradientToMatrix(), frames);
          if (!Double.isFinite(step.loss()) || !allFinite(gradient)) {
            throw new RegistrationDivergedException(String.format("affine %s loss is %s at level %d (factor %d), "
                + "iteration %d: the moving image left the fixed field of view or the input holds non-finite values",
                settings.loss(), step.loss(), level, factor, iteration));
          }
          adam.step(q, gradient, rate);
          return step.loss();
        }

        @Override
        public void addToAverage() {
          average.add(q);
        }

        @Override
        public void restartAverage() {
          average = new IterateAverage(q.length);
        }

        @Override
        public void applyAverage() {
          average.copyInto(q);
        }
      };
      trace = LevelLoop.run(factor, maxIterations, ending, iterate);
    }
    LOG.debug("level {} (factor {}): {} iterations, converged {}", level, factor, trace.iterations(),
        trace.converged());
    return trace;
  }

  /** Loss on a fixed subset of full-resolution voxels: comparable between the start and the end. */
  private double evaluate(Image fixed, Image moving, Image fixedMask, MotionJacobian motion, double[] q,
      Objectives loss, NDManager manager) {
    FixedVoxels voxels = new FixedVoxels(fixed, fixedMask);
    FixedVoxels.Draw draw = voxels.size() <= EVALUATION_SAMPLES ? voxels.all()
        : voxels.random(EVALUATION_SAMPLES, new SplittableRandom(settings.seed() ^ 0x5DEECE66DL), false);
    try (NDManager scope = manager.newSubManager()) {
      LevelObjective objective = loss.create(fixed.grid(), moving, scope);
      SamplePool.Batch batch = new SamplePool(draw, fixed.dim(), scope).window(0, null, scope);
      return objective.evaluate(batch, motion.frameMatrix(q, objective.frames()), false).loss();
    }
  }

  private double[] initialParameters(Image fixed, Image moving, int d) {
    double[] p = new double[settings.model().parameterCount(d)];
    double[] from;
    double[] to;
    switch (settings.initialisation()) {
      case GEOMETRY -> {
        from = fixed.grid().centre();
        to = moving.grid().centre();
      }
      case MASS -> {
        from = CentreOfMass.of(fixed);
        to = CentreOfMass.of(moving);
      }
      default -> {
        return p;
      }
    }
    for (int a = 0; a < d; a++) {
      p[a] = to[a] - from[a];
    }
    return p;
  }

  private static void checkInputs(Image fixed, Image moving, Image fixedMask) {
    if (fixed.dim() != moving.dim()) {
      throw new InvalidPairException("the fixed image is " + fixed.dim() + "D but the moving image is " + moving.dim() + "D");
    }
    requireTwoVoxelsPerAxis("fixed", fixed);
    requireTwoVoxelsPerAxis("moving", moving);
    if (fixedMask != null && !fixedMask.grid().sameGeometry(fixed.grid(), 1e-4)) {
      throw new InvalidPairException("the fixed mask does not lie on the fixed image's grid: mask " + fixedMask.grid()
          + ", fixed " + fixed.grid());
    }
    if (fixed.nonFiniteCount() > 0 || moving.nonFiniteCount() > 0) {
      throw new InvalidPairException("the images hold non-finite voxels: fixed " + fixed.nonFiniteCount()
          + ", moving " + moving.nonFiniteCount());
    }
  }

  /** Linear interpolation needs two voxels along every axis; a single slice is a 2D image. */
  private static void requireTwoVoxelsPerAxis(String which, Image image) {
    int[] size = image.grid().size();
    for (int a = 0; a < size.length; a++) {
      if (size[a] < 2) {
        throw new InvalidPairException("the " + which + " image has " + size[a] + " voxel along axis " + a
            + " (size " + Arrays.toString(size) + "): register single slices as 2D images");
      }
    }
  }

  private static boolean allFinite(double[] v) {
    for (double x : v) {
      if (!Double.isFinite(x)) {
        return false;
      }
    }
    return true;
  }
}
