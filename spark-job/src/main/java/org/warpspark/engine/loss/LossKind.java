package org.warpspark.engine.loss;

import java.util.Locale;

/**
 * The similarity losses a registration can use, by their command-line names. MSE, NCC and MI compare
 * sampled points; LNCC (local NCC) compares windows of a dense image, so only the deformable stage,
 * which warps whole images, offers it.
 */
public enum LossKind {
  MSE, NCC, MI, LNCC;

  /** True for losses of sampled points, which any stage can use. */
  public boolean pointwise() {
    return this != LNCC;
  }

  public static LossKind parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown loss '" + name + "' (expected mse, ncc, mi or lncc)", e);
    }
  }

  /** Builds a point loss; mutual information needs both images' intensity ranges. */
  public SimilarityLoss create(float[] fixedVoxels, float[] movingVoxels, int histogramBins) {
    return switch (this) {
      case MSE -> new MeanSquaredError();
      case NCC -> new NormalizedCrossCorrelation();
      case MI -> new MutualInformation(histogramBins, min(fixedVoxels), max(fixedVoxels), min(movingVoxels),
          max(movingVoxels));
      case LNCC -> throw new IllegalArgumentException("local NCC compares windows of a dense image, not points");
    };
  }

  private static double min(float[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (float x : v) {
      m = Math.min(m, x);
    }
    return m;
  }

  private static double max(float[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (float x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
