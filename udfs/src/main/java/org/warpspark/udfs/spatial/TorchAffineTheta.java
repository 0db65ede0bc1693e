package org.warpspark.udfs.spatial;

import java.util.Arrays;

/**
 * The {@code theta} of PyTorch's {@code affine_grid(theta, size, align_corners)} for a {@code fixedToMoving}
 * map: it takes the normalised coordinates of an OUTPUT voxel (of the fixed tensor) to the normalised
 * coordinates in the INPUT tensor (the moving image) that {@code grid_sample} reads there (give
 * {@code grid_sample} the same {@code align_corners}):
 * {@code theta = norm_moving . physicalToIndex_moving . fixedToMoving . indexToPhysical_fixed . norm_fixed^-1}.
 *
 * <p>Torch's grid holds {@code (x, y[, z])} = our index axes {@code (0, 1[, 2])} in its last dimension, while
 * the tensor dimensions are the index axes reversed (see {@link org.warpspark.udfs.spatial}). Per axis of
 * {@code n} voxels, index {@code i} normalises to {@code 2 i / (n - 1) - 1} with {@code alignCorners}, else
 * to {@code (2 i + 1) / n - 1}.
 *
 * <p>Axes of size 1: torch's {@code affine_grid} puts its single sample at 0 in both modes, which the
 * {@code alignCorners=false} rule gives ({@code n = 2 i}); we use that rule for size-1 axes in both
 * modes so the map stays invertible. With {@code alignCorners=true}, torch's {@code grid_sample} then
 * reads a size-1 moving axis at index 0 whatever the coordinate, i.e. it projects onto that slice.
 *
 * @param dim 2 or 3
 * @param rowMajor the top {@code d} rows of the homogeneous matrix, {@code d x (d+1)} row-major, as
 *     torch's {@code theta[0]} (shape {@code (d, d+1)})
 */
public record TorchAffineTheta(int dim, double[] rowMajor, boolean alignCorners) {

  public TorchAffineTheta {
    if (dim != 2 && dim != 3) {
      throw new IllegalArgumentException("theta is 2D or 3D, got " + dim + "D");
    }
    if (rowMajor.length != dim * (dim + 1)) {
      throw new IllegalArgumentException("a " + dim + "D theta has " + dim * (dim + 1) + " values, got "
          + rowMajor.length);
    }
    rowMajor = rowMajor.clone();
  }

  /** The theta that makes {@code grid_sample(moving, affine_grid(theta, fixed shape))} equal {@code moving(fixedToMoving(x))}. */
  public static TorchAffineTheta fromFixedToMoving(Affine fixedToMoving, Grid fixed, Grid moving, boolean alignCorners) {
    requireDims(fixedToMoving, fixed, moving);
    Affine normalizedFixedToNormalizedMoving = indexToNormalized(moving, alignCorners)
        .after(moving.physicalToIndex())
        .after(fixedToMoving)
        .after(fixed.indexToPhysical())
        .after(indexToNormalized(fixed, alignCorners).inverse());
    double[] h = normalizedFixedToNormalizedMoving.rowMajor();
    return new TorchAffineTheta(fixedToMoving.dim(), Arrays.copyOf(h, fixedToMoving.dim() * (fixedToMoving.dim() + 1)),
        alignCorners);
  }

  /** The inverse conversion: the {@code fixedToMoving} map (mm) that this theta applies between the two grids. */
  public Affine toFixedToMoving(Grid fixed, Grid moving) {
    Affine theta = normalizedFixedToNormalizedMoving();
    requireDims(theta, fixed, moving);
    return moving.indexToPhysical()
        .after(indexToNormalized(moving, alignCorners).inverse())
        .after(theta)
        .after(indexToNormalized(fixed, alignCorners))
        .after(fixed.physicalToIndex());
  }

  /** Theta as a homogeneous map from normalised fixed (output) to normalised moving (input) coordinates. */
  public Affine normalizedFixedToNormalizedMoving() {
    double[] h = Arrays.copyOf(rowMajor, (dim + 1) * (dim + 1));
    h[h.length - 1] = 1;
    return Affine.ofRowMajor(h);
  }

  @Override
  public double[] rowMajor() {
    return rowMajor.clone();
  }

  /** Torch's normalisation of voxel indices of {@code grid}, axis by axis (size-1 axes: see the class comment). */
  public static Affine indexToNormalized(Grid grid, boolean alignCorners) {
    int d = grid.dim();
    int[] size = grid.size();
    double[] scale = new double[d * d];
    double[] shift = new double[d];
    for (int i = 0; i < d; i++) {
      if (alignCorners && size[i] > 1) {
        scale[i * d + i] = 2.0 / (size[i] - 1);
        shift[i] = -1;
      } else {
        scale[i * d + i] = 2.0 / size[i];
        shift[i] = 1.0 / size[i] - 1;
      }
    }
    return Affine.of(scale, shift);
  }

  private static void requireDims(Affine map, Grid fixed, Grid moving) {
    if (fixed.dim() != map.dim() || moving.dim() != map.dim()) {
      throw new IllegalArgumentException("a " + map.dim() + "D map between a " + fixed.dim() + "D fixed and a "
          + moving.dim() + "D moving grid");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TorchAffineTheta t && t.dim == dim && t.alignCorners == alignCorners
        && Arrays.equals(t.rowMajor, rowMajor);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(rowMajor) * 31 + (alignCorners ? 1 : 0);
  }

  @Override
  public String toString() {
    return "TorchAffineTheta" + dim + "D{alignCorners=" + alignCorners + ", " + Arrays.toString(rowMajor) + "}";
  }
}
