package org.warpspark.image;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warpspark.udfs.spatial.Grid;

/**
 * NIfTI geometry to and from a {@link Grid} in the frame of {@link org.warpspark.udfs.spatial} (LPS).
 *
 * <p>Reading picks the index-to-RAS affine as ITK and nibabel do: the sform when
 * {@code sform_code > 0}, else the qform (quaternion, {@code qfac} from {@code pixdim[0]}) when
 * {@code qform_code > 0}, else pixdim alone (ITK's fallback: origin 0, identity LPS direction, a
 * negative pixdim flipping its axis). A sform whose columns are not orthogonal cannot be a grid; the
 * qform is used instead when there is one. The affine is scaled to mm ({@code xyzt_units}), turned to
 * LPS by {@code diag(-1,-1,1)}, and split into origin (translation), spacing (column norms) and
 * direction (normalised columns).
 *
 * <p>A single-slice image ({@code nz == 1}) is 2D when its first two axes lie in the LPS x-y plane;
 * its 2D geometry is the upper-left 2x2 block and the in-plane origin (the slice's z is dropped, as
 * ITK does for {@code dim[0] == 2}). A single slice whose axes leave that plane stays a 3D grid with
 * {@code nz == 1}, so no geometry is lost.
 *
 * <p>Writing goes the other way: the LPS geometry (2D lifted to 3D with a unit z axis, as ITK does)
 * becomes a RAS sform and the same rotation as a qform with {@code qfac = det}.
 */
final class NiftiGeometry {
  private static final Logger LOG = LoggerFactory.getLogger(NiftiGeometry.class);

  /** How far an in-plane axis may lean out of the x-y plane (relative) and still be read as 2D. */
  static final double IN_PLANE_TOLERANCE = 1e-6;

  private NiftiGeometry() {}

  /** The grid of an image of {@code size3 = (nx, ny, nz)} voxels described by {@code h}. */
  static Grid gridOf(NiftiHeader h, int[] size3, String source) {
    boolean oneSlice = size3[2] == 1;
    double[] ras = chooseAffine(h, oneSlice ? 2 : 3, source);
    if (ras == null) {
      return pixdimOnly(h, size3, oneSlice ? 2 : 3, source);
    }
    double[] lps = rasToLps(scaled(ras, h.millimetresPerUnit()));
    if (oneSlice && inPlane(lps)) {
      return grid2d(lps, size3, source);
    }
    if (oneSlice && !orthogonalColumns(lps, 3)) {
      throw new UnsupportedImageException(source, "single-slice image whose axes leave the x-y plane has no "
          + "usable third axis in its affine, so it is neither a 2D nor a 3D grid");
    }
    if (!orthogonalColumns(lps, 3)) {
      throw new CorruptImageException(source, "affine " + Arrays.toString(ras)
          + " does not have finite, non-zero, orthogonal columns");
    }
    return grid3d(lps, size3, source);
  }

  /** The 3x4 index-to-RAS affine to use, or null when neither sform nor qform is set. */
  private static double[] chooseAffine(NiftiHeader h, int axes, String source) {
    if (h.sformCode() > 0) {
      if (orthogonalColumns(h.srow(), axes)) {
        return h.srow();
      }
      if (h.qformCode() > 0) {
        LOG.warn("{}: sform is sheared or degenerate, so its qform gives the geometry", source);
        return qformAffine(h);
      }
      throw new UnsupportedImageException(source, "sform columns are not orthogonal (a sheared or degenerate "
          + "affine) and there is no qform; grids need orthonormal direction cosines");
    }
    return h.qformCode() > 0 ? qformAffine(h) : null;
  }

  /** The qform as a 3x4 RAS affine, following the quaternion rules of nifti1.h. */
  static double[] qformAffine(NiftiHeader h) {
    double b = h.quatern()[0];
    double c = h.quatern()[1];
    double d = h.quatern()[2];
    double a;
    double aSquared = 1 - (b * b + c * c + d * d);
    if (aSquared < 1e-7) {
      // (b, c, d) is (numerically) a unit vector: a 180-degree rotation, a = 0.
      double n = Math.sqrt(b * b + c * c + d * d);
      b /= n;
      c /= n;
      d /= n;
      a = 0;
    } else {
      a = Math.sqrt(aSquared);
    }
    double[] r = {
        a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
        2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
        2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b};
    double qfac = h.pixdim()[0] < 0 ? -1 : 1;
    double[] scale = {positiveOrOne(h.pixdim()[1]), positiveOrOne(h.pixdim()[2]), qfac * positiveOrOne(h.pixdim()[3])};
    double[] m = new double[12];
    for (int row = 0; row < 3; row++) {
      for (int col = 0; col < 3; col++) {
        m[row * 4 + col] = r[row * 3 + col] * scale[col];
      }
      m[row * 4 + 3] = h.qoffset()[row];
    }
    return m;
  }

  /** nifti1_io's rule: a non-positive pixdim in the qform counts as 1. */
  private static double positiveOrOne(double pixdim) {
    return pixdim > 0 ? pixdim : 1;
  }

  private static Grid pixdimOnly(NiftiHeader h, int[] size3, int dim, String source) {
    double[] spacing = new double[dim];
    double[] direction = new double[dim * dim];
    for (int i = 0; i < dim; i++) {
      double p = h.pixdim()[i + 1];
      if (p == 0 || !Double.isFinite(p)) {
        throw new CorruptImageException(source, "pixdim[" + (i + 1) + "] = " + p
            + " is not a spacing (and there is no sform or qform)");
      }
      spacing[i] = Math.abs(p) * h.millimetresPerUnit();
      direction[i * dim + i] = Math.signum(p);
    }
    return newGrid(Arrays.copyOf(size3, dim), spacing, new double[dim], direction, source);
  }

