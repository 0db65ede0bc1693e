package org.warpspark.engine.deformable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/**
 * A control field evaluated at every voxel of a grid with the same direction: then a voxel's control
 * coordinate along an axis depends on its index along that axis alone, and the interpolation is
 * separable: one small weight matrix per axis ({@code n_a x c_a}), applied by matrix products. Far
 * cheaper than sampling 2^d control points per voxel; used for the whole map of a result.
 */
final class DenseField {
  private DenseField() {}

  /**
   * {@code (d, N)} values of {@code field} {@code (1, d, [cz,] cy, cx)} at every voxel of {@code grid}
   * in memory order: cubic B-spline weights if {@code cubic}, else linear.
   */
  static float[] at(NDArray field, Grid control, Grid grid, boolean cubic) {
    int d = grid.dim();
    Affine toControl = control.physicalToIndex().after(grid.indexToPhysical());
    NDManager manager = field.getManager();
    try (NDManager scope = manager.newSubManager()) {
      NDArray t = field.reshape(field.getShape().slice(1));
      t.attach(scope);
      // Contract the last tensor axis (index axis a) with W_a^T, then rotate it to the front of the
      // spatial axes, so that after d steps the axes are back in order with grid sizes.
      for (int a = 0; a < d; a++) {
        NDArray weightsT = weights(toControl.get(a, a), toControl.get(a, d), grid.size()[a], control.size()[a],
            cubic, scope);
        t = t.matMul(weightsT);
        int[] axes = new int[d + 1];
        axes[0] = 0;
        axes[1] = d;
        for (int k = 2; k <= d; k++) {
          axes[k] = k - 1;
        }
        t = t.transpose(axes);
      }
      return t.toFloatArray();
    }
  }

  /** {@code (c, n)}: weight of control point {@code j} at voxel {@code i}, at control coordinate {@code scale i + offset}. */
  private static NDArray weights(double scale, double offset, int n, int c, boolean cubic, NDManager scope) {
    float[] w = new float[c * n];
    for (int i = 0; i < n; i++) {
      double x = scale * i + offset;
      for (int j = 0; j < c; j++) {
        w[j * n + i] = (float) (cubic ? cubicBSpline(x - j) : Math.max(0, 1 - Math.abs(x - j)));
      }
    }
    if (!cubic) {
      clampToBorder(w, scale, offset, n, c);
    }
    return scope.create(w, new Shape(c, n));
  }

  /** Outside {@code [0, c - 1]} a linear field repeats its edge value, as the sampler's border padding does. */
  private static void clampToBorder(float[] w, double scale, double offset, int n, int c) {
    for (int i = 0; i < n; i++) {
      double x = scale * i + offset;
      if (x < 0 || x > c - 1) {
        for (int j = 0; j < c; j++) {
          w[j * n + i] = 0;
        }
        w[(x < 0 ? 0 : c - 1) * n + i] = 1;
      }
    }
  }

  private static double cubicBSpline(double t) {
    double a = Math.abs(t);
    if (a < 1) {
      return 2.0 / 3 - a * a + a * a * a / 2;
    }
    return a < 2 ? (2 - a) * (2 - a) * (2 - a) / 6 : 0;
  }
}
