package org.warpspark.engine.affine;

import org.warpspark.udfs.metric.TransformError;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/** {@link TransformError} in voxels of the fixed grid's finest spacing, the unit the tests' bars are set in. */
final class KnownMotion {
  private KnownMotion() {}

  static double centreErrorVoxels(Affine found, Affine truth, Grid fixed) {
    return TransformError.centreDistanceMm(found, truth, fixed) / minSpacing(fixed);
  }

  static double cornerErrorVoxels(Affine found, Affine truth, Grid fixed) {
    return TransformError.maxCornerDistanceMm(found, truth, fixed) / minSpacing(fixed);
  }

  static double rotationErrorDegrees(Affine found, Affine truth) {
    return TransformError.rotationDegrees(found, truth);
  }

  private static double minSpacing(Grid grid) {
    double m = Double.POSITIVE_INFINITY;
    for (double s : grid.spacing()) {
      m = Math.min(m, s);
    }
    return m;
  }
}
