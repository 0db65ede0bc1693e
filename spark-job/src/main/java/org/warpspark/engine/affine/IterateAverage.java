package org.warpspark.engine.affine;

/** Running mean of parameter vectors (the iterates of a level's last window). */
final class IterateAverage {
  private final double[] sum;
  private int count;

  IterateAverage(int size) {
    sum = new double[size];
  }

  void add(double[] q) {
    for (int i = 0; i < q.length; i++) {
      sum[i] += q[i];
    }
    count++;
  }

  /** Replaces {@code q} by the mean, if anything was added. */
  void copyInto(double[] q) {
    if (count == 0) {
      return;
    }
    for (int i = 0; i < q.length; i++) {
      q[i] = sum[i] / count;
    }
  }
}
