package org.warpspark.engine.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.FixedToMoving;
import org.warpspark.udfs.spatial.Grid;

/**
 * Resamples a moving image onto a target (fixed) grid through a {@code targetToMoving} map:
 * {@code out(x) = moving(targetToMoving(x))}, 0 outside the moving image. Works in chunks so that a
 * large volume never needs all its points on the device at once.
 */
public final class Warper {
  private static final int CHUNK = 1 << 20;

  /** Linear for intensities, nearest for label maps. */
  public enum Interpolation { LINEAR, NEAREST }

  private Warper() {}

  /**
   * {@code out(x) = moving(targetToMoving(x))} on {@code target}. A dense map is sampled on its own grid,
   * which must be {@code target}.
   */
  public static Image warp(Image moving, Grid target, FixedToMoving targetToMoving, Interpolation interpolation,
      NDManager manager) {
    if (targetToMoving instanceof FixedToMoving.Dense dense) {
      if (!dense.field().grid().sameGeometry(target, 1e-6)) {
        throw new IllegalArgumentException("a displacement field on " + dense.field().grid()
            + " cannot warp onto another grid " + target);
      }
      return warp(moving, target, Affine.identity(target.dim()), dense.field(), interpolation, manager);
    }
    return warp(moving, target, ((FixedToMoving.Linear) targetToMoving).matrix(), null, interpolation, manager);
  }

  /**
   * Moving voxel index of each target voxel: {@code G p + L u}, with {@code G} the composed affine
   * (target index to moving index) and {@code L} the moving grid's physical-to-index linear part
   * applied to the displacement {@code u} (none for a plain affine).
   */
  private static Image warp(Image moving, Grid target, Affine targetToMoving, DisplacementField displacement,
      Interpolation interpolation, NDManager manager) {
    if (moving.dim() != target.dim()) {
      throw new IllegalArgumentException("cannot warp a " + moving.dim() + "D image onto a " + target.dim() + "D grid");
    }
    int d = target.dim();
    Affine physicalToIndex = moving.grid().physicalToIndex();
    int[] size = target.size();
    long total = target.voxelCount();
    float[] out = new float[Math.toIntExact(total)];
    try (NDManager scope = manager.newSubManager()) {
      NDArray image = scope.create(moving.voxels(), new Shape(moving.tensorShape()));
      NDArray matrix = TransposedMatrices.affine(
          physicalToIndex.after(targetToMoving).after(target.indexToPhysical()), scope);
      NDArray linear = TransposedMatrices.linear(physicalToIndex, scope);
      for (long start = 0; start < total; start += CHUNK) {
        int count = (int) Math.min(CHUNK, total - start);
        float[] rows = new float[count * (d + 1)];
        for (int r = 0; r < count; r++) {
          IndexPoints.write((int) (start + r), size, rows, r);
        }
        float[] offsets = displacement == null ? null : rowsOf(displacement, (int) start, count);
        try (NDManager step = scope.newSubManager()) {
          NDArray p = step.create(rows, new Shape(count, d + 1));
          NDArray u = offsets == null ? null : step.create(offsets, new Shape(count, d));
          float[] values = Autograd.notRecording(() -> {
            NDArray index = u == null ? p.matMul(matrix) : p.matMul(matrix).add(u.matMul(linear));
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

  /** Displacements of voxels {@code [start, start + count)} as rows {@code (u_x, u_y[, u_z])}. */
  private static float[] rowsOf(DisplacementField field, int start, int count) {
    int d = field.dim();
    float[] rows = new float[count * d];
    for (int c = 0; c < d; c++) {
      float[] component = field.components()[c];
      for (int r = 0; r < count; r++) {
        rows[r * d + c] = component[start + r];
      }
    }
    return rows;
  }
}
