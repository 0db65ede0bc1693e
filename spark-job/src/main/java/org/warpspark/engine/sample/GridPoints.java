package org.warpspark.engine.sample;

import org.warpspark.udfs.spatial.Grid;

/** Physical positions of voxels given by flat index, as homogeneous rows {@code (x, y[, z], 1)}. */
final class GridPoints {
  private final int[] size;
  private final double[] matrix;

  GridPoints(Grid grid) {
    this.size = grid.size();
    this.matrix = grid.indexToPhysical().rowMajor();
  }

  int dim() {
    return size.length;
  }

  /** Writes the homogeneous point of voxel {@code flat} into row {@code row} of {@code out}. */
  void write(long flat, float[] out, int row) {
    int d = size.length;
    int n = d + 1;
    // Called per sample per iteration: no allocation, int arithmetic, the matrix applied inline.
    int f = (int) flat;
    int i = f % size[0];
    int rest = f / size[0];
    int j = rest % size[1];
    int k = d == 3 ? rest / size[1] : 0;
    int o = row * n;
    for (int r = 0; r < d; r++) {
      int m = r * n;
      double v = matrix[m] * i + matrix[m + 1] * j + matrix[m + d];
      if (d == 3) {
        v += matrix[m + 2] * k;
      }
      out[o + r] = (float) v;
    }
    out[o + d] = 1f;
  }
}
