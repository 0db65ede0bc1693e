package org.warpspark.engine.pyramid;

/** Separable Gaussian smoothing along one index axis, with edge voxels repeated beyond the border. */
final class GaussianFilter {
  private GaussianFilter() {}

  static float[] smoothAxis(float[] voxels, int[] size, int axis, double sigma) {
    double[] kernel = kernel(sigma);
    int radius = kernel.length / 2;
    long stride = 1;
    for (int a = 0; a < axis; a++) {
      stride *= size[a];
    }
    int n = size[axis];
    long lines = voxels.length / n;
    float[] out = new float[voxels.length];
    double[] line = new double[n];
    for (long l = 0; l < lines; l++) {
      // Line l: all index axes but `axis` fixed; split l into the part below and above the axis.
      long below = l % stride;
      long above = l / stride;
      long start = above * stride * n + below;
      for (int i = 0; i < n; i++) {
        line[i] = voxels[(int) (start + i * stride)];
      }
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int k = -radius; k <= radius; k++) {
          int j = Math.min(Math.max(i + k, 0), n - 1);
          s += kernel[k + radius] * line[j];
        }
        out[(int) (start + i * stride)] = (float) s;
      }
    }
    return out;
  }

  static double[] kernel(double sigma) {
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
