package org.warpspark.udfs.spatial;

/**
 * A registration's whole map from fixed to moving physical points (see this package's conventions):
 * an affine matrix, or a dense displacement field on the fixed grid with the affine folded in; in a
 * chain read from other tools' files, also a cubic B-spline ({@link Spline}), which our registrations
 * do not produce and our warper does not take.
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

  /** {@code y = T(x)} for a cubic B-spline free-form map. */
  record Spline(BSplineTransform transform) implements FixedToMoving {
    @Override
    public int dim() {
      return transform.dim();
    }
  }

  static FixedToMoving identity(int dim) {
    return new Linear(Affine.identity(dim));
  }
}
