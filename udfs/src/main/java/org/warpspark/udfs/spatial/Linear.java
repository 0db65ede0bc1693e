package org.warpspark.udfs.spatial;

/** Small dense row-major matrix helpers for 2x2 and 3x3 linear parts. */
public final class Linear {
  private Linear() {}

  static double[] multiply(double[] a, double[] b, int n) {
    double[] p = new double[n * n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += a[r * n + k] * b[k * n + c];
        }
        p[r * n + c] = s;
      }
    }
    return p;
  }

  public static double determinant(double[] a, int n) {
    if (n == 2) {
      return a[0] * a[3] - a[1] * a[2];
    }
    return a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
  }

  static double[] invert(double[] a, int n) {
    double det = determinant(a, n);
    double scale = 0;
    for (double v : a) {
      scale = Math.max(scale, Math.abs(v));
    }
    if (!(Math.abs(det) > 1e-12 * Math.pow(scale, n))) {
      throw new IllegalArgumentException("matrix is singular (det=" + det + ")");
    }
    if (n == 2) {
      return new double[] {a[3] / det, -a[1] / det, -a[2] / det, a[0] / det};
    }
    double[] inv = new double[9];
    inv[0] = (a[4] * a[8] - a[5] * a[7]) / det;
    inv[1] = (a[2] * a[7] - a[1] * a[8]) / det;
    inv[2] = (a[1] * a[5] - a[2] * a[4]) / det;
    inv[3] = (a[5] * a[6] - a[3] * a[8]) / det;
    inv[4] = (a[0] * a[8] - a[2] * a[6]) / det;
    inv[5] = (a[2] * a[3] - a[0] * a[5]) / det;
    inv[6] = (a[3] * a[7] - a[4] * a[6]) / det;
    inv[7] = (a[1] * a[6] - a[0] * a[7]) / det;
    inv[8] = (a[0] * a[4] - a[1] * a[3]) / det;
    return inv;
  }
}
