package org.warpspark.engine.deformable;

import java.util.Locale;
import org.warpspark.engine.pyramid.ImagePyramid;
import org.warpspark.engine.loss.LossKind;

/**
 * What a deformable registration is told; validated on construction, so a bad value fails before any
 * work starts.
 *
 * @param loss similarity loss; LNCC compares windows of {@code window} voxels over the whole image
 * @param window local NCC window, voxels per axis (odd), at each pyramid level
 * @param levelFactors image pyramid factors, coarse to fine
 * @param iterations maximum iterations per level
 * @param learningRate the dense models' largest update of the map per iteration in voxels (at the start
 *     of a level; it falls to a fifth by its end; the symmetric model's halves take half each), or the
 *     B-spline model's Adam step of the control values in mm
 * @param controlSpacing the B-spline model's spacing of the control grid the field lives on, in mm
 * @param regulariser the smoothness penalty of the control field
 * @param regularisationWeight its weight: the penalty ({@link Regulariser}) is dimensionless for
 *     diffusion and in 1/mm^2 for bending, so the weight is in loss units, or loss units times mm^2
 * @param diffeomorphic the control values are a stationary velocity field and the displacement its
 *     exponential (scaling and squaring), so the map cannot fold; otherwise they are the displacement
 * @param samplesPerIteration random fixed voxels per iteration for point losses (LNCC uses every voxel)
 * @param convergenceWindow iterations over which the loss slope is measured
 * @param convergenceTolerance loss change over the window, as a fraction of the level's improvement,
 *     below which a level stops
 * @param seed seed of the voxel sampling; equal seeds give equal results
 * @param model the dense flow (default), its symmetric form, or the B-spline over a control grid; the
 *     regulariser, its weight, the control spacing, the velocity option and the samples are the
 *     B-spline's alone
 * @param fluidSigma the dense models' smoothing of each update, Gaussian sigma in voxels of each level
 * @param elasticSigma the dense models' smoothing of the field after each update, voxels (0: none)
 */
