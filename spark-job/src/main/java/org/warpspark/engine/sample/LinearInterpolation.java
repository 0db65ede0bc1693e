package org.warpspark.engine.sample;

/**
 * (Bi/tri)linear interpolation at one continuous voxel index inside the image, in plain Java: for
 * preparing fixed samples on the CPU, where a native call per point would cost more than the loop.
 * Written out per dimension because it runs for every sample of every iteration.
 */
final class LinearInterpolation {
  private LinearInterpolation() {}

  /** Value at {@code index}, each coordinate within {@code [0, size-1]}; voxel layout as in {@link org.warpspark.udfs.spatial}. */
  static float at(float[] voxels, int[] size, double[] index) {
    int nx = size[0];
    int ny = size[1];
    int x = lower(index[0], nx);
    int y = lower(index[1], ny);
    double fx = index[0] - x;
    double fy = index[1] - y;
    int dx = nx > 1 ? 1 : 0;
    int dy = ny > 1 ? nx : 0;
    if (size.length == 2) {
      int o = x + nx * y;
      return (float) plane(voxels, o, dx, dy, fx, fy);
    }
    int nz = size[2];
    int z = lower(index[2], nz);
    double fz = index[2] - z;
    int o = x + nx * (y + ny * z);
    double below = plane(voxels, o, dx, dy, fx, fy);
    double above = nz > 1 ? plane(voxels, o + nx * ny, dx, dy, fx, fy) : below;
    return (float) (below + fz * (above - below));
  }

  /** The cell's lower voxel; the last voxel belongs to the cell below it (then the fraction is 1). */
  private static int lower(double coordinate, int n) {
    return Math.max(0, Math.min((int) coordinate, n - 2));
  }

  private static double plane(float[] v, int o, int dx, int dy, double fx, double fy) {
    double bottom = v[o] + fx * (v[o + dx] - v[o]);
    double top = v[o + dy] + fx * (v[o + dy + dx] - v[o + dy]);
    return bottom + fy * (top - bottom);
  }
}
