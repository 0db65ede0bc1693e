package org.warpspark.engine.optim;

/**
 * Learning rate that falls from {@code start} to {@code start * finalFraction} along half a cosine
 * over a level's iterations: large early steps to travel, small late steps so stochastic gradients
 * settle to sub-voxel precision instead of jittering at the step size.
 */
public record CosineSchedule(double start, double finalFraction, int iterations) {

  public double at(int iteration) {
    double progress = iterations <= 1 ? 1 : Math.min(1, iteration / (double) (iterations - 1));
    double end = start * finalFraction;
    return end + (start - end) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}
