package org.warpspark.engine.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.warpspark.udfs.spatial.Affine;

/**
 * Affine maps laid out for the device, where points are rows: {@code points . M^T}. Composed in double
 * precision on the host; only the final {@code d x (d+1)} numbers become float32.
 */
public final class TransposedMatrices {
  private TransposedMatrices() {}

  /** {@code (d+1, d)}: applied to homogeneous rows {@code (x, 1)} it gives {@code map(x)}. */
  public static NDArray affine(Affine map, NDManager manager) {
    int d = map.dim();
    float[] t = new float[(d + 1) * d];
    for (int r = 0; r < d; r++) {
      for (int c = 0; c <= d; c++) {
        t[c * d + r] = (float) map.get(r, c);
      }
    }
    return manager.create(t, new Shape(d + 1, d));
  }

  /** {@code (d, d)}: the linear part alone, for displacements (which the translation does not move). */
  public static NDArray linear(Affine map, NDManager manager) {
    int d = map.dim();
    float[] t = new float[d * d];
    for (int r = 0; r < d; r++) {
      for (int c = 0; c < d; c++) {
        t[c * d + r] = (float) map.get(r, c);
      }
    }
    return manager.create(t, new Shape(d, d));
  }
}