  private static double[] scaled(double[] m, double factor) {
    double[] s = m.clone();
    for (int i = 0; i < s.length; i++) {
      s[i] *= factor;
    }
    return s;
  }

  /**
   * {@code diag(-1,-1,1)} applied to a 3x4 affine: the x and y rows change sign. Adding 0.0 turns
   * the -0.0 of a negated zero into 0.0, so grids compare equal to ones written with plain zeros.
   */
  static double[] rasToLps(double[] m) {
    double[] l = m.clone();
    for (int i = 0; i < 8; i++) {
      l[i] = -l[i] + 0.0;
    }
    return l;
  }

  private static double columnNorm(double[] m, int col, int rows) {
    double s = 0;
    for (int r = 0; r < rows; r++) {
      s += m[r * 4 + col] * m[r * 4 + col];
    }
    return Math.sqrt(s);
  }

  /** Whether the first {@code axes} columns of a 3x4 affine are non-zero and mutually orthogonal. */
  static boolean orthogonalColumns(double[] m, int axes) {
    double[] norm = new double[axes];
    for (int c = 0; c < axes; c++) {
      norm[c] = columnNorm(m, c, 3);
      if (!(norm[c] > 0) || !Double.isFinite(norm[c])) {
        return false;
      }
    }
    for (int i = 0; i < axes; i++) {
      for (int j = i + 1; j < axes; j++) {
        double dot = 0;
        for (int r = 0; r < 3; r++) {
          dot += m[r * 4 + i] * m[r * 4 + j];
        }
        if (Math.abs(dot / (norm[i] * norm[j])) > Grid.ORTHONORMAL_TOLERANCE) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean inPlane(double[] lps) {
    for (int c = 0; c < 2; c++) {
      if (Math.abs(lps[8 + c]) > IN_PLANE_TOLERANCE * columnNorm(lps, c, 3)) {
        return false;
      }
    }
    return true;
  }

  private static Grid grid2d(double[] lps, int[] size3, String source) {
    double[] spacing = {columnNorm(lps, 0, 2), columnNorm(lps, 1, 2)};
    double[] direction = {
        lps[0] / spacing[0], lps[1] / spacing[1],
        lps[4] / spacing[0], lps[5] / spacing[1]};
    return newGrid(new int[] {size3[0], size3[1]}, spacing, new double[] {lps[3], lps[7]}, direction, source);
  }

  private static Grid grid3d(double[] lps, int[] size3, String source) {
    double[] spacing = new double[3];
    double[] direction = new double[9];
    for (int c = 0; c < 3; c++) {
      spacing[c] = columnNorm(lps, c, 3);
      for (int r = 0; r < 3; r++) {
        direction[r * 3 + c] = lps[r * 4 + c] / spacing[c];
      }
    }
    return newGrid(size3, spacing, new double[] {lps[3], lps[7], lps[11]}, direction, source);
  }

  private static Grid newGrid(int[] size, double[] spacing, double[] origin, double[] direction, String source) {
    try {
      return new Grid(size, spacing, origin, direction);
    } catch (IllegalArgumentException e) {
      throw new CorruptImageException(source, "header geometry is not a valid grid: " + e.getMessage(), e);
    }
  }

  /**
   * The NIfTI transform fields for a grid: a RAS sform, and the same rotation as a qform with
   * {@code qfac = det(direction)} (the quaternion holds the proper rotation).
   */
  record Xform(double[] srow, double[] quatern, double[] qoffset, double qfac, double[] spacing3) {}

  static Xform xformOf(Grid grid) {
    double[] dir3 = new double[9];
    double[] spacing3 = {1, 1, 1};
    double[] origin3 = new double[3];
    int d = grid.dim();
    double[] dir = grid.direction();
    for (int r = 0; r < d; r++) {
      for (int c = 0; c < d; c++) {
        dir3[r * 3 + c] = dir[r * d + c];
      }
      spacing3[r] = grid.spacing()[r];
      origin3[r] = grid.origin()[r];
    }
    if (d == 2) {
      dir3[8] = 1;
    }
    double[] rasRotation = dir3.clone();
    double[] rasOrigin = origin3.clone();
    for (int i = 0; i < 6; i++) {
      rasRotation[i] = -rasRotation[i] + 0.0;
    }
    rasOrigin[0] = -rasOrigin[0] + 0.0;
    rasOrigin[1] = -rasOrigin[1] + 0.0;
    double[] srow = new double[12];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        srow[r * 4 + c] = rasRotation[r * 3 + c] * spacing3[c];
      }
      srow[r * 4 + 3] = rasOrigin[r];
    }
    double qfac = determinant3(rasRotation) < 0 ? -1 : 1;
    double[] proper = rasRotation.clone();
    for (int r = 0; r < 3; r++) {
      proper[r * 3 + 2] *= qfac;
    }
    return new Xform(srow, Quaternions.fromRotation(proper), rasOrigin, qfac, spacing3);
  }

  private static double determinant3(double[] a) {
    return a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6])
        + a[2] * (a[3] * a[7] - a[4] * a[6]);
  }
}
