package org.warpspark.engine.deformable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.warpspark.engine.sample.IndexPoints;
import org.warpspark.engine.sample.LinearSampler;
import org.warpspark.engine.sample.Padding;
import org.warpspark.engine.sample.TransposedMatrices;
import org.warpspark.udfs.spatial.Grid;

/**
 * The displacement of the map {@code exp(v)}: the flow of a stationary velocity field {@code v} for
 * unit time, by scaling and squaring. Starting from {@code u = v / 2^n}, {@code n} times
 * {@code u <- u + u o (x + u)}, each composition sampling {@code u} at the moved points with our
 * differentiable {@link LinearSampler} (edge values repeated outside). A smooth {@code v} gives a map
 * that cannot fold, whatever its size, which a displacement optimised directly does not guarantee.
 * Fields are tensors {@code (d, [nz,] ny, nx)} of LPS millimetres on {@code grid}, as in
 * {@link Regularisers}; the result belongs to {@code velocity}'s manager and carries its gradient.
 */
public final class ScalingAndSquaring {
  private ScalingAndSquaring() {}

  public static NDArray exp(NDArray velocity, Grid grid, int steps) {
    if (steps < 0 || steps > 30) {
      throw new IllegalArgumentException("scaling and squaring takes 0 to 30 steps, got " + steps);
    }
    int d = grid.dim();
    NDManager manager = velocity.getManager();
    NDArray voxels = IndexPoints.all(grid, manager).get(":, :" + d).toType(velocity.getDataType(), false); // (N, d)
    // Physical displacements to index displacements.
    NDArray toIndexT = TransposedMatrices.linear(grid.physicalToIndex(), manager).toType(velocity.getDataType(), false);
    long n = voxels.getShape().get(0);
    NDArray u = velocity.div(Math.pow(2, steps));
    for (int s = 0; s < steps; s++) {
      NDArray flat = u.reshape(d, n).transpose(); // (N, d) physical displacement per voxel
      NDArray moved = voxels.add(flat.matMul(toIndexT));
      NDList sampled = new NDList(d);
      for (int c = 0; c < d; c++) {
        sampled.add(LinearSampler.sample(u.get(c), moved, Padding.BORDER));
      }
      u = u.add(NDArrays.stack(sampled).reshape(u.getShape()));
    }
    return u;
  }
}
