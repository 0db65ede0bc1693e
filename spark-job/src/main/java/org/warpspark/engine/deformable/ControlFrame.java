package org.warpspark.engine.deformable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.warpspark.engine.sample.IndexPoints;
import org.warpspark.engine.sample.TransposedMatrices;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.TorchAffineTheta;

/**
 * The control grid as PyTorch's sampler sees it: {@code mmToControl} {@code (d, d)} turns LPS mm
 * displacements (rows) into displacements of normalised control coordinates, {@code identity}
 * {@code (1, [nz,] ny, nx, d)} holds every control point's own normalised coordinates.
 */
record ControlFrame(Grid grid, NDArray mmToControl, NDArray identity) {

  static ControlFrame of(Grid control, NDManager manager) {
    Affine toNormalised = physicalToNormalised(control);
    return new ControlFrame(control, TransposedMatrices.linear(toNormalised, manager),
        points(control, toNormalised, manager));
  }

  /**
   * {@code (1, [nz,] ny, nx, d)}: {@code toNormalised} (physical to some grid's normalised
   * coordinates) at every voxel of {@code grid}, as PyTorch's sampler takes a grid of points.
   */
  static NDArray points(Grid grid, Affine toNormalised, NDManager manager) {
    int d = grid.dim();
    long[] shape = new long[d + 2];
    shape[0] = 1;
    for (int a = 0; a < d; a++) {
      shape[d - a] = grid.size()[a];
    }
    shape[d + 1] = d;
    try (NDManager temporary = manager.newSubManager()) {
      NDArray points = IndexPoints.all(grid, temporary)
          .matMul(TransposedMatrices.affine(toNormalised.after(grid.indexToPhysical()), temporary))
          .reshape(new Shape(shape));
      points.attach(manager);
      return points;
    }
  }

  /** {@code (d+1, d)}: homogeneous voxel rows of {@code grid} to normalised control coordinates. */
  NDArray fromVoxelsOf(Grid grid, NDManager manager) {
    return TransposedMatrices.affine(physicalToNormalised(this.grid).after(grid.indexToPhysical()), manager);
  }

  /** Physical coordinates to normalised ones of {@code control}, as PyTorch's sampler takes them. */
  static Affine physicalToNormalised(Grid control) {
    return TorchAffineTheta.indexToNormalized(control, true).after(control.physicalToIndex());
  }
}
