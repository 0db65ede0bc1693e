package org.warpspark.engine.deformable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.warpspark.engine.InvalidPairException;
import org.warpspark.engine.RegistrationDivergedException;
import org.warpspark.engine.affine.LevelTrace;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.optim.CosineSchedule;
import org.warpspark.engine.pyramid.ImagePyramid;
import org.warpspark.engine.sample.FixedVoxels;
import org.warpspark.engine.sample.IndexPoints;
import org.warpspark.engine.sample.LinearSampler;
import org.warpspark.engine.sample.Padding;
import org.warpspark.engine.sample.SamplePool;
import org.warpspark.engine.sample.TransposedMatrices;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/**
 * Refines an affine result with a smooth displacement: {@code T(x) = M(x) + u(x)}, {@code M} the affine
 * {@code fixedToMoving} map held fixed and {@code u} (LPS mm) trilinear between the points of a coarse
 * control grid over the fixed image. The control displacements are the only leaf; they reach the
 * loss through our sampler's gradient to image values, plus a diffusion penalty. Adam runs on the
 * device with its moments kept in place, random fixed voxels per iteration as in the affine stage.
 */
public final class DeformableRegistration {
  private static final int POOL_SAMPLES = 1 << 17;
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;
  private static final double FINAL_RATE_FRACTION = 0.05;

  private final DeformableSettings settings;

  public DeformableRegistration(DeformableSettings settings) {
    this.settings = settings;
  }

  public DeformableResult register(Image fixed, Image moving, Affine affineFixedToMoving, NDManager manager) {
    if (fixed.dim() != moving.dim() || affineFixedToMoving.dim() != fixed.dim()) {
      throw new InvalidPairException("fixed " + fixed.dim() + "D, moving " + moving.dim() + "D and affine "
          + affineFixedToMoving.dim() + "D do not match");
    }
    return Autograd.notRecording(() -> registerChecked(fixed, moving, affineFixedToMoving, manager));
  }

  private DeformableResult registerChecked(Image fixed, Image moving, Affine affine, NDManager pairManager) {
    // The field and Adam's moments live for the whole registration and go with it.
    try (NDManager manager = pairManager.newSubManager()) {
      return optimise(fixed, moving, affine, manager);
    }
  }

  private DeformableResult optimise(Image fixed, Image moving, Affine affine, NDManager manager) {
    long start = System.nanoTime();
    int d = fixed.dim();
    Grid control = ControlGrid.covering(fixed.grid(), settings.controlSpacing());
    SimilarityLoss loss = settings.loss().create(fixed.voxels(), moving.voxels(), 32);
    SplittableRandom random = new SplittableRandom(settings.seed());
    Shape fieldShape = fieldShape(control);
    NDArray theta = manager.zeros(fieldShape, DataType.FLOAT32);
    NDArray firstMoment = manager.zeros(fieldShape, DataType.FLOAT32);
    NDArray secondMoment = manager.zeros(fieldShape, DataType.FLOAT32);
    int[] factors = settings.levelFactors();
    int[] iterations = settings.iterations();
    List<LevelTrace> levels = new ArrayList<>();
    int steps = 0;
    for (int level = 0; level < factors.length; level++) {
      Image levelFixed = ImagePyramid.level(fixed, factors[level]);
      Image levelMoving = ImagePyramid.level(moving, factors[level]);
      double[] losses = new double[iterations[level]];
      CosineSchedule schedule = new CosineSchedule(settings.learningRate(), FINAL_RATE_FRACTION, iterations[level]);
      try (NDManager levelScope = manager.newSubManager()) {
        Frames frames = new Frames(levelFixed.grid(), levelMoving.grid(), control, affine, levelScope);
        NDArray movingTensor = levelScope.create(levelMoving.voxels(), new Shape(levelMoving.tensorShape()));
        SamplePool pool = new SamplePool(new FixedVoxels(levelFixed, null).random(POOL_SAMPLES, random,
            settings.loss() != org.warpspark.engine.loss.LossKind.MI), d, levelScope);
        for (int it = 0; it < iterations[level]; it++) {
          try (NDManager step = levelScope.newSubManager()) {
            SamplePool.Batch batch = pool.window(settings.samplesPerIteration(), random, step);
            NDArray leaf = theta.duplicate();
            leaf.attach(step);
            Autograd.leaf(leaf);
            NDArray value = Autograd.recording(() -> {
              NDArray movingIndex = movingIndex(batch.points(), leaf, frames);
              NDArray sampled = LinearSampler.sample(movingTensor, movingIndex, Padding.ZERO);
              NDArray inside = LinearSampler.inside(movingIndex.stopGradient(), LinearSampler.indexSize(movingTensor),
                  DataType.FLOAT32);
              return loss.evaluate(batch.values(), sampled, inside)
                  .add(Regularisers.diffusion(leaf, control.spacing()).mul(settings.diffusionWeight()));
            });
            Autograd.backward(value);
            losses[it] = Autograd.scalar(value);
            if (!Double.isFinite(losses[it])) {
              throw new RegistrationDivergedException("deformable " + settings.loss() + " loss is " + losses[it]
                  + " at level " + level + " (factor " + factors[level] + "), iteration " + it);
            }
            steps++;
            adamStep(theta, firstMoment, secondMoment, leaf.getGradient(), steps, schedule.at(it), step);
          }
        }
      }
      levels.add(new LevelTrace(factors[level], losses, false));
    }
    DisplacementField field = wholeMap(fixed.grid(), control, affine, theta, manager);
    return new DeformableResult(field, List.copyOf(levels), (System.nanoTime() - start) / 1e9);
  }

