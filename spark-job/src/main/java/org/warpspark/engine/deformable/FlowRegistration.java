package org.warpspark.engine.deformable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warpspark.engine.RegistrationDivergedException;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.engine.loss.MutualInformation;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.optim.AnnealOnConvergence;
import org.warpspark.engine.optim.CosineSchedule;
import org.warpspark.engine.optim.LevelLoop;
import org.warpspark.engine.optim.LevelTrace;
import org.warpspark.engine.pyramid.ImagePyramid;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/**
 * Dense diffeomorphic registration by greedy composition, in the family of ANTs' greedy SyN: the map
 * is {@code x -> A(x + u(x))}, {@code A} the affine result, {@code u} a displacement on each pyramid
 * level's own fixed grid (coarse to fine, so large motion is found early). Each iteration takes the
 * similarity's gradient with respect to {@code u} (one TorchScript call with its backward), smooths it
 * (fluid), scales it so that its longest vector is the step (a fraction of a voxel, so the update is
 * invertible and the size of a step does not depend on the loss's units), composes it with the map
 * and smooths the result (elastic). A composition of small smooth invertible steps is invertible: the
 * map does not fold. The inverse map comes from the final field by fixed-point iteration.
 *
 * <p>The symmetric model moves both images to a midpoint, each by a field of its own updated the same
 * way from the similarity's gradient; the map and its inverse are the halves composed with each
 * other's inverses, so neither direction is preferred.
 */
