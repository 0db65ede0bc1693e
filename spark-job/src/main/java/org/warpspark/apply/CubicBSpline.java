package org.warpspark.apply;

/**
 * Cubic B-spline interpolation as ITK's {@code BSplineInterpolateImageFunction} (order 3) does it,
 * what {@code antsApplyTransforms -n BSpline} uses: the image is first turned into spline coefficients
 * by the exact recursive prefilter (Unser 1999: gain 6, pole {@code sqrt(3) - 2}, one causal and one
 * anticausal pass along every line of every axis, mirror boundaries), then each point sums the 4^d
 * coefficients around it with the cubic B-spline's weights, indices mirrored at the border voxel
 * centres. It passes through every voxel value and, unlike linear, can overshoot them.
 */
final class CubicBSpline {
  private static final double POLE = Math.sqrt(3) - 2;
  private static final double GAIN = (1 - POLE) * (1 - 1 / POLE);
  /** ITK's tolerance for the causal initialisation: terms below it are dropped. */
  private static final int HORIZON = (int) Math.ceil(Math.log(1e-10) / Math.log(Math.abs(POLE)));

  private final float[] coefficients;
  private final int[] size;

  /** The spline through {@code voxels} (memory order, axis 0 fastest) on a grid of {@code size}. */
  CubicBSpline(float[] voxels, int[] size) {
    this.size = size.clone();
    this.coefficients = voxels.clone();
    int stride = 1;
    for (int axis = 0; axis < size.length; axis++) {
      prefilter(axis, stride);
      stride *= size[axis];
    }
  }

  /** Every line along {@code axis} turned into coefficients, in double precision. */
  private void prefilter(int axis, int stride) {
    int n = size[axis];
    if (n == 1) {
      return;
    }
    double[] line = new double[n];
    long total = coefficients.length;
    for (long start = 0; start < total; start++) {
      if ((start / stride) % n != 0) {
        continue; // not the first voxel of a line along this axis
      }
      for (int i = 0; i < n; i++) {
        line[i] = coefficients[(int) (start + (long) i * stride)] * GAIN;
      }
      line[0] = causalStart(line);
      for (int i = 1; i < n; i++) {
        line[i] += POLE * line[i - 1];
      }
      line[n - 1] = (POLE / (POLE * POLE - 1)) * (POLE * line[n - 2] + line[n - 1]);
      for (int i = n - 2; i >= 0; i--) {
        line[i] = POLE * (line[i + 1] - line[i]);
      }
      for (int i = 0; i < n; i++) {
        coefficients[(int) (start + (long) i * stride)] = (float) line[i];
      }
    }
  }

  /** The first causal coefficient with mirror boundaries, as ITK starts it. */
  private static double causalStart(double[] c) {
    int n = c.length;
    double zn = POLE;
    if (HORIZON < n) {
      double sum = c[0];
      for (int i = 1; i < HORIZON; i++) {
        sum += zn * c[i];
        zn *= POLE;
      }
      return sum;
    }
    double iz = 1 / POLE;
    double z2n = Math.pow(POLE, n - 1);
    double sum = c[0] + z2n * c[n - 1];
    z2n *= z2n * iz;
    for (int i = 1; i <= n - 2; i++) {
      sum += (zn + z2n) * c[i];
      zn *= POLE;
      z2n *= iz;
    }
    return sum / (1 - zn * zn);
  }

  /** A reusable workspace for {@link #at}; one per thread. */
  final class Point {
    private final int[][] index = new int[size.length][4];
    private final double[][] weight = new double[size.length][4];

    /** The spline's value at continuous voxel index {@code x} (axis 0 first). */
    double at(double[] x) {
      int d = size.length;
      for (int a = 0; a < d; a++) {
        int first = (int) Math.floor(x[a]) - 1;
        double w = x[a] - (first + 1);
        double[] wa = weight[a];
        wa[3] = w * w * w / 6;
        wa[0] = 1.0 / 6 + 0.5 * w * (w - 1) - wa[3];
        wa[2] = w + wa[0] - 2 * wa[3];
        wa[1] = 1 - wa[0] - wa[2] - wa[3];
        for (int k = 0; k < 4; k++) {
          index[a][k] = mirrored(first + k, size[a]);
        }
      }
      return d == 2 ? sum2() : sum3();
    }

    private double sum2() {
      double total = 0;
      for (int j = 0; j < 4; j++) {
        double row = 0;
        int offset = index[1][j] * size[0];
        for (int i = 0; i < 4; i++) {
          row += weight[0][i] * coefficients[offset + index[0][i]];
        }
        total += weight[1][j] * row;
      }
      return total;
    }

    private double sum3() {
      double total = 0;
      for (int k = 0; k < 4; k++) {
        double plane = 0;
        for (int j = 0; j < 4; j++) {
          double row = 0;
          int offset = (index[2][k] * size[1] + index[1][j]) * size[0];
          for (int i = 0; i < 4; i++) {
            row += weight[0][i] * coefficients[offset + index[0][i]];
          }
          plane += weight[1][j] * row;
        }
        total += weight[2][k] * plane;
      }
      return total;
    }
  }

  /**
   * An index reflected at the border voxel centres ({@code -1 -> 1}, {@code n -> n - 2}), the mirror
   * extension of period {@code 2n - 2}; 0 on a single voxel.
   */
  private static int mirrored(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * n - 2;
    int k = Math.floorMod(i, period);
    return k >= n ? period - k : k;
  }
}