  /** The constant matrices of a level, transposed for {@code points . M^T}. */
  private record Frames(NDArray toMovingIndexT, NDArray toControlIndexT, NDArray physicalToMovingIndexT) {
    Frames(Grid fixedLevel, Grid movingLevel, Grid control, Affine affine, NDManager scope) {
      this(TransposedMatrices.affine(movingLevel.physicalToIndex().after(affine).after(fixedLevel.indexToPhysical()),
              scope),
          TransposedMatrices.affine(control.physicalToIndex().after(fixedLevel.indexToPhysical()), scope),
          TransposedMatrices.linear(movingLevel.physicalToIndex(), scope));
    }
  }

  private static NDArray movingIndex(NDArray points, NDArray field, Frames frames) {
    NDArray controlIndex = points.matMul(frames.toControlIndexT());
    int d = (int) field.getShape().get(0);
    NDList components = new NDList(d);
    for (int c = 0; c < d; c++) {
      components.add(LinearSampler.sample(field.get(c), controlIndex, Padding.BORDER));
    }
    NDArray u = NDArrays.stack(components, 1); // (N, d) mm
    return points.matMul(frames.toMovingIndexT()).add(u.matMul(frames.physicalToMovingIndexT()));
  }

  /** Adam on the device; the moments and parameters change in place, temporaries die with {@code step}. */
  private static void adamStep(NDArray theta, NDArray m, NDArray v, NDArray gradient, int t, double rate,
      NDManager step) {
    NDArray g = gradient;
    m.muli(BETA1).addi(g.mul(1 - BETA1));
    v.muli(BETA2).addi(g.square().mul(1 - BETA2));
    NDArray mHat = m.div(1 - Math.pow(BETA1, t));
    NDArray vHat = v.div(1 - Math.pow(BETA2, t));
    mHat.attach(step);
    vHat.attach(step);
    NDArray update = mHat.div(vHat.sqrt().add(EPSILON)).mul(rate);
    theta.subi(update);
  }

  /** {@code U(x) = M(x) + u(x) - x} at every fixed voxel. */
  private static DisplacementField wholeMap(Grid fixed, Grid control, Affine affine, NDArray theta, NDManager manager) {
    DisplacementField affinePart = DisplacementField.of(fixed, affine);
    int d = fixed.dim();
    float[][] u = new float[d][];
    try (NDManager scope = manager.newSubManager()) {
      NDArray controlIndex = IndexPoints.all(fixed, scope)
          .matMul(TransposedMatrices.affine(control.physicalToIndex().after(fixed.indexToPhysical()), scope));
      for (int c = 0; c < d; c++) {
        NDArray component = theta.get(c);
        component.attach(scope);
        u[c] = LinearSampler.sample(component, controlIndex, Padding.BORDER).toFloatArray();
        for (int i = 0; i < u[c].length; i++) {
          u[c][i] += affinePart.components()[c][i];
        }
      }
    }
    return new DisplacementField(fixed, u);
  }

  private static Shape fieldShape(Grid control) {
    long[] tensor = Image.tensorShape(control);
    long[] shape = new long[tensor.length + 1];
    shape[0] = control.dim();
    System.arraycopy(tensor, 0, shape, 1, tensor.length);
    return new Shape(shape);
  }
}
