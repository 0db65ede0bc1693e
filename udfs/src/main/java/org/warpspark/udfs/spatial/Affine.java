package org.warpspark.udfs.spatial;

import java.util.Arrays;

/**
 * An immutable homogeneous affine map of 2D or 3D points: a row-major {@code (d+1) x (d+1)} matrix
 * acting on column vectors. Which frames it connects is said by the name of the variable holding it
 * ({@code fixedToMoving}, {@code indexToPhysical}); see {@link org.warpspark.udfs.spatial}.
 */
public final class Affine {
  private final int dim;
  private final double[] m;

  private Affine(int dim, double[] rowMajor) {
    this.dim = dim;
    this.m = rowMajor;
  }

  /** Wraps a row-major homogeneous matrix of {@code (d+1)^2} values, d = 2 or 3; the last row must be {@code 0..0 1}. */
  public static Affine ofRowMajor(double[] rowMajor) {
    int n = (int) Math.round(Math.sqrt(rowMajor.length));
    if (n * n != rowMajor.length || (n != 3 && n != 4)) {
      throw new IllegalArgumentException("expected 9 or 16 values of a homogeneous 2D/3D matrix, got " + rowMajor.length);
    }
    for (int c = 0; c < n; c++) {
      double expected = c == n - 1 ? 1 : 0;
      if (rowMajor[(n - 1) * n + c] != expected) {
        throw new IllegalArgumentException("last row of a homogeneous matrix must be 0..0 1: " + Arrays.toString(rowMajor));
      }
    }
    for (double v : rowMajor) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("matrix has a non-finite entry: " + Arrays.toString(rowMajor));
      }
    }
    return new Affine(n - 1, rowMajor.clone());
  }

  /** Builds {@code x -> linear x + translation} from a row-major {@code d x d} linear part. */
  public static Affine of(double[] linear, double[] translation) {
    int d = translation.length;
    if (linear.length != d * d) {
      throw new IllegalArgumentException("linear part has " + linear.length + " values for dimension " + d);
    }
    double[] h = new double[(d + 1) * (d + 1)];
    for (int r = 0; r < d; r++) {
      System.arraycopy(linear, r * d, h, r * (d + 1), d);
      h[r * (d + 1) + d] = translation[r];
    }
    h[h.length - 1] = 1;
    return ofRowMajor(h);
  }

  public static Affine identity(int dim) {
    double[] lin = new double[dim * dim];
    for (int i = 0; i < dim; i++) {
      lin[i * dim + i] = 1;
    }
    return of(lin, new double[dim]);
  }

  public static Affine translation(double[] t) {
    return of(identity(t.length).linear(), t);
  }

  public int dim() {
    return dim;
  }

  /** The row-major homogeneous matrix, a copy. */
  public double[] rowMajor() {
    return m.clone();
  }

  public double get(int row, int col) {
    return m[row * (dim + 1) + col];
  }

  /** The row-major {@code d x d} linear part. */
  public double[] linear() {
    double[] a = new double[dim * dim];
    for (int r = 0; r < dim; r++) {
      System.arraycopy(m, r * (dim + 1), a, r * dim, dim);
    }
    return a;
  }

  /** The translation column (where the origin goes). */
  public double[] translation() {
    double[] t = new double[dim];
    for (int r = 0; r < dim; r++) {
      t[r] = m[r * (dim + 1) + dim];
    }
    return t;
  }

  public double[] apply(double[] point) {
    if (point.length != dim) {
      throw new IllegalArgumentException("point has " + point.length + " coordinates, transform is " + dim + "D");
    }
    double[] y = new double[dim];
    for (int r = 0; r < dim; r++) {
      double s = m[r * (dim + 1) + dim];
      for (int c = 0; c < dim; c++) {
        s += m[r * (dim + 1) + c] * point[c];
      }
      y[r] = s;
    }
    return y;
  }

  /** {@link #apply(double[])} into {@code out}, which must not be {@code point}: nothing allocated. */
  public void apply(double[] point, double[] out) {
    for (int r = 0; r < dim; r++) {
      double s = m[r * (dim + 1) + dim];
      for (int c = 0; c < dim; c++) {
        s += m[r * (dim + 1) + c] * point[c];
      }
      out[r] = s;
    }
  }

  /** The map {@code x -> this(first(x))}: apply {@code first}, then this. */
  public Affine after(Affine first) {
    if (first.dim != dim) {
      throw new IllegalArgumentException("cannot compose a " + dim + "D with a " + first.dim + "D transform");
    }
    int n = dim + 1;
    double[] p = new double[n * n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += m[r * n + k] * first.m[k * n + c];
        }
        p[r * n + c] = s;
      }
    }
    p[n * n - 1] = 1;
    for (int c = 0; c < n - 1; c++) {
      p[(n - 1) * n + c] = 0;
    }
    return new Affine(dim, p);
  }

  /** The inverse map; fails if the linear part is singular. */
  public Affine inverse() {
    double[] inv = Linear.invert(linear(), dim);
    double[] t = translation();
    double[] ti = new double[dim];
    for (int r = 0; r < dim; r++) {
      double s = 0;
      for (int c = 0; c < dim; c++) {
        s -= inv[r * dim + c] * t[c];
      }
      ti[r] = s;
    }
    return of(inv, ti);
  }

  /** Largest absolute difference of matrix entries. */
  public double maxAbsDifference(Affine other) {
    if (other.dim != dim) {
      return Double.POSITIVE_INFINITY;
    }
    double d = 0;
    for (int i = 0; i < m.length; i++) {
      d = Math.max(d, Math.abs(m[i] - other.m[i]));
    }
    return d;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Affine a && a.dim == dim && Arrays.equals(a.m, m);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(m);
  }

  @Override
  public String toString() {
    return "Affine" + dim + "D" + Arrays.toString(m);
  }
}
