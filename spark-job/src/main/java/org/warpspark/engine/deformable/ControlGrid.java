package org.warpspark.engine.deformable;

import org.warpspark.engine.InvalidPairException;
import org.warpspark.udfs.spatial.Grid;

/**
 * The coarse grid a field lives on: the fixed grid's direction, spanning its extent with points about
 * {@code spacing} mm apart, plus {@code margin} points beyond each face (a cubic B-spline needs one
 * outside the image to be fully supported at its edge).
 */
final class ControlGrid {
  /** More points than this along an axis means a spacing far below the voxels': a mistake, not a grid. */
  static final int MAX_POINTS_PER_AXIS = 1024;

  private ControlGrid() {}

  static Grid covering(Grid fixed, double spacingMm, int margin) {
    int d = fixed.dim();
    int[] size = new int[d];
    double[] spacing = new double[d];
    int[] fixedSize = fixed.size();
    double[] fixedSpacing = fixed.spacing();
    double[] origin = fixed.origin();
    double[] direction = fixed.direction();
    for (int a = 0; a < d; a++) {
      double extent = (fixedSize[a] - 1) * fixedSpacing[a];
      double points = Math.ceil(extent / spacingMm) + 1;
      if (!(points <= MAX_POINTS_PER_AXIS)) {
        throw new InvalidPairException("control-spacing " + spacingMm + " mm puts " + points + " control points along "
            + "axis " + a + " of the fixed image (" + extent + " mm); at most " + MAX_POINTS_PER_AXIS
            + ": use a spacing of a few voxels");
      }
      int inside = Math.max(2, (int) points);
      spacing[a] = extent > 0 ? extent / (inside - 1) : spacingMm; // exactly spanning the fixed image
      size[a] = inside + 2 * margin;
      for (int r = 0; r < d; r++) {
        origin[r] -= margin * spacing[a] * direction[r * d + a]; // along index axis a: column a
      }
    }
    return new Grid(size, spacing, origin, direction);
  }
}
