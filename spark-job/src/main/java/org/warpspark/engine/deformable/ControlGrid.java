package org.warpspark.engine.deformable;

import org.warpspark.udfs.spatial.Grid;

/**
 * The coarse grid a field lives on: the fixed grid's direction, spanning its extent with points about
 * {@code spacing} mm apart, plus {@code margin} points beyond each face (a cubic B-spline needs one
 * outside the image to be fully supported at its edge).
 */
final class ControlGrid {
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
      int inside = Math.max(2, (int) Math.ceil(extent / spacingMm) + 1);
      spacing[a] = extent > 0 ? extent / (inside - 1) : spacingMm; // exactly spanning the fixed image
      size[a] = inside + 2 * margin;
      for (int r = 0; r < d; r++) {
        origin[r] -= margin * spacing[a] * direction[r * d + a]; // along index axis a: column a
      }
    }
    return new Grid(size, spacing, origin, direction);
  }
}
