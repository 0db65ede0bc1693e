package org.warpspark.udfs.spatial;

/**
 * A motion parametrised the way it moves: translation (mm), rotation angles (radians), log-scales
 * and shears, about a centre. {@code T(x) = R S K (x - c) + c + t}; see {@link org.warpspark.udfs.spatial}.
 * 2D has one angle (about z) and one shear ({@code k_xy}); 3D has {@code rx, ry, rz} with
 * {@code R = Rz Ry Rx} and shears {@code k_xy, k_xz, k_yz} above the diagonal of {@code K}.
 * The arrays are owned by the record (mutable on purpose, for building).
 */
public record MotionParameters(double[] translation, double[] angles, double[] logScales, double[] shears) {

  public static MotionParameters identity(int dim) {
    return new MotionParameters(new double[dim], new double[TransformModel.angleCount(dim)], new double[dim],
        new double[TransformModel.shearCount(dim)]);
  }

  /** A rigid motion: {@code translation} (mm) and {@code angles} (radians), unit scales, no shear. */
  public static MotionParameters rigid(double[] translation, double[] angles) {
    MotionParameters p = identity(translation.length);
    if (angles.length != p.angles.length) {
      throw new IllegalArgumentException("a " + translation.length + "D rigid motion has " + p.angles.length
          + " angles, got " + angles.length);
    }
    System.arraycopy(translation, 0, p.translation, 0, translation.length);
    System.arraycopy(angles, 0, p.angles, 0, angles.length);
    return p;
  }

  public int dim() {
    return translation.length;
  }

  /** The rotation matrix {@code R}, row-major. */
  public double[] rotation() {
    if (dim() == 2) {
      double c = Math.cos(angles[0]);
      double s = Math.sin(angles[0]);
      return new double[] {c, -s, s, c};
    }
    double cx = Math.cos(angles[0]), sx = Math.sin(angles[0]);
    double cy = Math.cos(angles[1]), sy = Math.sin(angles[1]);
    double cz = Math.cos(angles[2]), sz = Math.sin(angles[2]);
    double[] rx = {1, 0, 0, 0, cx, -sx, 0, sx, cx};
    double[] ry = {cy, 0, sy, 0, 1, 0, -sy, 0, cy};
    double[] rz = {cz, -sz, 0, sz, cz, 0, 0, 0, 1};
    return Linear.multiply(rz, Linear.multiply(ry, rx, 3), 3);
  }

  /** The linear part {@code A = R S K}, row-major. */
  public double[] linear() {
    int d = dim();
    double[] sk = new double[d * d];
    for (int i = 0; i < d; i++) {
      sk[i * d + i] = 1;
    }
    if (d == 2) {
      sk[1] = shears[0];
    } else {
      sk[1] = shears[0];
      sk[2] = shears[1];
      sk[5] = shears[2];
    }
    for (int r = 0; r < d; r++) {
      double s = Math.exp(logScales[r]);
      for (int c = 0; c < d; c++) {
        sk[r * d + c] *= s;
      }
    }
    return Linear.multiply(rotation(), sk, d);
  }

  /** The homogeneous matrix of {@code x -> A (x - c) + c + t}. */
  public Affine toAffine(double[] center) {
    return Centered.toAffine(linear(), translation, center);
  }
}
