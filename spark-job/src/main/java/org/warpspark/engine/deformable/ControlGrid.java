package org.warpspark.engine.deformable;

import org.warpspark.udfs.spatial.Grid;

/** The coarse grid a displacement lives on: the fixed grid's origin and direction, covering its extent. */
final class ControlGrid {
  private ControlGrid() {}

  static Grid covering(Grid fixed, double spacingMm) {
    int d = fixed.dim();
    int[] size = new int[d];
    double[] spacing = new double[d];
    int[] fixedSize = fixed.size();
    double[] fixedSpacing = fixed.spacing();
    for (int a = 0; a < d; a++) {
      double extent = (fixedSize[a] - 1) * fixedSpacing[a];
      size[a] = Math.max(2, (int) Math.ceil(extent / spacingMm) + 1);
      spacing[a] = extent > 0 ? extent / (size[a] - 1) : spacingMm; // exactly spanning the fixed image
    }
    return new Grid(size, spacing, fixed.origin(), fixed.direction());
  }
}