public record DeformableSettings(LossKind loss, int window, int[] levelFactors, int[] iterations, double learningRate,
    double controlSpacing, Regulariser regulariser, double regularisationWeight, boolean diffeomorphic,
    int samplesPerIteration, int convergenceWindow, double convergenceTolerance, long seed, Model model,
    double fluidSigma, double elasticSigma) {

  /** How the deformation is represented. */
  public enum Model {
    /** A displacement on each level's image grid, updated by composing small smoothed steps: a diffeomorphism. */
    FLOW,
    /**
     * The flow made symmetric: both images move to a midpoint, each by a field of its own, and the map
     * and its inverse are composed from the two halves and their inverses (as ANTs' SyN does).
     */
    SYMMETRIC,
    /** A cubic B-spline (or, with the velocity option, a stationary velocity field) on a control grid. */
    BSPLINE;

    /** Whether the field lives on the image grid and is updated by composition (flow or symmetric). */
    public boolean dense() {
      return this != BSPLINE;
    }
  }

  /** Smoothness penalties; both are rotation invariant, so only the control spacing enters. */
  public enum Regulariser {
    /** {@code sum_{c,k} mean (du_c/dx_k)^2}: dimensionless. Penalises stretching; allows any smooth bend. */
    DIFFUSION,
    /** {@code sum_c sum_{k,l} mean (d2u_c/dx_k dx_l)^2}, in 1/mm^2: penalises curvature; free on affine motion. */
    BENDING
  }

  public DeformableSettings {
    ImagePyramid.checkSchedule(levelFactors, iterations);
    if (!(learningRate > 0) || !Double.isFinite(learningRate) || !(controlSpacing > 0)
        || !Double.isFinite(controlSpacing) || !(regularisationWeight >= 0) || !Double.isFinite(regularisationWeight)
        || samplesPerIteration < 1 || convergenceWindow < 3 || !(convergenceTolerance >= 0)) {
      throw new IllegalArgumentException("invalid deformable settings: learning rate " + learningRate
          + " mm, control spacing " + controlSpacing + " mm, regularisation weight " + regularisationWeight
          + ", samples " + samplesPerIteration + ", convergence window " + convergenceWindow + ", tolerance "
          + convergenceTolerance);
    }
    if (!(fluidSigma >= 0) || !Double.isFinite(fluidSigma) || !(elasticSigma >= 0) || !Double.isFinite(elasticSigma)) {
      throw new IllegalArgumentException("smoothing sigmas must be >= 0 voxels: fluid " + fluidSigma + ", elastic "
          + elasticSigma);
    }
    if (model != null && model.dense() && learningRate > 1) {
      throw new IllegalArgumentException("a flow step above 1 voxel per iteration can fold the map, got "
          + learningRate);
    }
    if (loss == null || regulariser == null || model == null) {
      throw new IllegalArgumentException("loss and regulariser must be given");
    }
    if (loss == LossKind.LNCC && (window < 3 || window % 2 == 0)) {
      throw new IllegalArgumentException("the local NCC window must be an odd number of voxels >= 3, got " + window);
    }
    levelFactors = levelFactors.clone();
    iterations = iterations.clone();
  }

  /**
   * The flow model over three levels (4, 2, 1) of at most 100, 60 and 20 iterations, steps of 0.5
   * voxel falling to a fifth over each level, updates smoothed over 5 voxels (fluid) and the field over
   * 1 (elastic), local NCC windows of 5 voxels; a level ends once the loss has improved by less than
   * 0.1 % of its gain over 20 iterations. Chosen on the real-anatomy benchmark (BENCHMARKS.md): wider
   * fluid smoothing was more accurate there and drifted less on pairs that needed no deformation; a
   * stiffer field (elastic 1.5) could no longer follow the anatomy. The B-spline keys keep
   * {@link #bsplineDefaults}'s values.
   */
  public static DeformableSettings defaults(LossKind loss) {
    return bsplineDefaults(loss).withLoss(loss, 5).withSchedule(new int[] {4, 2, 1}, new int[] {100, 60, 20})
        .withFlow(0.5, 5, 1);
  }

  /**
   * The B-spline model: two levels (2, 1) of at most 150 and 250 iterations, Adam steps of 0.5 mm,
   * control points every 8 mm, diffusion weighted 0.0015, displacement (not velocity) control values,
   * 4096 random voxels per iteration. Tuned on synthetic pairs against elastix's B-spline
   * registration (BENCHMARKS.md). On the finest level, once the loss is flat, it skips to its averaged
   * low-rate tail.
   */
  public static DeformableSettings bsplineDefaults(LossKind loss) {
    return new DeformableSettings(loss, 7, new int[] {2, 1}, new int[] {150, 250}, 0.5, 8.0, Regulariser.DIFFUSION,
        defaultWeight(Regulariser.DIFFUSION), false, 4096, 20, 0.001, 0, Model.BSPLINE, 0, 0);
  }

  /** The flow model with {@code step} voxels per iteration and the fluid and elastic sigmas (voxels). */
  public DeformableSettings withFlow(double step, double fluid, double elastic) {
    return withFlow(Model.FLOW, step, fluid, elastic);
  }

  /** A dense model ({@code flow} or {@code symmetric}) with its step and smoothing (voxels). */
  public DeformableSettings withFlow(Model dense, double step, double fluid, double elastic) {
    if (!dense.dense()) {
      throw new IllegalArgumentException("not a dense model: " + dense);
    }
    return new DeformableSettings(loss, window, levelFactors, iterations, step, controlSpacing, regulariser,
        regularisationWeight, diffeomorphic, samplesPerIteration, convergenceWindow, convergenceTolerance, seed,
        dense, fluid, elastic);
  }

  /**
   * The model as the tables name it: flow, symmetric, bspline, or velocity (the B-spline model's
   * velocity option).
   */
  public String modelName() {
    return model.dense() ? model.name().toLowerCase(Locale.ROOT) : diffeomorphic ? "velocity" : "bspline";
  }

  /** The default weight of each penalty: 0.0015 for diffusion, 0.1 (1/mm^2 units) for bending. */
  public static double defaultWeight(Regulariser regulariser) {
    return regulariser == Regulariser.BENDING ? 0.1 : 0.0015;
  }

  public DeformableSettings withDiffeomorphic(boolean velocity) {
    return new DeformableSettings(loss, window, levelFactors, iterations, learningRate, controlSpacing, regulariser,
        regularisationWeight, velocity, samplesPerIteration, convergenceWindow, convergenceTolerance, seed,
        model, fluidSigma, elasticSigma);
  }

  public DeformableSettings withRegulariser(Regulariser kind, double weight) {
    return new DeformableSettings(loss, window, levelFactors, iterations, learningRate, controlSpacing, kind, weight,
        diffeomorphic, samplesPerIteration, convergenceWindow, convergenceTolerance, seed,
        model, fluidSigma, elasticSigma);
  }

  public DeformableSettings withLoss(LossKind kind, int windowVoxels) {
    return new DeformableSettings(kind, windowVoxels, levelFactors, iterations, learningRate, controlSpacing,
        regulariser, regularisationWeight, diffeomorphic, samplesPerIteration, convergenceWindow,
        convergenceTolerance, seed, model, fluidSigma, elasticSigma);
  }

  public DeformableSettings withControlSpacing(double mm) {
    return new DeformableSettings(loss, window, levelFactors, iterations, learningRate, mm, regulariser,
        regularisationWeight, diffeomorphic, samplesPerIteration, convergenceWindow, convergenceTolerance, seed,
        model, fluidSigma, elasticSigma);
  }

  public DeformableSettings withSchedule(int[] factors, int[] iterationsPerLevel) {
    return new DeformableSettings(loss, window, factors, iterationsPerLevel, learningRate, controlSpacing,
        regulariser, regularisationWeight, diffeomorphic, samplesPerIteration, convergenceWindow,
        convergenceTolerance, seed, model, fluidSigma, elasticSigma);
  }

  public DeformableSettings withSeed(long newSeed) {
    return new DeformableSettings(loss, window, levelFactors, iterations, learningRate, controlSpacing, regulariser,
        regularisationWeight, diffeomorphic, samplesPerIteration, convergenceWindow, convergenceTolerance, newSeed,
        model, fluidSigma, elasticSigma);
  }

  @Override
  public int[] levelFactors() {
    return levelFactors.clone();
  }

  @Override
  public int[] iterations() {
    return iterations.clone();
  }
}
