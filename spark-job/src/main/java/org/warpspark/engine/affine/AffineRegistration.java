package org.warpspark.engine.affine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warpspark.engine.RegistrationDivergedException;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.optim.Adam;
import org.warpspark.engine.optim.CosineSchedule;
import org.warpspark.engine.optim.SlopeConvergence;
import org.warpspark.engine.pyramid.ImagePyramid;
import org.warpspark.engine.sample.FixedVoxels;
import org.warpspark.engine.sample.LinearSampler;
import org.warpspark.engine.sample.Padding;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.udfs.spatial.TransformModel;

/**
 * Finds the {@code fixedToMoving} affine map that makes the moving image look like the fixed one:
 * coarse-to-fine over a pyramid, Adam on per-parameter-scaled motion parameters, random voxel subsets
 * per iteration, and a loss-slope stopping rule per level. One instance holds settings only; every
 * array of a registration belongs to the manager it is given (closed by the caller per pair).
 */
public final class AffineRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(AffineRegistration.class);
  /** Voxels in the deterministic subset that measures the initial and final loss. */
  private static final int EVALUATION_SAMPLES = 1 << 16;
  /** Final learning rate of a level as a fraction of its first. */
  private static final double FINAL_RATE_FRACTION = 0.02;

  private final AffineSettings settings;

  public AffineRegistration(AffineSettings settings) {
    this.settings = settings;
  }

  /** @param fixedMask on the fixed grid, voxels > 0.5 count; null to use every fixed voxel */
  public AffineResult register(Image fixed, Image moving, Image fixedMask, NDManager manager) {
    checkInputs(fixed, moving, fixedMask);
    long start = System.nanoTime();
    int d = fixed.dim();
    TransformModel model = settings.model();
    double[] centre = settings.centre() == AffineSettings.Centre.MASS ? CentreOfMass.of(fixed) : fixed.grid().center();
    MotionJacobian motion = new MotionJacobian(model, d, model.parameterScales(d, fixed.grid().radius()), centre);
    double[] q = motion.scaledOf(initialParameters(fixed, moving, d));
    SimilarityLoss loss = settings.loss().create(fixed.voxels(), moving.voxels(), settings.histogramBins());
    SplittableRandom random = new SplittableRandom(settings.seed());

    double initialLoss = evaluate(fixed, moving, fixedMask, motion, q, loss, manager);
    List<LevelTrace> levels = new ArrayList<>();
    int[] factors = settings.levelFactors();
    int[] iterations = settings.iterations();
    for (int level = 0; level < factors.length; level++) {
      levels.add(runLevel(level, factors[level], iterations[level], fixed, moving, fixedMask, motion, q, loss,
          random, manager));
    }
    double finalLoss = evaluate(fixed, moving, fixedMask, motion, q, loss, manager);
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.info("affine {} {} registration: loss {} -> {} in {} iterations, {} s", model, settings.loss(),
        initialLoss, finalLoss, levels.stream().mapToInt(LevelTrace::iterations).sum(), String.format("%.2f", seconds));
    return new AffineResult(model, motion.parameters(q), centre, motion.fixedToMoving(q), List.copyOf(levels),
        initialLoss, finalLoss, seconds);
  }

  private LevelTrace runLevel(int level, int factor, int maxIterations, Image fixed, Image moving, Image fixedMask,
      MotionJacobian motion, double[] q, SimilarityLoss loss, SplittableRandom random, NDManager manager) {
    Image levelFixed = ImagePyramid.level(fixed, factor);
    Image levelMoving = ImagePyramid.level(moving, factor);
    FixedVoxels voxels = new FixedVoxels(levelFixed, fixedMask == null ? null : ImagePyramid.level(fixedMask, factor));
    if (voxels.size() == 0) {
      throw new IllegalArgumentException("the fixed mask selects no voxel at pyramid factor " + factor);
    }
    motion.movingIndexFrame(levelMoving.grid().physicalToIndex());
    Adam adam = new Adam(q.length);
    CosineSchedule schedule = new CosineSchedule(settings.learningRate() * factor, FINAL_RATE_FRACTION, maxIterations);
    SlopeConvergence convergence = new SlopeConvergence(settings.convergenceWindow(), settings.convergenceTolerance());
    double[] losses = new double[maxIterations];
    int done = 0;
    boolean converged = false;
    try (NDManager levelScope = manager.newSubManager()) {
      NDArray movingTensor = levelScope.create(levelMoving.voxels(), new Shape(levelMoving.tensorShape()));
      while (done < maxIterations && !converged) {
        FixedVoxels.Draw draw = voxels.draw(settings.samplesPerIteration(), random);
        Step step = step(draw, motion.indexMatrix(q), movingTensor, loss, levelScope);
        double[] gradient = motion.chain(q, step.gradientToMatrix());
        if (!Double.isFinite(step.loss()) || !allFinite(gradient)) {
          throw new RegistrationDivergedException(String.format("affine %s loss is %s at level %d (factor %d), "
              + "iteration %d: the moving image left the fixed field of view or the input holds non-finite values",
              settings.loss(), step.loss(), level, factor, done));
        }
        adam.step(q, gradient, schedule.at(done));
        losses[done++] = step.loss();
        converged = convergence.add(step.loss());
      }
    }
    LOG.debug("level {} (factor {}): {} iterations, loss {}, converged {}", level, factor, done,
        done > 0 ? losses[done - 1] : Double.NaN, converged);
    return new LevelTrace(factor, Arrays.copyOf(losses, done), converged);
  }

  record Step(double loss, float[] gradientToMatrix) {}

  /** One forward and backward pass in its own native scope; only Java numbers leave it. */
  static Step step(FixedVoxels.Draw draw, float[] indexMatrix, NDArray movingTensor, SimilarityLoss loss,
      NDManager levelScope) {
    int d = (int) movingTensor.getShape().dimension();
    try (NDManager scope = levelScope.newSubManager()) {
      NDArray points = scope.create(draw.points(), new Shape(draw.count(), d + 1));
      NDArray fixedValues = scope.create(draw.values());
      NDArray matrix = Autograd.leaf(scope.create(indexMatrix, new Shape(d, d + 1)));
      NDArray value = Autograd.recording(() -> lossAt(points, fixedValues, matrix, movingTensor, loss));
      Autograd.backward(value);
      return new Step(Autograd.scalar(value), matrix.getGradient().toFloatArray());
    }
  }

  private static NDArray lossAt(NDArray points, NDArray fixedValues, NDArray indexMatrix, NDArray movingTensor,
      SimilarityLoss loss) {
    NDArray movingIndex = points.matMul(indexMatrix.transpose());
    NDArray sampled = LinearSampler.sample(movingTensor, movingIndex, Padding.ZERO);
    NDArray inside = LinearSampler.inside(movingIndex, LinearSampler.indexSize(movingTensor), DataType.FLOAT32);
    return loss.evaluate(fixedValues, sampled, inside);
  }

  /** Loss on a fixed subset of full-resolution voxels: comparable between the start and the end. */
  private double evaluate(Image fixed, Image moving, Image fixedMask, MotionJacobian motion, double[] q,
      SimilarityLoss loss, NDManager manager) {
    motion.movingIndexFrame(moving.grid().physicalToIndex());
    FixedVoxels voxels = new FixedVoxels(fixed, fixedMask);
    FixedVoxels.Draw draw = voxels.draw(EVALUATION_SAMPLES, new SplittableRandom(settings.seed() ^ 0x5DEECE66DL));
    int d = fixed.dim();
    try (NDManager scope = manager.newSubManager()) {
      NDArray movingTensor = scope.create(moving.voxels(), new Shape(moving.tensorShape()));
      NDArray points = scope.create(draw.points(), new Shape(draw.count(), d + 1));
      NDArray fixedValues = scope.create(draw.values());
      NDArray matrix = scope.create(motion.indexMatrix(q), new Shape(d, d + 1));
      return Autograd.notRecording(() -> Autograd.scalar(lossAt(points, fixedValues, matrix, movingTensor, loss)));
    }
  }

  private double[] initialParameters(Image fixed, Image moving, int d) {
    double[] p = new double[settings.model().parameterCount(d)];
    double[] from;
    double[] to;
    switch (settings.initialisation()) {
      case GEOMETRY -> {
        from = fixed.grid().center();
        to = moving.grid().center();
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
      throw new IllegalArgumentException("fixed image is " + fixed.dim() + "D but moving image is " + moving.dim() + "D");
    }
    if (fixedMask != null && !fixedMask.grid().equals(fixed.grid())) {
      throw new IllegalArgumentException("fixed mask must lie on the fixed image's grid: " + fixedMask.grid()
          + " vs " + fixed.grid());
    }
    if (fixed.nonFiniteCount() > 0 || moving.nonFiniteCount() > 0) {
      throw new IllegalArgumentException("images hold non-finite voxels: fixed " + fixed.nonFiniteCount()
          + ", moving " + moving.nonFiniteCount());
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
