package org.warpspark.udfs.spatial;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * A dense fixed-to-moving map sampled on the fixed grid, ITK's convention: {@code T(x) = x + u(x)},
 * where {@code u} is in LPS millimetres. {@code components[a][flat]} is the displacement along
 * physical axis {@code a} (x, y[, z] of LPS, not of the grid's index axes) at voxel {@code flat}
 * (layout as in {@link org.warpspark.udfs.spatial}).
 */
public record DisplacementField(Grid grid, float[][] components) {
  /** How far (in voxels) outside the border voxel centres a point may lie and still be sampled: round-off. */
  private static final double BORDER_TOLERANCE = 1e-6;

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
    return of(grid, fixedToMoving::apply);
  }

  /** The displacement field of any map of physical points on {@code grid}: {@code u(x) = T(x) - x} at each voxel. */
  public static DisplacementField of(Grid grid, UnaryOperator<double[]> fixedToMoving) {
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

  /**
   * The field of {@code x -> after(x + u(x))} on the same grid, exact at every voxel (no
   * interpolation): how a whole map splits into an affine and the field before it,
   * {@code x + u(x) = A(x + r(x))} with {@code r = followedBy(A.inverse())}.
   */
  public DisplacementField followedBy(Affine after) {
    int d = dim();
    int n = components[0].length;
    float[][] r = new float[d][n];
    Affine indexToPhysical = grid.indexToPhysical();
    double[] index = new double[d];
    double[] y = new double[d];
    for (int flat = 0; flat < n; flat++) {
      grid.index(flat, index);
      double[] x = indexToPhysical.apply(index);
      for (int a = 0; a < d; a++) {
        y[a] = x[a] + components[a][flat];
      }
      double[] z = after.apply(y);
      for (int a = 0; a < d; a++) {
        r[a][flat] = (float) (z[a] - x[a]);
      }
    }
    return new DisplacementField(grid, r);
  }

  /**
   * {@code u} at physical point {@code p} (LPS mm), linear between voxel centres, written into
   * {@code out}; false (and {@code out} untouched) where {@code p} lies outside the grid's voxel centres
   * (by more than round-off: a point on the border voxels counts as inside).
   */
  public boolean at(double[] p, Affine physicalToIndex, double[] out) {
    int[] size = grid.size();
    double[] index = physicalToIndex.apply(p);
    for (int a = 0; a < dim(); a++) {
      if (!(index[a] >= -BORDER_TOLERANCE && index[a] <= size[a] - 1 + BORDER_TOLERANCE)) {
        return false;
      }
    }
    blend(index, out);
    return true;
  }

  /**
   * {@code u(p)} as ITK's {@code DisplacementFieldTransform} gives it, into {@code out}: linear between
   * voxel centres, the border voxels' value up to half a voxel beyond them, and 0 farther out (where
   * ITK leaves points where they are).
   */
  public void atAsItk(double[] p, Affine physicalToIndex, double[] out) {
    atAsItk(p, physicalToIndex, out, new LinearCorners(grid.size()), new double[dim()]);
  }

  /**
   * As {@link #atAsItk(double[], Affine, double[])} with the caller's workspace (corners on this grid's
   * size, and an index of {@code dim} values), so that nothing is allocated per point.
   */
  public void atAsItk(double[] p, Affine physicalToIndex, double[] out, LinearCorners corners, double[] index) {
    physicalToIndex.apply(p, index);
    if (!corners.reaches(index)) {
      Arrays.fill(out, 0, dim(), 0);
      return;
    }
    blend(index, out, corners);
  }

  private void blend(double[] index, double[] out) {
    blend(index, out, new LinearCorners(grid.size()));
  }

  /** Linear interpolation at a voxel index, each axis clamped to the border voxel centres. */
  private void blend(double[] index, double[] out, LinearCorners corners) {
    corners.at(index);
    Arrays.fill(out, 0, dim(), 0);
    for (int k = 0; k < corners.count(); k++) {
      double w = corners.weight(k);
      if (w != 0) {
        for (int c = 0; c < dim(); c++) {
          out[c] += w * components[c][corners.flat(k)];
        }
      }
    }
  }
}
