package org.warpspark.udfs.sql;

/** Length statistics of displacement vectors stored component-wise. */
final class FlowMagnitude {
  private FlowMagnitude() {}

  /** {mean, max} of |u| over the vectors; {@code uz} empty for 2D. */
  static double[] of(float[] ux, float[] uy, float[] uz) {
    if (ux.length != uy.length || (uz.length != 0 && uz.length != ux.length)) {
      throw new IllegalArgumentException("flow components differ in length: " + ux.length + ", " + uy.length + ", "
          + uz.length);
    }
    double sum = 0;
    double max = 0;
    for (int i = 0; i < ux.length; i++) {
      double z = uz.length == 0 ? 0 : uz[i];
      double length = Math.sqrt(ux[i] * ux[i] + uy[i] * uy[i] + z * z);
      sum += length;
      max = Math.max(max, length);
    }
    return new double[] {ux.length == 0 ? Double.NaN : sum / ux.length, max};
  }
}
