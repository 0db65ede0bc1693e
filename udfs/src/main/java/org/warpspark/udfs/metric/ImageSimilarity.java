package org.warpspark.udfs.metric;

/**
 * Similarity of a fixed image and a moving image already resampled onto the fixed grid, over the voxels
 * a mask selects (all where the mask is null): the figures a result table reports before and after a
 * stage. Plain float arrays in the same voxel order.
 */
public final class ImageSimilarity {
  /** Bins per axis of the joint histogram behind {@link #mutualInformation}. */
  public static final int BINS = 32;

  private ImageSimilarity() {}

  /** Mean squared difference (intensity^2). */
  public static double meanSquaredError(float[] fixed, float[] warped, float[] mask) {
    check(fixed, warped, mask);
    double sum = 0;
    long n = 0;
    for (int i = 0; i < fixed.length; i++) {
      if (selected(mask, i)) {
        double d = warped[i] - fixed[i];
        sum += d * d;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Pearson correlation of the intensities, in [-1, 1]; NaN where either image is constant. */
  public static double normalisedCrossCorrelation(float[] fixed, float[] warped, float[] mask) {
    check(fixed, warped, mask);
    double sf = 0;
    double sw = 0;
    long n = 0;
    for (int i = 0; i < fixed.length; i++) {
      if (selected(mask, i)) {
        sf += fixed[i];
        sw += warped[i];
        n++;
      }
    }
    double mf = sf / n;
    double mw = sw / n;
    double cov = 0;
    double vf = 0;
    double vw = 0;
    for (int i = 0; i < fixed.length; i++) {
      if (selected(mask, i)) {
        double a = fixed[i] - mf;
        double b = warped[i] - mw;
        cov += a * b;
        vf += a * a;
        vw += b * b;
      }
    }
    return vf == 0 || vw == 0 ? Double.NaN : cov / Math.sqrt(vf * vw);
  }

  /** Mutual information in nats from a {@value #BINS}x{@value #BINS} joint histogram over each image's range. */
  public static double mutualInformation(float[] fixed, float[] warped, float[] mask) {
    check(fixed, warped, mask);
    float[] fr = range(fixed, mask);
    float[] wr = range(warped, mask);
    double[] joint = new double[BINS * BINS];
    long n = 0;
    for (int i = 0; i < fixed.length; i++) {
      if (selected(mask, i)) {
        joint[bin(fixed[i], fr) * BINS + bin(warped[i], wr)]++;
        n++;
      }
    }
    if (n == 0) {
      return Double.NaN;
    }
    double[] pf = new double[BINS];
    double[] pw = new double[BINS];
    for (int a = 0; a < BINS; a++) {
      for (int b = 0; b < BINS; b++) {
        double p = joint[a * BINS + b] / n;
        joint[a * BINS + b] = p;
        pf[a] += p;
        pw[b] += p;
      }
    }
    double mi = 0;
    for (int a = 0; a < BINS; a++) {
      for (int b = 0; b < BINS; b++) {
        double p = joint[a * BINS + b];
        if (p > 0) {
          mi += p * Math.log(p / (pf[a] * pw[b]));
        }
      }
    }
    return mi;
  }

  private static boolean selected(float[] mask, int i) {
    return mask == null || mask[i] > 0.5f;
  }

  private static float[] range(float[] v, float[] mask) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < v.length; i++) {
      if (selected(mask, i)) {
        lo = Math.min(lo, v[i]);
        hi = Math.max(hi, v[i]);
      }
    }
    return new float[] {lo, hi};
  }

  private static int bin(float v, float[] range) {
    float width = range[1] - range[0];
    return width <= 0 ? 0 : Math.min(BINS - 1, (int) ((v - range[0]) / width * BINS));
  }

  private static void check(float[] fixed, float[] warped, float[] mask) {
    if (fixed.length != warped.length || (mask != null && mask.length != fixed.length)) {
      throw new IllegalArgumentException("images of " + fixed.length + " and " + warped.length + " voxels"
          + (mask == null ? "" : " and a mask of " + mask.length) + " do not match");
    }
  }
}
