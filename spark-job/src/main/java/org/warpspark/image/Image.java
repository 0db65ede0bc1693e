package org.warpspark.image;

import java.util.Arrays;
import org.warpspark.udfs.spatial.Grid;

/**
 * A scalar 2D or 3D image: float32 voxels on a {@link Grid} that always travels with them. Voxels are
 * in the order fixed by {@link org.warpspark.udfs.spatial} (index axis 0 fastest). {@code storedAs}
 * is the type the voxels were read from, so a writer can keep it; values are already rescaled
 * (NIfTI {@code scl_slope}/{@code scl_inter} applied).
 */
public record Image(Grid grid, float[] voxels, PixelType storedAs) {

  public Image {
    if (voxels.length != grid.voxelCount()) {
      throw new IllegalArgumentException("image has " + voxels.length + " voxels but its grid "
          + Arrays.toString(grid.size()) + " needs " + grid.voxelCount());
    }
  }

  public static Image of(Grid grid, float[] voxels) {
    return new Image(grid, voxels, PixelType.FLOAT32);
  }

  public int dim() {
    return grid.dim();
  }

  /** Tensor shape of the voxels: the index axes reversed ({@code (nz, ny, nx)} or {@code (ny, nx)}). */
  public long[] tensorShape() {
    return tensorShape(grid);
  }

  /** Tensor shape of voxels on {@code grid}: its index axes reversed. */
  public static long[] tensorShape(Grid grid) {
    int[] size = grid.size();
    long[] shape = new long[size.length];
    for (int i = 0; i < size.length; i++) {
      shape[i] = size[size.length - 1 - i];
    }
    return shape;
  }

  /** Count of voxels that are NaN or infinite. */
  public long nonFiniteCount() {
    long n = 0;
    for (float v : voxels) {
      if (!Float.isFinite(v)) {
        n++;
      }
    }
    return n;
  }

  public Image withVoxels(float[] newVoxels) {
    return new Image(grid, newVoxels, storedAs);
  }
}