final class FlowRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(FlowRegistration.class);
  private static final int HISTOGRAM_BINS = 32;
  /** The step falls along half a cosine to this share of its start over a level. */
  private static final double FINAL_STEP_FRACTION = 0.2;

  private final DeformableSettings settings;

  FlowRegistration(DeformableSettings settings) {
    this.settings = settings;
  }

  DeformableResult register(Image fixed, Image moving, Image mask, Affine affine, NDManager manager) {
    long start = System.nanoTime();
    LossKind kind = settings.loss();
    SimilarityLoss pointLoss = kind.pointwise() ? kind.create(fixed.voxels(), moving.voxels(), HISTOGRAM_BINS) : null;
    float[] ranges = pointLoss instanceof MutualInformation mi ? mi.ranges() : new float[4];
    boolean symmetric = settings.model() == DeformableSettings.Model.SYMMETRIC;
    FlowModule module = FlowModule.compile(fixed.dim(), kind, pointLoss, symmetric, manager);
    FlowLevel full = level(fixed, moving, mask, affine, 1, ranges, module, manager);
    double initialLoss;
    try (NDManager scope = manager.newSubManager()) {
      initialLoss = similarity(module, FlowLevel.zeroField(fixed.grid(), scope), full);
    }
    Fields fields = null;
    List<LevelTrace> levels = new ArrayList<>();
    Grid previous = null;
    int[] factors = settings.levelFactors();
    for (int l = 0; l < factors.length; l++) {
      try (NDManager levelScope = manager.newSubManager()) {
        FlowLevel level = factors[l] == 1 ? full : level(fixed, moving, mask, affine, factors[l], ranges, module,
            levelScope);
        fields = fields == null ? Fields.zero(symmetric ? 2 : 1, level.grid(), manager)
            : fields.onto(module, previous, level);
        long levelStart = System.nanoTime();
        LevelTrace trace = runLevel(l, level, module, fields, levelScope);
        levels.add(trace);
        double[] losses = trace.losses();
        LOG.info("deformable {} level {} of {} (factor {}, {} voxels): {} iterations, loss {} -> {}, {} s",
            settings.modelName(), l + 1, factors.length, factors[l], level.grid().voxelCount(), losses.length,
            losses.length > 0 ? losses[0] : "-", losses.length > 0 ? losses[losses.length - 1] : "-",
            String.format("%.2f", (System.nanoTime() - levelStart) / 1e9));
        previous = level.grid();
      }
    }
    if (previous != null && !previous.equals(fixed.grid())) {
      fields = fields.onto(module, previous, full);
    }
    NDArray[] maps = fields.maps(module, full, manager);
    double finalLoss = similarity(module, maps[0], full);
    DisplacementField forwardMap = forward(fixed.grid(), affine, maps[0]);
    DisplacementField inverseMap = inverse(fixed.grid(), moving.grid(), affine, maps[1], module, manager);
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.info("deformable {} {} registration: loss {} -> {} in {} iterations, {} s", settings.modelName(), kind,
        initialLoss, finalLoss, levels.stream().mapToInt(LevelTrace::iterations).sum(),
        String.format("%.2f", seconds));
    return new DeformableResult(forwardMap, inverseMap, List.copyOf(levels), initialLoss, finalLoss, false, seconds);
  }

  private FlowLevel level(Image fixed, Image moving, Image mask, Affine affine, int factor, float[] ranges,
      FlowModule module, NDManager scope) {
    return FlowLevel.of(ImagePyramid.level(fixed, factor), ImagePyramid.level(moving, factor),
        mask == null ? null : ImagePyramid.level(mask, factor), affine, settings.loss() == LossKind.LNCC,
        settings.window(), ranges, settings.fluidSigma(), settings.elasticSigma(), module, scope);
  }

  /**
   * The fields being optimised, each {@code (1, d, ...)} on the level's grid: the flow's one
   * displacement {@code u}, or the symmetric model's halves {@code p} (fixed side) and {@code q}
   * (moving side) of a midpoint {@code z}, compared as {@code F(z + p(z))} and {@code M(A(z + q(z)))}.
   * Each step replaces them and frees the ones before.
   */
  private static final class Fields {
    final NDArray[] values;

    private Fields(NDArray[] values) {
      this.values = values;
    }

    static Fields zero(int count, Grid grid, NDManager manager) {
      NDArray[] values = new NDArray[count];
      for (int i = 0; i < count; i++) {
        values[i] = FlowLevel.zeroField(grid, manager);
      }
      return new Fields(values);
    }

    /** The same fields on {@code level}'s grid, sampled from {@code from}'s; the old ones are freed. */
    Fields onto(FlowModule module, Grid from, FlowLevel level) {
      for (int i = 0; i < values.length; i++) {
        values[i] = FlowRegistration.onto(module, values[i], from, level, values[i].getManager());
      }
      return this;
    }

    /**
     * The map {@code u} of the fixed grid and its inverse {@code v}: the flow's field and its
     * fixed-point inverse, or the halves composed, {@code u = q o p^-1} and {@code v = p o q^-1}.
     */
    NDArray[] maps(FlowModule module, FlowLevel full, NDManager manager) {
      if (values.length == 1) {
        return new NDArray[] {values[0], attached(module.inverse(values[0], full), manager)};
      }
      try (NDManager scope = manager.newSubManager()) {
        NDArray pInverse = attached(module.inverse(values[0], full), scope);
        NDArray qInverse = attached(module.inverse(values[1], full), scope);
        NDArray[] maps = {attached(module.compose(pInverse, values[1], full), manager),
            attached(module.compose(qInverse, values[0], full), manager)};
        for (NDArray half : values) {
          half.close();
        }
        return maps;
      }
    }
  }

  private static NDArray attached(NDArray array, NDManager scope) {
    array.attach(scope);
    return array;
  }

  private LevelTrace runLevel(int l, FlowLevel level, FlowModule module, Fields fields, NDManager levelScope) {
    int factor = settings.levelFactors()[l];
    int maxIterations = settings.iterations()[l];
    AnnealOnConvergence ending = new AnnealOnConvergence(new CosineSchedule(settings.learningRate(),
        FINAL_STEP_FRACTION, maxIterations), settings.convergenceWindow(), settings.convergenceTolerance());
    return LevelLoop.run(factor, maxIterations, ending, new LevelLoop.Iterate() {
      @Override
      public double step(int iteration, double rate, boolean finalWindow) {
        try (NDManager step = levelScope.newSubManager()) {
          NDArray[] leaves = new NDArray[fields.values.length];
          for (int i = 0; i < leaves.length; i++) {
            leaves[i] = Autograd.leaf(attached(fields.values[i].duplicate(), step));
          }
          NDArray value = attached(Autograd.recording(() -> module.recorded(leaves, level)), step);
          Autograd.backward(value);
          double loss = value.toFloatArray()[0];
          if (!Double.isFinite(loss)) {
            throw new RegistrationDivergedException("deformable " + settings.loss() + " loss is " + loss
                + " at level " + l + " (factor " + factor + "), iteration " + iteration);
          }
          NDArray stepMm = step.create(new float[] {(float) (rate * level.voxelMm() / leaves.length)});
          for (int i = 0; i < leaves.length; i++) {
            NDArray old = fields.values[i];
            NDArray next = module.update(old, leaves[i].getGradient(), level, stepMm);
            next.attach(old.getManager());
            old.close();
            fields.values[i] = next;
          }
          return loss;
        }
      }

      @Override
      public void addToAverage() {}

      @Override
      public void restartAverage() {}

      @Override
      public void applyAverage() {}
    });
  }

  private static double similarity(FlowModule module, NDArray u, FlowLevel level) {
    try (NDManager scope = u.getManager().newSubManager()) {
      NDArray value = module.similarity(u, level);
      value.attach(scope);
      return value.toFloatArray()[0];
    }
  }

  /** {@code u} of a coarser level's grid, sampled at {@code level}'s voxels; the old field is freed. */
  private static NDArray onto(FlowModule module, NDArray u, Grid from, FlowLevel level, NDManager manager) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray finer = module.resample(u,
          ControlFrame.points(level.grid(), ControlFrame.physicalToNormalised(from), scope));
      finer.attach(manager);
      u.close();
      return finer;
    }
  }

  /** {@code U(x) = A(x + u(x)) - x = (A(x) - x) + L u(x)}, {@code L} the affine's linear part. */
  private static DisplacementField forward(Grid fixed, Affine affine, NDArray u) {
    return plusLinear(DisplacementField.of(fixed, affine), affine, u.toFloatArray());
  }

  /**
   * On the moving grid: {@code y -> z + v(z)}, {@code z = A^-1(y)}, {@code v} the inverse of
   * {@code u} on the fixed grid, sampled at {@code z} (edge values outside it).
   */
  private static DisplacementField inverse(Grid fixed, Grid moving, Affine affine, NDArray v, FlowModule module,
      NDManager manager) {
    Affine back = affine.inverse();
    float[] values;
    try (NDManager scope = manager.newSubManager()) {
      NDArray atMoving = module.resample(v,
          ControlFrame.points(moving, ControlFrame.physicalToNormalised(fixed).after(back), scope));
      atMoving.attach(scope);
      values = atMoving.toFloatArray();
    }
    return plusLinear(DisplacementField.of(moving, back), Affine.identity(fixed.dim()), values);
  }

  /** {@code base + L w}, {@code w} given as {@code (d, N)} in memory order. */
  private static DisplacementField plusLinear(DisplacementField base, Affine linear, float[] w) {
    int d = base.dim();
    int n = Math.toIntExact(base.grid().voxelCount());
    float[][] out = new float[d][];
    for (int c = 0; c < d; c++) {
      out[c] = base.components()[c].clone();
      for (int k = 0; k < d; k++) {
        float m = (float) linear.get(c, k);
        if (m != 0) {
          for (int i = 0; i < n; i++) {
            out[c][i] += m * w[k * n + i];
          }
        }
      }
    }
    return new DisplacementField(base.grid(), out);
  }
}
