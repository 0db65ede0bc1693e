package org.warpspark.engine.deformable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.warpspark.engine.sample.TransposedMatrices;
import org.warpspark.image.Image;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.TorchAffineTheta;

/**
 * What one pyramid level gives the module: {@code toControl} and {@code toMoving} {@code (d+1, d)} take
 * homogeneous fixed-level voxel rows to normalised control and moving coordinates (the latter through
 * the affine map), {@code mmToMoving} {@code (d, d)} turns LPS mm displacements into normalised moving
 * displacements, {@code moving} is the level's moving image {@code (1, 1, [nz,] ny, nx)} and
 * {@code ranges} MI's intensity ranges (zeros for other losses).
 */
record LevelInputs(NDArray toControl, NDArray toMoving, NDArray mmToMoving, NDArray moving, NDArray ranges) {

  static LevelInputs of(Image fixedLevel, Image movingLevel, Affine affineFixedToMoving, ControlFrame control,
      float[] ranges, NDManager scope) {
    Affine movingNormalised = TorchAffineTheta.indexToNormalized(movingLevel.grid(), true)
        .after(movingLevel.grid().physicalToIndex());
    return new LevelInputs(control.fromVoxelsOf(fixedLevel.grid(), scope),
        TransposedMatrices.affine(movingNormalised.after(affineFixedToMoving).after(fixedLevel.grid().indexToPhysical()),
            scope),
        TransposedMatrices.linear(movingNormalised, scope),
        scope.create(movingLevel.voxels(), new Shape(batched(movingLevel.tensorShape()))),
        scope.create(ranges));
  }

  /** {@code (1, 1, shape...)}: a single-channel batch of one, as PyTorch's sampler and pooling want. */
  static long[] batched(long[] shape) {
    long[] b = new long[shape.length + 2];
    b[0] = 1;
    b[1] = 1;
    System.arraycopy(shape, 0, b, 2, shape.length);
    return b;
  }
}
