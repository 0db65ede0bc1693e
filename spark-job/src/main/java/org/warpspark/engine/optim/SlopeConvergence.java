package org.warpspark.engine.optim;

/**
 * Stops a level when the loss no longer falls: the least-squares slope of the last {@code window}
 * losses, times the window length, is below {@code tolerance} of the loss scale. A slope over a
 * window rather than the last step is robust to the noise of stochastic voxel subsets.
 */
public final class SlopeConvergence {
  private final int window;
  private final double tolerance;
  private final double[] recent;
  private int count;

  public SlopeConvergence(int window, double tolerance) {
    if (window < 3) {
      throw new IllegalArgumentException("convergence window must be at least 3 iterations, got " + window);
    }
    this.window = window;
    this.tolerance = tolerance;
    this.recent = new double[window];
  }

  /** Records a loss; true when the level has converged. */
  public boolean add(double loss) {
    recent[count % window] = loss;
    count++;
    return count >= window && Math.abs(relativeDrop()) < tolerance;
  }

  /** Fitted loss change over the window divided by the mean absolute loss (negative while improving). */
  public double relativeDrop() {
    int n = Math.min(count, window);
    double meanX = (n - 1) / 2.0;
    double meanY = 0;
    double scale = 0;
    for (int i = 0; i < n; i++) {
      double y = recent[(count - n + i) % window];
      meanY += y / n;
      scale += Math.abs(y) / n;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      double y = recent[(count - n + i) % window];
      sxy += (i - meanX) * (y - meanY);
      sxx += (i - meanX) * (i - meanX);
    }
    return sxx == 0 ? 0 : sxy / sxx * n / Math.max(scale, 1e-12);
  }
}
