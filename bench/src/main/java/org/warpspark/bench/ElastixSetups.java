package org.warpspark.bench;

import java.util.Locale;

/**
 * The elastix setups our benchmarks compare against: what warpspark does by default, in elastix's
 * terms. Both share a 3-level smoothing pyramid, mean squares, random coordinates drawn anew every
 * iteration, linear interpolation, adaptive stochastic gradient descent and elastix's usual 250
 * iterations per level.
 */
final class ElastixSetups {
  private static final String COMMON = """
      (FixedInternalImagePixelType "float")
      (MovingInternalImagePixelType "float")
      (FixedImageDimension %1$d)
      (MovingImageDimension %1$d)
      (UseDirectionCosines "true")
      (Registration "MultiResolutionRegistration")
      (Interpolator "LinearInterpolator")
      (ResampleInterpolator "FinalBSplineInterpolator")
      (FinalBSplineInterpolationOrder 1)
      (Resampler "DefaultResampler")
      (FixedImagePyramid "FixedSmoothingImagePyramid")
      (MovingImagePyramid "MovingSmoothingImagePyramid")
      (Optimizer "AdaptiveStochasticGradientDescent")
      (Metric "AdvancedMeanSquares")
      (HowToCombineTransforms "Compose")
      (NumberOfResolutions 3)
      (MaximumNumberOfIterations 250)
      (NumberOfSpatialSamples %2$d)
      (NewSamplesEveryIteration "true")
      (ImageSampler "RandomCoordinate")
      (DefaultPixelValue 0)
      (WriteResultImage "false")
      (ResultImageFormat "mha")
      (ResultImagePixelType "float")
      """;

  private ElastixSetups() {}

  /** Affine, 2048 samples, geometric-centre initialisation. */
  static String affine(int dim) {
    return String.format(Locale.ROOT, COMMON, dim, 2048) + """
        (Transform "AffineTransform")
        (AutomaticScalesEstimation "true")
        (AutomaticTransformInitialization "true")
        (AutomaticTransformInitializationMethod "GeometricalCenter")
        """;
  }

  /** B-spline with a final control spacing of {@code controlSpacingMm} (32, 16, 8 mm for 8 mm over the levels). */
  static String bSpline(int dim, double controlSpacingMm, int samples) {
    return String.format(Locale.ROOT, COMMON, dim, samples) + String.format(Locale.ROOT, """
        (Transform "BSplineTransform")
        (FinalGridSpacingInPhysicalUnits %s)
        (GridSpacingSchedule 4.0 2.0 1.0)
        """, controlSpacingMm);
  }
}
