package org.warpspark.job;

/**
 * The elastix setup our benchmark compares against: what warpspark does by default, in elastix's terms
 * (3 smoothing-pyramid levels, affine, mean squares, 2048 random samples per iteration, linear
 * interpolation, geometric-centre initialisation), with elastix's own adaptive stochastic gradient
 * descent and its usual 250 iterations per level.
 */
final class ElastixAffineSetup {
  private ElastixAffineSetup() {}

  static String text(int dim) {
    return """
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
        (Transform "AffineTransform")
        (Metric "AdvancedMeanSquares")
        (AutomaticScalesEstimation "true")
        (AutomaticTransformInitialization "true")
        (AutomaticTransformInitializationMethod "GeometricalCenter")
        (HowToCombineTransforms "Compose")
        (NumberOfResolutions 3)
        (MaximumNumberOfIterations 250)
        (NumberOfSpatialSamples 2048)
        (NewSamplesEveryIteration "true")
        (ImageSampler "RandomCoordinate")
        (DefaultPixelValue 0)
        (WriteResultImage "false")
        """.formatted(dim);
  }
}
