package org.warpspark.engine.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.warpspark.udfs.spatial.Grid;

/**
 * Voxel indices as homogeneous rows {@code (i, j[, k], 1)}: the form in which sample points travel to
 * the device. Indices are small numbers, precise in float32, unlike physical coordinates far from
 * the origin.
 */
public final class IndexPoints {
  private IndexPoints() {}

  /** Every voxel of {@code grid} in memory order, as {@code (N, d+1)} rows. */
  public static NDArray all(Grid grid, NDManager manager) {
    int[] size = grid.size();
    int n = Math.toIntExact(grid.voxelCount());
    float[] rows = new float[Math.multiplyExact(n, size.length + 1)];
    for (int flat = 0; flat < n; flat++) {
      write(flat, size, rows, flat);
    }
    return manager.create(rows, new Shape(n, size.length + 1));
  }

  /** Writes voxel {@code flat} of an image of {@code size} into row {@code row} of {@code out}. */
  static void write(int flat, int[] size, float[] out, int row) {
    int d = size.length;
    int o = row * (d + 1);
    int rest = flat;
    for (int a = 0; a < d; a++) {
      out[o + a] = rest % size[a];
      rest /= size[a];
    }
    out[o + d] = 1f;
  }
}
