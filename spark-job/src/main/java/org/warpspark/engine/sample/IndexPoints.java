package org.warpspark.engine.sample;

/**
 * Voxel indices as homogeneous rows {@code (i, j[, k], 1)}: the form in which sample points travel to
 * the device. Indices are small numbers, precise in float32, unlike physical coordinates far from
 * the origin.
 */
final class IndexPoints {
  private IndexPoints() {}

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
