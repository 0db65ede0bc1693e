package org.warpspark.engine.optim;

/**
 * Ends a level on a cosine schedule, or earlier: once the loss has stopped improving, the rate is
 * annealed to the schedule's final size over one more window, whose iterates are averaged, so the
 * result settles. Without convergence the schedule's last window is averaged. The affine stage's
 * ending.
 */
public final class AnnealOnConvergence implements LevelLoop.Ending {
  private final CosineSchedule schedule;
  private final SlopeConvergence convergence;
  private final int window;
  private final int maxIterations;
  private int end;
  private int done;
  private CosineSchedule tail;

  public AnnealOnConvergence(CosineSchedule schedule, int window, double tolerance) {
    this.schedule = schedule;
    this.convergence = new SlopeConvergence(window, tolerance);
    this.window = window;
    this.maxIterations = schedule.iterations();
    this.end = maxIterations;
  }

  @Override
  public boolean finished() {
    return done >= end;
  }

  @Override
  public double rate() {
    return tail == null ? schedule.at(done) : tail.at(done - (end - tail.iterations()));
  }

  @Override
  public boolean finalWindow() {
    return done >= end - window;
  }

  @Override
  public boolean averaging() {
    return finalWindow();
  }

  @Override
  public boolean advance(double loss, double rate) {
    done++;
    if (tail == null && convergence.add(loss)) {
      int tailLength = Math.min(window, maxIterations - done);
      tail = new CosineSchedule(rate, schedule.at(maxIterations - 1) / rate, tailLength);
      end = done + tailLength;
      return true;
    }
    return false;
  }

  @Override
  public boolean converged() {
    return tail != null;
  }
}
