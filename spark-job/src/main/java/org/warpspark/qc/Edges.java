package org.warpspark.qc;

import java.util.Arrays;

/**
 * The edges of a picture's plane, thin as Canny draws them: pixels whose intensity gradient is a local
 * maximum across the edge and at least a third of the strong gradients (the 99th percentile of the
 * non-zero ones), so the threshold follows the image's own contrast and not its intensity scale.
 */
final class Edges {
  private Edges() {}

  /** The edge pixels of {@code v} ({@code width} by {@code height}, row by row; NaN outside the image). */
  static boolean[] of(float[] v, int width, int height) {
    float[] gx = new float[v.length];
    float[] gy = new float[v.length];
    float[] magnitude = new float[v.length];
    float[] nonZero = new float[v.length];
    int n = 0;
    for (int j = 1; j < height - 1; j++) {
      for (int i = 1; i < width - 1; i++) {
        int k = j * width + i;
        gx[k] = (v[k + 1] - v[k - 1]) / 2;
        gy[k] = (v[k + width] - v[k - width]) / 2;
        float m = (float) Math.hypot(gx[k], gy[k]);
        magnitude[k] = Float.isFinite(m) ? m : 0;
        if (magnitude[k] > 0) {
          nonZero[n++] = magnitude[k];
        }
      }
    }
    boolean[] edge = new boolean[v.length];
    if (n == 0) {
      return edge;
    }
    Arrays.sort(nonZero, 0, n);
    float threshold = nonZero[(int) Math.ceil(0.99 * (n - 1))] / 3;
    for (int j = 1; j < height - 1; j++) {
      for (int i = 1; i < width - 1; i++) {
        int k = j * width + i;
        if (magnitude[k] >= threshold && magnitude[k] > 0) {
          // the neighbour across the edge, the gradient's direction rounded to the nearest of 8
          int di = (int) Math.round(gx[k] / magnitude[k]);
          int dj = (int) Math.round(gy[k] / magnitude[k]);
          int across = dj * width + di;
          edge[k] = magnitude[k] >= magnitude[k + across] && magnitude[k] > magnitude[k - across];
        }
      }
    }
    return edge;
  }
}
