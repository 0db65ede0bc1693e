package org.warpspark.udfs.spatial;

import java.util.Arrays;

/**
 * Parameter layouts of ITK's centred transforms (elastix's "Advanced" copies use the same ones), each
 * turned into the {@link Centered} map {@code x -> A (x - c) + c + t}. Verified against ITK's
 * {@code itkMatrixOffsetTransformBase.hxx}, {@code itkEuler3DTransform.hxx}, {@code itkRigid2DTransform.hxx},
 * {@code itkSimilarity2DTransform.hxx}, {@code itkVersorRigid3DTransform.hxx},
 * {@code itkSimilarity3DTransform.hxx}, {@code itkVersor.hxx} and {@code itkTranslationTransform.hxx}.
 */
final class ItkLayouts {
  /** ITK rescales a versor's right part whose norm reaches {@code 1 - 1e-10}. */
  private static final double VERSOR_EPSILON = 1e-10;

  private ItkLayouts() {}

  /** {@code A} row-major ({@code d*d} values), then {@code t} ({@code d}). */
  static Affine matrixOffset(double[] p, double[] center, int d, String what) {
    requireCount(p, d * d + d, what);
    return Centered.toAffine(Arrays.copyOf(p, d * d), Arrays.copyOfRange(p, d * d, d * d + d), center);
  }

  /**
   * {@code (rx, ry, rz, tx, ty, tz)}; {@code A = Rz Ry Rx} when {@code computeZyx}, else ITK's default
   * {@code A = Rz Rx Ry}.
   */
  static Affine euler3D(double[] p, double[] center, boolean computeZyx, String what) {
    requireCount(p, 6, what);
    double[] rx = rotationX(p[0]);
    double[] ry = rotationY(p[1]);
    double[] rz = rotationZ(p[2]);
    double[] a = computeZyx
        ? Linear.multiply(rz, Linear.multiply(ry, rx, 3), 3)
        : Linear.multiply(rz, Linear.multiply(rx, ry, 3), 3);
    return Centered.toAffine(a, Arrays.copyOfRange(p, 3, 6), center);
  }

  /** {@code (angle, tx, ty)}: Rigid2DTransform and Euler2DTransform. */
  static Affine rigid2D(double[] p, double[] center, String what) {
    requireCount(p, 3, what);
    return Centered.toAffine(rotation2D(p[0], 1), Arrays.copyOfRange(p, 1, 3), center);
  }

  /** {@code (scale, angle, tx, ty)}. */
  static Affine similarity2D(double[] p, double[] center, String what) {
    requireCount(p, 4, what);
    return Centered.toAffine(rotation2D(p[1], p[0]), Arrays.copyOfRange(p, 2, 4), center);
  }

  /** {@code (vx, vy, vz, tx, ty, tz)}: the versor's right part, then the translation. */
  static Affine versorRigid3D(double[] p, double[] center, String what) {
    requireCount(p, 6, what);
    return Centered.toAffine(versorMatrix(p, 1, what), Arrays.copyOfRange(p, 3, 6), center);
  }

  /** {@code (vx, vy, vz, tx, ty, tz, scale)}. */
  static Affine similarity3D(double[] p, double[] center, String what) {
    requireCount(p, 7, what);
    return Centered.toAffine(versorMatrix(p, p[6], what), Arrays.copyOfRange(p, 3, 6), center);
  }

  /** {@code t}: {@code x -> x + t}. */
  static Affine translation(double[] p, int d, String what) {
    requireCount(p, d, what);
    return Affine.translation(p.clone());
  }

  /** {@code scale} times the rotation of the versor whose right part is {@code p[0..2]} (ITK's {@code Versor::GetMatrix}). */
  static double[] versorMatrix(double[] p, double scale, String what) {
    double x = p[0];
    double y = p[1];
    double z = p[2];
    double norm = Math.sqrt(x * x + y * y + z * z);
    if (norm >= 1 - VERSOR_EPSILON) {
      double k = norm + VERSOR_EPSILON * norm;
      x /= k;
      y /= k;
      z /= k;
      norm /= k;
    }
    double w = Math.sqrt(Math.max(0, 1 - norm * norm));
    double[] m = {
        1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
        2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
        2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)};
    for (int i = 0; i < m.length; i++) {
      m[i] *= scale;
    }
    return m;
  }

  static double[] rotationX(double angle) {
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    return new double[] {1, 0, 0, 0, c, -s, 0, s, c};
  }

  static double[] rotationY(double angle) {
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    return new double[] {c, 0, s, 0, 1, 0, -s, 0, c};
  }

  static double[] rotationZ(double angle) {
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    return new double[] {c, -s, 0, s, c, 0, 0, 0, 1};
  }

  private static double[] rotation2D(double angle, double scale) {
    double c = Math.cos(angle) * scale;
    double s = Math.sin(angle) * scale;
    return new double[] {c, -s, s, c};
  }

  static void requireCount(double[] p, int expected, String what) {
    if (p.length != expected) {
      throw new TransformFileException(what + ": expected " + expected + " parameters, got " + p.length
          + " " + Arrays.toString(p));
    }
  }
}
