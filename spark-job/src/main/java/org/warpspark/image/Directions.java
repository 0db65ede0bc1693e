package org.warpspark.image;

/** Checks on row-major {@code d x d} direction matrices read from files. */
final class Directions {
  /** ITK's tolerance for calling a direction matrix orthonormal. */
  static final double ORTHONORMAL_TOLERANCE = 1e-4;

  private Directions() {}

  /** Whether {@code D^T D} is the identity within {@link #ORTHONORMAL_TOLERANCE}. */
  static boolean isOrthonormal(double[] direction, int d) {
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double dot = 0;
        for (int r = 0; r < d; r++) {
          dot += direction[r * d + i] * direction[r * d + j];
        }
        if (!(Math.abs(dot - (i == j ? 1 : 0)) <= ORTHONORMAL_TOLERANCE)) {
          return false;
        }
      }
    }
    return true;
  }
}
