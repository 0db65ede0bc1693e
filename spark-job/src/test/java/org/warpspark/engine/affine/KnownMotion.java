package org.warpspark.engine.affine;

import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/** Error measures of a recovered fixedToMoving map against the true one. */
final class KnownMotion {
  private KnownMotion() {}

  /** Distance between where the two maps send the fixed image centre, in voxels of the finest spacing. */
  static double centreErrorVoxels(Affine found, Affine truth, Grid fixed) {
    return distance(found.apply(fixed.center()), truth.apply(fixed.center())) / minSpacing(fixed);
  }

  /** Largest distance between the two maps over the fixed image's corners, in voxels. */
  static double cornerErrorVoxels(Affine found, Affine truth, Grid fixed) {
    int d = fixed.dim();
    int[] size = fixed.size();
    double worst = 0;
    for (int corner = 0; corner < (1 << d); corner++) {
      double[] index = new double[d];
      for (int a = 0; a < d; a++) {
        index[a] = ((corner >> a) & 1) * (size[a] - 1);
      }
      double[] p = fixed.indexToPhysical().apply(index);
      worst = Math.max(worst, distance(found.apply(p), truth.apply(p)));
    }
    return worst / minSpacing(fixed);
  }

  /** Angle (degrees) of the rotation {@code R_found R_truth^T} for rigid maps. */
  static double rotationErrorDegrees(Affine found, Affine truth) {
    int d = found.dim();
    double[] a = found.linear();
    double[] b = truth.linear();
    double trace = 0;
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < d; k++) {
        trace += a[i * d + k] * b[i * d + k]; // trace(A B^T)
      }
    }
    double cos = d == 2 ? trace / 2 : (trace - 1) / 2;
    return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
  }

  private static double minSpacing(Grid grid) {
    double m = Double.POSITIVE_INFINITY;
    for (double s : grid.spacing()) {
      m = Math.min(m, s);
    }
    return m;
  }

  private static double distance(double[] p, double[] q) {
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += (p[i] - q[i]) * (p[i] - q[i]);
    }
    return Math.sqrt(s);
  }
}
