package org.warpspark.engine.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/**
 * Resamples a moving image onto a target (fixed) grid through an affine {@code targetToMoving} map:
 * {@code out(x) = moving(targetToMoving(x))}, 0 outside the moving image. Works in chunks so that a
 * large volume never needs all its points on the device at once.
 */
public final class Warper {
  private static final int CHUNK = 1 << 20;

  /** Linear for intensities, nearest for label maps. */
  public enum Interpolation { LINEAR, NEAREST }

  private Warper() {}

  public static Image warp(Image moving, Grid target, Affine targetToMoving, Interpolation interpolation,
      NDManager manager) {
    if (moving.dim() != target.dim()) {
      throw new IllegalArgumentException("cannot warp a " + moving.dim() + "D image onto a " + target.dim() + "D grid");
    }
    int d = target.dim();
    // Target voxel index -> moving voxel index, composed in double; stored transposed for points . G^T.
    double[] g = moving.grid().physicalToIndex().after(targetToMoving).after(target.indexToPhysical()).rowMajor();
    float[] transposed = new float[(d + 1) * d];
    for (int r = 0; r < d; r++) {
      for (int c = 0; c <= d; c++) {
        transposed[c * d + r] = (float) g[r * (d + 1) + c];
      }
    }
    int[] size = target.size();
    long total = target.voxelCount();
    float[] out = new float[Math.toIntExact(total)];
    try (NDManager scope = manager.newSubManager()) {
      NDArray image = scope.create(moving.voxels(), new Shape(moving.tensorShape()));
      NDArray matrixTransposed = scope.create(transposed, new Shape(d + 1, d));
      for (long start = 0; start < total; start += CHUNK) {
        int count = (int) Math.min(CHUNK, total - start);
        float[] rows = new float[count * (d + 1)];
        for (int r = 0; r < count; r++) {
          IndexPoints.write((int) (start + r), size, rows, r);
        }
        try (NDManager step = scope.newSubManager()) {
          NDArray p = step.create(rows, new Shape(count, d + 1));
          float[] values = Autograd.notRecording(() -> {
            NDArray index = p.matMul(matrixTransposed);
            NDArray sampled = interpolation == Interpolation.LINEAR
                ? LinearSampler.sample(image, index, Padding.ZERO)
                : LinearSampler.sampleNearest(image, index);
            return sampled.toFloatArray();
          });
          System.arraycopy(values, 0, out, (int) start, count);
        }
      }
    }
    return new Image(target, out, moving.storedAs());
  }
}
