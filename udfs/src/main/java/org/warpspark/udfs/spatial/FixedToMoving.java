package org.warpspark.udfs.spatial;

/**
 * A registration's whole map from fixed to moving physical points (see this package's conventions):
 * an affine matrix, or a dense displacement field on the fixed grid with the affine folded in.
 * Warping, label transfer, metrics and exports take this one type, so no caller picks a behaviour by
 * which of two arguments is null.
 */
public sealed interface FixedToMoving {
  int dim();

  /** {@code y = M [x; 1]}. */
  record Linear(Affine matrix) implements FixedToMoving {
    @Override
    public int dim() {
      return matrix.dim();
    }
  }

  /** {@code y = x + u(x)}, {@code u} sampled on the fixed grid: the field's own grid. */
  record Dense(DisplacementField field) implements FixedToMoving {
    @Override
    public int dim() {
      return field.dim();
    }
  }

  static FixedToMoving identity(int dim) {
    return new Linear(Affine.identity(dim));
  }
}
