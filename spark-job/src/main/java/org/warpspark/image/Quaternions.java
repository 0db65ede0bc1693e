package org.warpspark.image;

/** Unit quaternions for the NIfTI qform, which stores only {@code (b, c, d)} with {@code a >= 0}. */
final class Quaternions {
  private Quaternions() {}

  /**
   * The {@code (b, c, d)} of the unit quaternion {@code (a, b, c, d)}, {@code a >= 0}, of a proper
   * row-major 3x3 rotation. Takes the square root of the largest diagonal combination
   * (Shepperd's method) so no branch divides by a small number.
   */
  static double[] fromRotation(double[] r) {
    double trace = r[0] + r[4] + r[8];
    double a;
    double b;
    double c;
    double d;
    if (trace > 0) {
      double s = 2 * Math.sqrt(1 + trace);
      a = s / 4;
      b = (r[7] - r[5]) / s;
      c = (r[2] - r[6]) / s;
      d = (r[3] - r[1]) / s;
    } else if (r[0] >= r[4] && r[0] >= r[8]) {
      double s = 2 * Math.sqrt(1 + r[0] - r[4] - r[8]);
      a = (r[7] - r[5]) / s;
      b = s / 4;
      c = (r[1] + r[3]) / s;
      d = (r[2] + r[6]) / s;
    } else if (r[4] >= r[8]) {
      double s = 2 * Math.sqrt(1 + r[4] - r[0] - r[8]);
      a = (r[2] - r[6]) / s;
      b = (r[1] + r[3]) / s;
      c = s / 4;
      d = (r[5] + r[7]) / s;
    } else {
      double s = 2 * Math.sqrt(1 + r[8] - r[0] - r[4]);
      a = (r[3] - r[1]) / s;
      b = (r[2] + r[6]) / s;
      c = (r[5] + r[7]) / s;
      d = s / 4;
    }
    double sign = a < 0 ? -1 : 1;
    return new double[] {sign * b, sign * c, sign * d};
  }
}
