package org.warpspark.udfs.spatial;

import java.util.Arrays;

/**
 * The geometry of a 2D or 3D image: voxel counts, spacing (mm), origin (mm, centre of voxel 0, LPS)
 * and direction cosines (row-major {@code d x d}, columns are the index axes' physical directions).
 * See {@link org.warpspark.udfs.spatial} for the conventions.
 */
public record Grid(int[] size, double[] spacing, double[] origin, double[] direction) {
  /** How far {@code D^T D} may stray from the identity for direction cosines to count as orthonormal (ITK's). */
  public static final double ORTHONORMAL_TOLERANCE = 1e-4;

  public Grid {
    int d = size.length;
    if (d != 2 && d != 3) {
      throw new IllegalArgumentException("only 2D and 3D grids are supported, got " + d + "D");
    }
    if (spacing.length != d || origin.length != d || direction.length != d * d) {
      throw new IllegalArgumentException("grid arrays disagree on dimension: size " + Arrays.toString(size)
          + ", spacing " + Arrays.toString(spacing) + ", origin " + Arrays.toString(origin)
          + ", direction " + Arrays.toString(direction));
    }
    for (int s : size) {
      if (s < 1) {
        throw new IllegalArgumentException("grid size must be positive: " + Arrays.toString(size));
      }
    }
    for (double s : spacing) {
      if (!(s > 0) || !Double.isFinite(s)) {
        throw new IllegalArgumentException("spacing must be positive and finite: " + Arrays.toString(spacing));
      }
    }
    for (double v : origin) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("origin must be finite: " + Arrays.toString(origin));
      }
    }
    if (!isOrthonormal(direction, d, ORTHONORMAL_TOLERANCE)) {
      throw new IllegalArgumentException("direction cosines must be orthonormal, got " + Arrays.toString(direction));
    }
    size = size.clone();
    spacing = spacing.clone();
    origin = origin.clone();
    direction = direction.clone();
  }

  /** True if the columns of the row-major {@code d x d} matrix are unit length and mutually orthogonal. */
  public static boolean isOrthonormal(double[] matrix, int d, double tolerance) {
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        double dot = 0;
        for (int r = 0; r < d; r++) {
          dot += matrix[r * d + a] * matrix[r * d + b];
        }
        if (!(Math.abs(dot - (a == b ? 1 : 0)) <= tolerance)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Same voxel counts, and spacing, origin and direction equal within {@code tolerance} (relative for
   * spacing, mm for the origin): grids that went through a format storing float32 still match.
   */
  public boolean sameGeometry(Grid other, double tolerance) {
    if (!Arrays.equals(size, other.size)) {
      return false;
    }
    for (int i = 0; i < spacing.length; i++) {
      if (Math.abs(spacing[i] - other.spacing[i]) > tolerance * spacing[i]
          || Math.abs(origin[i] - other.origin[i]) > tolerance * Math.max(spacing[i], Math.abs(origin[i]))) {
        return false;
      }
    }
    for (int i = 0; i < direction.length; i++) {
      if (Math.abs(direction[i] - other.direction[i]) > tolerance) {
        return false;
      }
    }
    return true;
  }

  /** A grid with identity direction. */
  public static Grid of(int[] size, double[] spacing, double[] origin) {
    return new Grid(size, spacing, origin, Affine.identity(size.length).linear());
  }

  public int dim() {
    return size.length;
  }

  public long voxelCount() {
    long n = 1;
    for (int s : size) {
      n *= s;
    }
    return n;
  }

  @Override
  public int[] size() {
    return size.clone();
  }

  @Override
  public double[] spacing() {
    return spacing.clone();
  }

  @Override
  public double[] origin() {
    return origin.clone();
  }

  @Override
  public double[] direction() {
    return direction.clone();
  }

  /** Writes the index of voxel {@code flat} (memory order: axis 0 fastest) into {@code index}. */
  public void index(int flat, double[] index) {
    int rest = flat;
    for (int a = 0; a < size.length; a++) {
      index[a] = rest % size[a];
      rest /= size[a];
    }
  }

  /** {@code p = origin + direction * diag(spacing) * index}. */
  public Affine indexToPhysical() {
    int d = dim();
    double[] lin = new double[d * d];
    for (int r = 0; r < d; r++) {
      for (int c = 0; c < d; c++) {
        lin[r * d + c] = direction[r * d + c] * spacing[c];
      }
    }
    return Affine.of(lin, origin);
  }

  public Affine physicalToIndex() {
    return indexToPhysical().inverse();
  }

  /** Physical centre of the grid: the point halfway between the centres of the first and last voxels. */
  public double[] centre() {
    double[] mid = new double[dim()];
    for (int i = 0; i < mid.length; i++) {
      mid[i] = (size[i] - 1) / 2.0;
    }
    return indexToPhysical().apply(mid);
  }

  /** Half the physical diagonal of the grid (mm): the radius used to scale angles against millimetres. */
  public double radius() {
    double s = 0;
    for (int i = 0; i < dim(); i++) {
      double ext = (size[i] - 1) * spacing[i];
      s += ext * ext;
    }
    return Math.max(Math.sqrt(s) / 2, 1e-6);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Grid g && Arrays.equals(size, g.size) && Arrays.equals(spacing, g.spacing)
        && Arrays.equals(origin, g.origin) && Arrays.equals(direction, g.direction);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(size) * 31 + Arrays.hashCode(spacing);
  }

  @Override
  public String toString() {
    return "Grid{size=" + Arrays.toString(size) + ", spacing=" + Arrays.toString(spacing) + ", origin="
        + Arrays.toString(origin) + ", direction=" + Arrays.toString(direction) + "}";
  }
}
