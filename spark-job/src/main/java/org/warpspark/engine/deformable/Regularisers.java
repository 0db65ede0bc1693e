package org.warpspark.engine.deformable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Smoothness penalties of a displacement field, as differentiable DJL functions. The field is a
 * tensor {@code (d, [nz,] ny, nx)}: one component per physical axis (LPS mm), each on the fixed
 * grid in the layout of {@link org.warpspark.udfs.spatial}. Both penalties are Frobenius norms of
 * derivative tensors, which do not change when the frame rotates, so only the spacing enters: a
 * difference along index axis {@code k} divided by {@code spacing[k]} is the physical derivative
 * along that axis's direction.
 *
 * <ul>
 *   <li>{@link #diffusion}: {@code sum_{c,k} mean (du_c/dx_k)^2}, dimensionless (mm per mm), by forward
 *       differences;
 *   <li>{@link #bending}: {@code sum_c [sum_k mean (d2u_c/dx_k^2)^2 + 2 sum_{k<l} mean (d2u_c/dx_k dx_l)^2]},
 *       in 1/mm^2, by central second differences where the whole stencil lies inside the grid.
 * </ul>
 * Each mean runs over the voxels where its difference is defined.
 */
public final class Regularisers {
  private Regularisers() {}

  public static NDArray diffusion(NDArray field, double[] spacing) {
    int d = spacing.length;
    NDArray total = null;
    for (int k = 0; k < d; k++) {
      NDArray first = trim(field, k, 1, 0).sub(trim(field, k, 0, 1)).div(spacing[k]);
      total = add(total, squaredMeanPerComponent(first, d));
    }
    return total;
  }

  public static NDArray bending(NDArray field, double[] spacing) {
    int d = spacing.length;
    NDArray total = null;
    for (int k = 0; k < d; k++) {
      NDArray second = trim(field, k, 2, 0).sub(trim(field, k, 1, 1).mul(2)).add(trim(field, k, 0, 2))
          .div(spacing[k] * spacing[k]);
      total = add(total, squaredMeanPerComponent(second, d));
      for (int l = k + 1; l < d; l++) {
        NDArray plusK = trim(field, k, 2, 0);
        NDArray minusK = trim(field, k, 0, 2);
        NDArray mixed = trim(plusK, l, 2, 0).sub(trim(plusK, l, 0, 2)).sub(trim(minusK, l, 2, 0))
            .add(trim(minusK, l, 0, 2)).div(4 * spacing[k] * spacing[l]);
        total = total.add(squaredMeanPerComponent(mixed, d).mul(2));
      }
    }
    return total;
  }

  /** {@code sum_c mean_voxels (v_c)^2}: the mean over everything times the number of components. */
  private static NDArray squaredMeanPerComponent(NDArray v, int d) {
    return v.mul(v).mean().mul(d);
  }

  private static NDArray add(NDArray total, NDArray term) {
    return total == null ? term : total.add(term);
  }

  /**
   * {@code values} without {@code lead} first and {@code tail} last voxels along index axis {@code k}:
   * differences of such shifted views are finite differences along that axis.
   */
  private static NDArray trim(NDArray values, int k, int lead, int tail) {
    int tensorAxes = (int) values.getShape().dimension();
    int axis = tensorAxes - 1 - k; // the component axis comes first, then the index axes reversed
    StringBuilder s = new StringBuilder();
    for (int t = 0; t < tensorAxes; t++) {
      s.append(t == 0 ? "" : ",").append(t == axis ? lead + ":" + (tail == 0 ? "" : String.valueOf(-tail)) : ":");
    }
    return values.get(new NDIndex(s.toString()));
  }
}
