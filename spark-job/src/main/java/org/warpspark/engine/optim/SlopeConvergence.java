package org.warpspark.engine.optim;

/**
 * Says when a level has stopped improving: the least-squares slope of the last {@code window} losses,
 * times the window length, is below {@code tolerance} of the improvement made since the level's first
 * loss. Measuring against the improvement, not the loss itself, makes the rule independent of a loss's
 * offset and scale (NCC sits near -1, MSE near 0); a slope over a window, not the last step, is robust
 * to the noise of random voxel subsets.
 */
public final class SlopeConvergence {
  private final int window;
  private final double tolerance;
  private final double[] recent;
  private double first = Double.NaN;
  private int count;

  public SlopeConvergence(int window, double tolerance) {
    if (window < 3) {
      throw new IllegalArgumentException("convergence window must be at least 3 iterations, got " + window);
    }
    this.window = window;
    this.tolerance = tolerance;
    this.recent = new double[window];
  }

  /** Records a loss; true once the level has converged. */
  public boolean add(double loss) {
    if (count == 0) {
      first = loss;
    }
    recent[count % window] = loss;
    count++;
    return count >= 2 * window && Math.abs(relativeChange()) < tolerance;
  }

  /** Fitted loss change over the window as a fraction of the improvement so far (negative while improving). */
  public double relativeChange() {
    int n = Math.min(count, window);
    double meanX = (n - 1) / 2.0;
    double meanY = 0;
    for (int i = 0; i < n; i++) {
      meanY += recent[(count - n + i) % window] / n;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      double y = recent[(count - n + i) % window];
      sxy += (i - meanX) * (y - meanY);
      sxx += (i - meanX) * (i - meanX);
    }
    double improvement = Math.max(first - meanY, 1e-9 * Math.abs(first) + 1e-30);
    return sxx == 0 ? 0 : sxy / sxx * n / improvement;
  }
}
