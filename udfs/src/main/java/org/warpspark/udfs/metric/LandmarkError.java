package org.warpspark.udfs.metric;

import java.util.Arrays;
import java.util.List;

/**
 * Target registration error: how far mapped landmarks lie from where they should (the corresponding
 * landmarks of the other image), in millimetres, landmark by landmark in list order.
 */
public final class LandmarkError {
  private LandmarkError() {}

  /** Mean, median and largest distance over {@code count} landmarks (mm). */
  public record Summary(int count, double meanMm, double medianMm, double maxMm) {}

  /** The distance of each mapped landmark from its target; both lists in the same order and of one size. */
  public static double[] distances(List<double[]> mapped, List<double[]> targets) {
    if (mapped.size() != targets.size()) {
      throw new IllegalArgumentException(mapped.size() + " landmarks but " + targets.size() + " targets; they pair "
          + "up row by row");
    }
    double[] d = new double[mapped.size()];
    for (int i = 0; i < d.length; i++) {
      double[] p = mapped.get(i);
      double[] q = targets.get(i);
      if (p.length != q.length) {
        throw new IllegalArgumentException("landmark " + i + " has " + p.length + " coordinates, its target " + q.length);
      }
      double s = 0;
      for (int a = 0; a < p.length; a++) {
        s += (p[a] - q[a]) * (p[a] - q[a]);
      }
      d[i] = Math.sqrt(s);
    }
    return d;
  }

  public static Summary summary(double[] distances) {
    if (distances.length == 0) {
      return new Summary(0, Double.NaN, Double.NaN, Double.NaN);
    }
    double[] sorted = distances.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Summary(n, Arrays.stream(sorted).average().orElseThrow(), median, sorted[n - 1]);
  }
}
