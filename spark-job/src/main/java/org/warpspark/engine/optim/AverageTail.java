package org.warpspark.engine.optim;

/**
 * Follows a cosine schedule and averages the iterates of its low-rate tail (the last
 * {@code averagedFraction} of it). Once the loss stops improving, a coarse level ends, and the finest
 * skips ahead to the tail rather than stopping at a high, noisy rate. The deformable stage's ending.
 */
public final class AverageTail implements LevelLoop.Ending {
  private final CosineSchedule schedule;
  private final SlopeConvergence convergence;
  private final boolean finest;
  private final int averageFrom;
  private int position;
  private boolean converged;

  public AverageTail(CosineSchedule schedule, int window, double tolerance, double averagedFraction, boolean finest) {
    this.schedule = schedule;
    this.convergence = new SlopeConvergence(window, tolerance);
    this.finest = finest;
    this.averageFrom = (int) Math.ceil(schedule.iterations() * (1 - averagedFraction));
  }

  @Override
  public boolean finished() {
    return position >= schedule.iterations() || converged && !finest;
  }

  @Override
  public double rate() {
    return schedule.at(position);
  }

  @Override
  public boolean finalWindow() {
    return false;
  }

  @Override
  public boolean averaging() {
    return finest && position >= averageFrom;
  }

  @Override
  public boolean advance(double loss, double rate) {
    position++;
    if (!converged && convergence.add(loss)) {
      converged = true;
      position = Math.max(position, averageFrom);
    }
    return false;
  }

  @Override
  public boolean converged() {
    return converged;
  }
}
