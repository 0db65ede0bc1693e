package org.warpspark.job;

import java.util.Locale;

/**
 * The elastix B-spline setup our deformable benchmark compares against, in elastix's terms what
 * warpspark's deformable defaults do: mean squares, a final control-point spacing of 8 mm, random
 * coordinates per iteration, linear interpolation; with elastix's usual 3-level smoothing pyramid
 * (control spacing 32, 16, 8 mm), adaptive stochastic gradient descent and 250 iterations per level.
 */
final class ElastixBSplineSetup {
  private ElastixBSplineSetup() {}

  static String text(int dim, double controlSpacingMm, int samples) {
    return String.format(Locale.ROOT, """
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
        (Transform "BSplineTransform")
        (Metric "AdvancedMeanSquares")
        (FinalGridSpacingInPhysicalUnits %2$s)
        (GridSpacingSchedule 4.0 2.0 1.0)
        (HowToCombineTransforms "Compose")
        (NumberOfResolutions 3)
        (MaximumNumberOfIterations 250)
        (NumberOfSpatialSamples %3$d)
        (NewSamplesEveryIteration "true")
        (ImageSampler "RandomCoordinate")
        (DefaultPixelValue 0)
        (WriteResultImage "false")
        (ResultImageFormat "mha")
        (ResultImagePixelType "float")
        """, dim, controlSpacingMm, samples);
  }
}
