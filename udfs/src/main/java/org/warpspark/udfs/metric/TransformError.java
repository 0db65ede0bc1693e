package org.warpspark.udfs.metric;

import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/** How far a found fixed-to-moving map is from a reference one, in millimetres and degrees. */
public final class TransformError {
  private TransformError() {}

  /** Distance (mm) between where the two maps send the fixed grid's centre. */
  public static double centreDistanceMm(Affine found, Affine reference, Grid fixed) {
    return distance(found.apply(fixed.centre()), reference.apply(fixed.centre()));
  }

  /** Largest distance (mm) between the two maps over the fixed grid's corner voxels. */
  public static double maxCornerDistanceMm(Affine found, Affine reference, Grid fixed) {
    int d = fixed.dim();
    int[] size = fixed.size();
    Affine indexToPhysical = fixed.indexToPhysical();
    double worst = 0;
    for (int corner = 0; corner < (1 << d); corner++) {
      double[] index = new double[d];
      for (int a = 0; a < d; a++) {
        index[a] = ((corner >> a) & 1) * (size[a] - 1);
      }
      double[] p = indexToPhysical.apply(index);
      worst = Math.max(worst, distance(found.apply(p), reference.apply(p)));
    }
    return worst;
  }

  /**
   * Angle (degrees) of the rotation between two rigid maps' linear parts, {@code R_found R_reference^T};
   * for non-rigid linear parts it is the angle of that product's rotation-like part and only indicative.
   */
  public static double rotationDegrees(Affine found, Affine reference) {
    int d = found.dim();
    double[] a = found.linear();
    double[] b = reference.linear();
    double trace = 0;
    for (int i = 0; i < d * d; i++) {
      trace += a[i] * b[i]; // trace(A B^T)
    }
    double cos = d == 2 ? trace / 2 : (trace - 1) / 2;
    return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
  }

  private static double distance(double[] p, double[] q) {
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += (p[i] - q[i]) * (p[i] - q[i]);
    }
    return Math.sqrt(s);
  }
}
