package org.warpspark.engine.sample;

import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/** Physical positions of voxels given by flat index, as homogeneous rows {@code (x, y[, z], 1)}. */
final class GridPoints {
  private final int[] size;
  private final Affine indexToPhysical;

  GridPoints(Grid grid) {
    this.size = grid.size();
    this.indexToPhysical = grid.indexToPhysical();
  }

  int dim() {
    return size.length;
  }

  /** Writes the homogeneous point of voxel {@code flat} into row {@code row} of {@code out}. */
  void write(long flat, float[] out, int row) {
    int d = size.length;
    double[] index = new double[d];
    long rest = flat;
    for (int a = 0; a < d; a++) {
      index[a] = rest % size[a];
      rest /= size[a];
    }
    double[] p = indexToPhysical.apply(index);
    for (int a = 0; a < d; a++) {
      out[row * (d + 1) + a] = (float) p[a];
    }
    out[row * (d + 1) + d] = 1f;
  }
}
