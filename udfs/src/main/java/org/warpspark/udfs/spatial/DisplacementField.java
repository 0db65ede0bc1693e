package org.warpspark.udfs.spatial;

import java.util.Arrays;

/**
 * A dense fixed-to-moving map sampled on the fixed grid, ITK's convention: {@code T(x) = x + u(x)},
 * where {@code u} is in LPS millimetres. {@code components[a][flat]} is the displacement along
 * physical axis {@code a} (x, y[, z] of LPS, not of the grid's index axes) at voxel {@code flat}
 * (layout as in {@link org.warpspark.udfs.spatial}).
 */
public record DisplacementField(Grid grid, float[][] components) {

  public DisplacementField {
    int d = grid.dim();
    if (components.length != d) {
      throw new IllegalArgumentException("a " + d + "D field needs " + d + " components, got " + components.length);
    }
    for (float[] c : components) {
      if (c.length != grid.voxelCount()) {
        throw new IllegalArgumentException("a field component has " + c.length + " values for a grid of "
            + grid.voxelCount() + " voxels " + Arrays.toString(grid.size()));
      }
    }
  }

  /** The displacement field of an affine {@code fixedToMoving} map on {@code grid}: {@code u(x) = T(x) - x}. */
  public static DisplacementField of(Grid grid, Affine fixedToMoving) {
    int d = grid.dim();
    int n = Math.toIntExact(grid.voxelCount());
    float[][] u = new float[d][n];
    Affine indexToPhysical = grid.indexToPhysical();
    double[] index = new double[d];
    for (int flat = 0; flat < n; flat++) {
      grid.index(flat, index);
      double[] x = indexToPhysical.apply(index);
      double[] y = fixedToMoving.apply(x);
      for (int a = 0; a < d; a++) {
        u[a][flat] = (float) (y[a] - x[a]);
      }
    }
    return new DisplacementField(grid, u);
  }

  public int dim() {
    return grid.dim();
  }
}
