package org.warpspark.udfs.spatial;

/**
 * The 2^d voxels around a continuous voxel index and their linear-interpolation weights, each axis
 * clamped to the border voxel centres first (as ITK's linear interpolator clamps). One instance is
 * reused from point to point ({@link #at}); not thread-safe.
 */
public final class LinearCorners {
  private final int[] size;
  private final int[] flat;
  private final double[] weight;
  private final int[] base;
  private final double[] frac;

  public LinearCorners(int[] size) {
    this.size = size.clone();
    int corners = 1 << size.length;
    this.flat = new int[corners];
    this.weight = new double[corners];
    this.base = new int[size.length];
    this.frac = new double[size.length];
  }

  /** Places the corners around {@code index} (axis x first). */
  public void at(double[] index) {
    int d = size.length;
    for (int a = 0; a < d; a++) {
      double i = Math.min(Math.max(index[a], 0), size[a] - 1);
      base[a] = Math.min((int) i, Math.max(size[a] - 2, 0));
      frac[a] = i - base[a];
    }
    for (int corner = 0; corner < flat.length; corner++) {
      double w = 1;
      int f = 0;
      int stride = 1;
      for (int a = 0; a < d; a++) {
        boolean up = (corner >> a & 1) == 1;
        w *= up ? frac[a] : 1 - frac[a];
        f += (base[a] + (up && size[a] > 1 ? 1 : 0)) * stride;
        stride *= size[a];
      }
      flat[corner] = f;
      weight[corner] = w;
    }
  }

  /**
   * Whether {@code index} lies within half a voxel of the border voxel centres on every axis
   * ({@code [-0.5, n - 0.5)}), the points ITK's interpolators and resampler take as inside the grid.
   */
  public boolean reaches(double[] index) {
    for (int a = 0; a < size.length; a++) {
      if (!(index[a] >= -0.5 && index[a] < size[a] - 0.5)) {
        return false;
      }
    }
    return true;
  }

  /** The grid's size along {@code axis}. */
  public int size(int axis) {
    return size[axis];
  }

  public int count() {
    return flat.length;
  }

  /** The flat voxel index of corner {@code c} (layout as in {@link org.warpspark.udfs.spatial}). */
  public int flat(int c) {
    return flat[c];
  }

  public double weight(int c) {
    return weight[c];
  }
}
