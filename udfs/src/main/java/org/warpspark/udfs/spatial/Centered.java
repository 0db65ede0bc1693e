package org.warpspark.udfs.spatial;

/**
 * The centred form {@code T(x) = A (x - c) + c + t} of ITK's {@code MatrixOffsetTransformBase} (and of
 * {@link MotionParameters}): the homogeneous offset is {@code o = t + c - A c}, so {@code t = o - c + A c}.
 */
final class Centered {
  private Centered() {}

  /** The map {@code x -> A (x - c) + c + t} for a row-major linear part {@code A}. */
  static Affine toAffine(double[] linear, double[] translation, double[] center) {
    int d = translation.length;
    requireDimension(center, d, "centre");
    double[] offset = new double[d];
    for (int r = 0; r < d; r++) {
      double s = translation[r] + center[r];
      for (int c = 0; c < d; c++) {
        s -= linear[r * d + c] * center[c];
      }
      offset[r] = s;
    }
    return Affine.of(linear, offset);
  }

  /** The {@code t} of {@code map} written about {@code center}: {@code t = o - c + A c}. */
  static double[] translation(Affine map, double[] center) {
    int d = map.dim();
    requireDimension(center, d, "centre");
    double[] a = map.linear();
    double[] o = map.translation();
    double[] t = new double[d];
    for (int r = 0; r < d; r++) {
      double s = o[r] - center[r];
      for (int c = 0; c < d; c++) {
        s += a[r * d + c] * center[c];
      }
      t[r] = s;
    }
    return t;
  }

  static void requireDimension(double[] v, int d, String what) {
    if (v.length != d) {
      throw new IllegalArgumentException(what + " has " + v.length + " coordinates, the transform is " + d + "D");
    }
    for (double x : v) {
      if (!Double.isFinite(x)) {
        throw new IllegalArgumentException(what + " must be finite: " + java.util.Arrays.toString(v));
      }
    }
  }
}
