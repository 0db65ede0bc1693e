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
    int d = control.dim();
    long[] shape = new long[d + 2];
    shape[0] = 1;
    for (int a = 0; a < d; a++) {
      shape[d - a] = control.size()[a];
    }
    shape[d + 1] = d;
    NDArray identity = IndexPoints.all(control, manager)
        .matMul(TransposedMatrices.affine(TorchAffineTheta.indexToNormalized(control, true), manager))
        .reshape(new Shape(shape));
    return new ControlFrame(control, TransposedMatrices.linear(toNormalised, manager), identity);
  }

  /** {@code (d+1, d)}: homogeneous voxel rows of {@code grid} to normalised control coordinates. */
  NDArray fromVoxelsOf(Grid grid, NDManager manager) {
    return TransposedMatrices.affine(physicalToNormalised(this.grid).after(grid.indexToPhysical()), manager);
  }

  private static Affine physicalToNormalised(Grid control) {
    return TorchAffineTheta.indexToNormalized(control, true).after(control.physicalToIndex());
  }
}
