package org.warpspark.udfs.spatial;

import java.util.Arrays;

/**
 * Turns a {@code fixedToMoving} matrix back into {@link MotionParameters} about a centre {@code c}:
 * the inverse of {@link MotionParameters#toAffine(double[])}.
 *
 * <p>The linear part is factored {@code A = Q U} (QR by Gram-Schmidt on the columns, {@code U} upper
 * triangular with a positive diagonal), so {@code R = Q}, {@code S = diag(U)}, {@code K = S^-1 U}; the
 * angles solve {@code R = Rz Ry Rx} (3D) or {@code R = R(angle)} (2D); {@code t = o - c + A c}. The
 * factorisation is unique, so decomposing {@code MotionParameters.toAffine} returns the parameters when
 * the angles lie in the principal ranges ({@code ry} in {@code [-pi/2, pi/2]}, the others in
 * {@code (-pi, pi]}). A matrix with {@code det A <= 0} (a reflection, or singular) has no such factors
 * and is refused; test {@link #isReflection(Affine)} first where that must not throw.
 */
public final class MatrixDecomposition {
  /** Below this {@code cos(ry)} the 3D rotation is in gimbal lock: {@code rz} is set to 0. */
  static final double GIMBAL_LOCK_COS = 1e-9;

  private MatrixDecomposition() {}

  /** Whether the linear part of {@code map} flips orientation ({@code det A < 0}). */
  public static boolean isReflection(Affine map) {
    return Linear.determinant(map.linear(), map.dim()) < 0;
  }

  /** The motion {@code T(x) = R S K (x - c) + c + t} equal to {@code fixedToMoving}. */
  public static MotionParameters decompose(Affine fixedToMoving, double[] center) {
    int d = fixedToMoving.dim();
    double[] a = fixedToMoving.linear();
    double det = Linear.determinant(a, d);
    if (det < 0) {
      throw new IllegalArgumentException("fixedToMoving is a reflection (det A = " + det
          + " < 0): R S K with a rotation and positive scales cannot represent it: " + fixedToMoving);
    }
    double[][] qu = qr(a, d);
    double[] q = qu[0];
    double[] u = qu[1];
    MotionParameters p = MotionParameters.identity(d);
    System.arraycopy(Centered.translation(fixedToMoving, center), 0, p.translation(), 0, d);
    for (int i = 0; i < d; i++) {
      p.logScales()[i] = Math.log(u[i * d + i]);
    }
    if (d == 2) {
      p.shears()[0] = u[1] / u[0];
      p.angles()[0] = Math.atan2(q[2], q[0]);
    } else {
      p.shears()[0] = u[1] / u[0];
      p.shears()[1] = u[2] / u[0];
      p.shears()[2] = u[5] / u[4];
      System.arraycopy(eulerAnglesZyx(q), 0, p.angles(), 0, 3);
    }
    return p;
  }

  /**
   * {@code (rx, ry, rz)} with {@code R = Rz(rz) Ry(ry) Rx(rx)} for a row-major 3x3 rotation. In gimbal
   * lock ({@code cos ry ~ 0}) only {@code rx - rz} or {@code rx + rz} is determined; we return {@code rz = 0}.
   */
  public static double[] eulerAnglesZyx(double[] rotation) {
    if (rotation.length != 9) {
      throw new IllegalArgumentException("a 3D rotation has 9 entries, got " + rotation.length);
    }
    double r00 = rotation[0];
    double r10 = rotation[3];
    double r20 = rotation[6];
    double cosY = Math.hypot(r00, r10);
    double ry = Math.atan2(-r20, cosY);
    if (cosY < GIMBAL_LOCK_COS) {
      // R = Ry Rx once rz = 0: row 1 is (0, cos rx, -sin rx).
      return new double[] {Math.atan2(-rotation[5], rotation[4]), ry, 0};
    }
    double rx = Math.atan2(rotation[7], rotation[8]);
    double rz = Math.atan2(r10, r00);
    return new double[] {rx, ry, rz};
  }

  /** {@code {Q, U}} with {@code A = Q U}, {@code Q} orthonormal, {@code U} upper triangular with a positive diagonal. */
  static double[][] qr(double[] a, int d) {
    double[] q = new double[d * d];
    double[] u = new double[d * d];
    double scale = 0;
    for (double v : a) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int col = 0; col < d; col++) {
      double[] v = new double[d];
      for (int r = 0; r < d; r++) {
        v[r] = a[r * d + col];
      }
      // Two Gram-Schmidt passes keep Q orthonormal to rounding even for strongly sheared A.
      for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < col; k++) {
          double dot = 0;
          for (int r = 0; r < d; r++) {
            dot += q[r * d + k] * v[r];
          }
          u[k * d + col] += dot;
          for (int r = 0; r < d; r++) {
            v[r] -= dot * q[r * d + k];
          }
        }
      }
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      if (!(norm > 1e-12 * scale)) {
        throw new IllegalArgumentException("matrix is singular (column " + col + " depends on the others): "
            + Arrays.toString(a));
      }
      u[col * d + col] = norm;
      for (int r = 0; r < d; r++) {
        q[r * d + col] = v[r] / norm;
      }
    }
    return new double[][] {q, u};
  }
}
