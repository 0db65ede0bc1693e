package org.warpspark.engine.pyramid;

/** Separable Gaussian smoothing along one index axis, with edge voxels repeated beyond the border. */
public final class GaussianFilter {
  private GaussianFilter() {}

  /**
   * Smooths along {@code axis} and keeps every {@code step}-th voxel of it (starting at 0), computing
   * only the voxels kept. {@code size} is the input's size; the output's axis has {@code (n-1)/step+1}.
   */
  static float[] smoothAndDecimate(float[] voxels, int[] size, int axis, double sigma, int step) {
    double[] kernel = kernel(sigma);
    int radius = kernel.length / 2;
    int stride = 1;
    for (int a = 0; a < axis; a++) {
      stride *= size[a];
    }
    int n = size[axis];
    int kept = (n - 1) / step + 1;
    int lines = voxels.length / n;
    float[] out = new float[lines * kept];
    for (int l = 0; l < lines; l++) {
      // Line l: every index axis but `axis` fixed; split l into the parts below and above the axis.
      int below = l % stride;
      int above = l / stride;
      int in = above * stride * n + below;
      int to = above * stride * kept + below;
      for (int i = 0; i < kept; i++) {
        int centre = i * step;
        double s = 0;
        for (int k = -radius; k <= radius; k++) {
          int j = Math.min(Math.max(centre + k, 0), n - 1);
          s += kernel[k + radius] * voxels[in + j * stride];
        }
        out[to + i * stride] = (float) s;
      }
    }
    return out;
  }

  /** A normalised Gaussian of {@code sigma} samples, cut at 3 sigma. */
  public static double[] kernel(double sigma) {
    int radius = Math.max(1, (int) Math.ceil(3 * sigma));
    double[] k = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
      sum += k[i + radius];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    return k;
  }
}
