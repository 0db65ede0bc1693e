package org.warpspark.engine.deformable;

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
import org.warpspark.engine.InvalidPairException;
import org.warpspark.engine.RegistrationDivergedException;
import org.warpspark.engine.optim.LevelTrace;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.engine.loss.MutualInformation;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.optim.CosineSchedule;
import org.warpspark.engine.optim.AverageTail;
import org.warpspark.engine.optim.LevelLoop;
import org.warpspark.engine.pyramid.ImagePyramid;
import org.warpspark.engine.sample.FixedVoxels;
import org.warpspark.engine.sample.SamplePool;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/**
 * Refines an affine result with a smooth deformation: by default the dense flow of
 * {@link FlowRegistration}; with the B-spline model (this class) {@code T(x) = M(x) + u(x)}, {@code M} the affine
 * {@code fixedToMoving} map held fixed (composed, never resampled) and {@code u} (LPS mm) a cubic
 * B-spline over a coarse control grid covering the fixed image (elastix's free-form deformation); with
 * the diffeomorphic option the control values are a velocity field, trilinear between the points, and
 * {@code u} its exponential. The control values are the only
 * leaf; each iteration is one call of {@link DeformationModule}. Adam runs on the device with its
 * moments kept in place. Point losses draw random fixed voxels per iteration, as the affine stage does;
 * local NCC warps the whole level.
 */
