package org.warpspark.engine.affine;

import org.warpspark.engine.pyramid.ImagePyramid;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.udfs.spatial.TransformModel;

/**
 * Everything an affine registration is told. Validated on construction, so a bad value fails before
 * any work starts.
 *
 * @param model which motions are free
 * @param loss similarity loss
 * @param levelFactors pyramid shrink factors, coarse to fine (e.g. 4, 2, 1)
 * @param iterations maximum iterations per level
 * @param learningRate Adam step in millimetres of motion at the image edge, at the finest level;
 *     a level with factor f starts at {@code f * learningRate}
 * @param samplesPerIteration fixed voxels drawn at random each iteration (0: every voxel, deterministic)
 * @param histogramBins bins of the mutual-information histogram
 * @param centre centre of rotation and scaling
 * @param initialisation how the starting translation is chosen
 * @param convergenceWindow iterations over which the loss slope is measured
 * @param convergenceTolerance loss change over the window, as a fraction of the level's improvement so
 *     far, below which a level anneals and stops
 * @param seed seed of the voxel sampling; equal seeds give equal results
 * @param sampler how an iteration samples the moving image (both give the same numbers)
 * @param fixedSampling where random fixed samples sit: voxel centres, or jittered off them
 * @param stepWithinExtent keep each level's first step within {@link #MAX_STEP_FRACTION} of the fixed
 *     image's smallest extent (what the default learning rate does, so that it suits microscopy as well as
 *     brains; a rate a user gives is taken as it is)
 */
public record AffineSettings(TransformModel model, LossKind loss, int[] levelFactors, int[] iterations,
    double learningRate, int samplesPerIteration, int histogramBins, Centre centre,
    Initialisation initialisation, int convergenceWindow, double convergenceTolerance, long seed, Sampler sampler,
    FixedSampling fixedSampling, boolean stepWithinExtent) {

  /**
   * The largest first step of a level, as a fraction of the fixed image's smallest physical extent, when
   * {@code stepWithinExtent}: the learning rate is in millimetres, and on a 7 micrometre microscopy tile a
   * half-millimetre step would throw the image out of view at once.
   */
  public static final double MAX_STEP_FRACTION = 0.05;

  /** Where rotation and scaling are centred. */
  public enum Centre { IMAGE, MASS }

  /** Starting translation: none, align the image centres, or align the centres of mass. */
  public enum Initialisation { NONE, GEOMETRY, MASS }

  /**
   * FUSED: PyTorch's own grid sampler and the loss in one TorchScript call (fast); GATHER: our
   * DJL-op sampler, the reference the fused path is tested against.
   */
  public enum Sampler { FUSED, GATHER }

  /**
   * CENTRES: random fixed samples on voxel centres; JITTERED: moved up to half a voxel off them and
   * interpolated (elastix's random coordinates). Jittering removes the bias that linear interpolation
   * gives every loss: on voxel centres the optimum leans towards grid-aligned positions (a pure 10
   * degree rotation of a real brain slice landed 0.054 mm off with MI on centres, 0.019 mm jittered).
   */
  public enum FixedSampling { CENTRES, JITTERED }

  public AffineSettings {
    ImagePyramid.checkSchedule(levelFactors, iterations);
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
    }
    if (samplesPerIteration < 0 || histogramBins < 4 || convergenceWindow < 3 || !(convergenceTolerance >= 0)) {
      throw new IllegalArgumentException("invalid sampling/histogram/convergence settings: samples "
          + samplesPerIteration + ", bins " + histogramBins + ", window " + convergenceWindow + ", tolerance "
          + convergenceTolerance);
    }
    if (!loss.pointwise()) {
      throw new IllegalArgumentException("the affine stage takes mse, ncc or mi; " + loss
          + " is for the deformable stage");
    }
    if (sampler == null || fixedSampling == null) {
      throw new IllegalArgumentException("sampler and fixed sampling must be given");
    }
    levelFactors = levelFactors.clone();
    iterations = iterations.clone();
  }

  /**
   * Three levels (4, 2, 1) with most iterations at the finest, where precision is decided; random
   * subsets of 2048 jittered voxels; image-centred rotation; centres aligned.
   */
  public static AffineSettings defaults(TransformModel model, LossKind loss) {
    return new AffineSettings(model, loss, new int[] {4, 2, 1}, new int[] {100, 60, 250}, 0.5, 2048, 32,
        Centre.IMAGE, Initialisation.GEOMETRY, 20, 0.01, 0, Sampler.FUSED,
        FixedSampling.JITTERED, true);
  }

  public AffineSettings withSeed(long newSeed) {
    return new AffineSettings(model, loss, levelFactors, iterations, learningRate, samplesPerIteration,
        histogramBins, centre, initialisation, convergenceWindow, convergenceTolerance, newSeed, sampler, fixedSampling,
        stepWithinExtent);
  }

  public AffineSettings withSchedule(int[] factors, int[] iterationsPerLevel) {
    return new AffineSettings(model, loss, factors, iterationsPerLevel, learningRate, samplesPerIteration,
        histogramBins, centre, initialisation, convergenceWindow, convergenceTolerance, seed, sampler, fixedSampling,
        stepWithinExtent);
  }

  public AffineSettings withSampler(Sampler newSampler) {
    return new AffineSettings(model, loss, levelFactors, iterations, learningRate, samplesPerIteration, histogramBins,
        centre, initialisation, convergenceWindow, convergenceTolerance, seed, newSampler, fixedSampling,
        stepWithinExtent);
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