public final class DeformableRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(DeformableRegistration.class);
  private static final int EVALUATION_SAMPLES = 1 << 16;
  private static final int HISTOGRAM_BINS = 32;
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;
  private static final double FINAL_RATE_FRACTION = 0.05;
  /** The share of the finest level's iterations whose parameters are averaged into the result. */
  private static final double AVERAGED_FRACTION = 0.2;

  private final DeformableSettings settings;

  public DeformableRegistration(DeformableSettings settings) {
    this.settings = settings;
  }

  /**
   * @param fixedMask null, or an image on the fixed grid whose voxels > 0.5 are the ones compared
   * @param affineFixedToMoving the affine stage's result, kept as it is
   */
  public DeformableResult register(Image fixed, Image moving, Image fixedMask, Affine affineFixedToMoving,
      NDManager manager) {
    if (fixed.dim() != moving.dim() || affineFixedToMoving.dim() != fixed.dim()) {
      throw new InvalidPairException("fixed " + fixed.dim() + "D, moving " + moving.dim() + "D and affine "
          + affineFixedToMoving.dim() + "D do not match");
    }
    if (fixedMask != null && !fixedMask.grid().sameGeometry(fixed.grid(), 1e-4)) {
      throw new InvalidPairException("the fixed mask does not lie on the fixed image's grid: mask " + fixedMask.grid()
          + ", fixed " + fixed.grid());
    }
    int narrowest = Arrays.stream(fixed.grid().size()).min().orElse(0);
    if (settings.loss() == LossKind.LNCC && settings.window() > narrowest) {
      throw new InvalidPairException("lncc-window " + settings.window() + " is wider than the fixed image ("
          + Arrays.toString(fixed.grid().size()) + " voxels): a local window must fit inside it, at most "
          + (narrowest % 2 == 1 ? narrowest : narrowest - 1) + " here");
    }
    // The field, Adam's moments and the module live for the whole registration and go with it.
    return Autograd.notRecording(() -> {
      try (NDManager scope = manager.newSubManager()) {
        DeformableResult result = settings.model().dense()
            ? new FlowRegistration(settings).register(fixed, moving, fixedMask, affineFixedToMoving, scope)
            : optimise(fixed, moving, fixedMask, affineFixedToMoving, scope);
        return result.finalLoss() > result.initialLoss() ? affineOnly(result, fixed, moving, affineFixedToMoving)
            : result;
      }
    });
  }

  /** Worse than where it started, by its own measure: the affine map alone, and the row says so. */
  private DeformableResult affineOnly(DeformableResult worse, Image fixed, Image moving, Affine affine) {
    LOG.warn("deformable {} registration ended worse than it started ({} -> {}): keeping the affine map",
        settings.loss(), worse.initialLoss(), worse.finalLoss());
    return new DeformableResult(DisplacementField.of(fixed.grid(), affine), worse.movingToFixed() == null ? null
        : DisplacementField.of(moving.grid(), affine.inverse()), worse.levels(), worse.initialLoss(),
        worse.initialLoss(), true, worse.seconds());
  }

  private DeformableResult optimise(Image fixed, Image moving, Image mask, Affine affine, NDManager manager) {
    long start = System.nanoTime();
    // A cubic B-spline needs a point beyond each face; a velocity field is trilinear and does not.
    Grid controlGrid = ControlGrid.covering(fixed.grid(), settings.controlSpacing(), settings.diffeomorphic() ? 0 : 1);
    SimilarityLoss pointLoss = settings.loss().pointwise()
        ? settings.loss().create(fixed.voxels(), moving.voxels(), HISTOGRAM_BINS) : null;
    float[] ranges = pointLoss instanceof MutualInformation mi ? mi.ranges() : new float[4];
    DeformationModule module = DeformationModule.compile(settings, pointLoss, controlGrid, manager);
    ControlFrame control = ControlFrame.of(controlGrid, manager);
    long[] fieldDims = LevelInputs.batched(Image.tensorShape(controlGrid));
    fieldDims[1] = controlGrid.dim(); // (1, d, [nz,] ny, nx): one channel per LPS component
    Shape fieldShape = new Shape(fieldDims);
    NDArray theta = manager.zeros(fieldShape, DataType.FLOAT32);
    Adam adam = new Adam(fieldShape, manager);
    SplittableRandom random = new SplittableRandom(settings.seed());
    double initialLoss = evaluate(module, fixed, moving, mask, affine, control, theta, ranges);
    List<LevelTrace> levels = new ArrayList<>();
    int[] factors = settings.levelFactors();
    for (int level = 0; level < factors.length; level++) {
      levels.add(runLevel(level, fixed, moving, mask, affine, module, control, theta, adam, ranges, random));
    }
    double finalLoss = evaluate(module, fixed, moving, mask, affine, control, theta, ranges);
    DisplacementField field = wholeMap(fixed.grid(), affine, module, control, theta, manager);
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.info("deformable {} registration: loss {} -> {} in {} iterations, {} s", settings.loss(), initialLoss,
        finalLoss, levels.stream().mapToInt(LevelTrace::iterations).sum(), String.format("%.2f", seconds));
    return new DeformableResult(field, null, List.copyOf(levels), initialLoss, finalLoss, false, seconds);
  }

  private LevelTrace runLevel(int level, Image fixed, Image moving, Image mask, Affine affine,
      DeformationModule module, ControlFrame control, NDArray theta, Adam adam, float[] ranges,
      SplittableRandom random) {
    int factor = settings.levelFactors()[level];
    int maxIterations = settings.iterations()[level];
    Image levelFixed = ImagePyramid.level(fixed, factor);
    Image levelMask = mask == null ? null : ImagePyramid.level(mask, factor);
    boolean finest = level == settings.levelFactors().length - 1;
    // On the finest level, once the slope test fires, the run skips to the schedule's low-rate tail and
    // averages it rather than stopping at a high, noisy rate.
    AverageTail ending = new AverageTail(new CosineSchedule(settings.learningRate(), FINAL_RATE_FRACTION,
        maxIterations), settings.convergenceWindow(), settings.convergenceTolerance(), AVERAGED_FRACTION, finest);
    try (NDManager levelScope = theta.getManager().newSubManager()) {
      LevelInputs inputs = LevelInputs.of(levelFixed, ImagePyramid.level(moving, factor), affine, control, ranges,
          levelScope);
      Samples samples = Samples.forLevel(settings, levelFixed, levelMask, random, levelScope);
      return LevelLoop.run(factor, maxIterations, ending, new LevelLoop.Iterate() {
        private NDArray sum;
        private int averaged;

        @Override
        public double step(int iteration, double rate, boolean finalWindow) {
          try (NDManager step = levelScope.newSubManager()) {
            Samples.Batch batch = samples.next(random, step);
            NDArray leaf = theta.duplicate();
            leaf.attach(step);
            Autograd.leaf(leaf);
            NDArray value = Autograd.recording(() -> attach(module.evaluate(batch.points(), leaf, batch.fixed(),
                batch.weight(), control, inputs), step));
            Autograd.backward(Autograd.recording(() -> value.get(0))); // [objective, similarity]
            double loss = value.toFloatArray()[0];
            if (!Double.isFinite(loss)) {
              throw new RegistrationDivergedException("deformable " + settings.loss() + " loss is " + loss
                  + " at level " + level + " (factor " + factor + "), iteration " + iteration);
            }
            adam.step(theta, leaf.getGradient(), rate, step);
            return loss;
          }
        }

        @Override
        public void addToAverage() {
          sum = sum == null ? levelScope.zeros(theta.getShape(), theta.getDataType()) : sum;
          sum.addi(theta);
          averaged++;
        }

        @Override
        public void restartAverage() {
          sum = null;
          averaged = 0;
        }

        @Override
        public void applyAverage() {
          if (averaged > 0) {
            theta.muli(0).addi(sum.div(averaged));
          }
        }
      });
    }
  }

  /**
   * The similarity alone at full resolution, on a fixed set of voxels (every voxel for local NCC), so
   * that the start and the end compare.
   */
  private double evaluate(DeformationModule module, Image fixed, Image moving, Image mask, Affine affine,
      ControlFrame control, NDArray theta, float[] ranges) {
    try (NDManager scope = theta.getManager().newSubManager()) {
      LevelInputs inputs = LevelInputs.of(fixed, moving, affine, control, ranges, scope);
      Samples.Batch batch = Samples.evaluation(settings, fixed, mask, EVALUATION_SAMPLES, scope).next(null, scope);
      return module.evaluate(batch.points(), theta, batch.fixed(), batch.weight(), control, inputs).toFloatArray()[1];
    }
  }

  /** {@code U(x) = M(x) + u(x) - x} at every fixed voxel. */
  private DisplacementField wholeMap(Grid fixed, Affine affine, DeformationModule module, ControlFrame control,
      NDArray theta, NDManager manager) {
    DisplacementField affinePart = DisplacementField.of(fixed, affine);
    int d = fixed.dim();
    int n = Math.toIntExact(fixed.voxelCount());
    float[] all;
    try (NDManager scope = manager.newSubManager()) {
      NDArray u = module.displacement(theta, control);
      u.attach(scope);
      all = DenseField.at(u, control.grid(), fixed, !settings.diffeomorphic());
    }
    float[][] components = new float[d][];
    for (int c = 0; c < d; c++) {
      components[c] = Arrays.copyOfRange(all, c * n, (c + 1) * n);
      float[] a = affinePart.components()[c];
      for (int i = 0; i < n; i++) {
        components[c][i] += a[i];
      }
    }
    return new DisplacementField(fixed, components);
  }

  private static NDArray attach(NDArray value, NDManager step) {
    value.attach(step);
    return value;
  }

  /** Adam on the device: the moments and parameters change in place, temporaries die with the step. */
  private static final class Adam {
    private final NDArray firstMoment;
    private final NDArray secondMoment;
    private int t;

    Adam(Shape shape, NDManager manager) {
      firstMoment = manager.zeros(shape, DataType.FLOAT32);
      secondMoment = manager.zeros(shape, DataType.FLOAT32);
    }

    void step(NDArray theta, NDArray gradient, double rate, NDManager step) {
      t++;
      NDArray g = gradient;
      firstMoment.muli(BETA1).addi(g.mul(1 - BETA1));
      secondMoment.muli(BETA2).addi(g.square().mul(1 - BETA2));
      NDArray mHat = firstMoment.div(1 - Math.pow(BETA1, t));
      NDArray vHat = secondMoment.div(1 - Math.pow(BETA2, t));
      mHat.attach(step);
      vHat.attach(step);
      theta.subi(mHat.div(vHat.sqrt().add(EPSILON)).mul(rate));
    }
  }
}
