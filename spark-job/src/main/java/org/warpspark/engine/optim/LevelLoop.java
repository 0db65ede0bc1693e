package org.warpspark.engine.optim;

import java.util.Arrays;
import java.util.concurrent.CancellationException;

/**
 * The loop of one pyramid level, shared by every stage: each iteration steps the parameters at the
 * rate the {@link Ending} gives and records the loss; the ending watches the loss, says which
 * iterates are averaged and when the level is over; the level ends on that average, if any was taken
 * (Polyak-Ruppert averaging, which removes most of the jitter that random voxel subsets leave).
 */
public final class LevelLoop {
  private LevelLoop() {}

  /** What a stage optimises: its parameters, the objective's step, and a running mean of iterates. */
  public interface Iterate {
    /**
     * Evaluates the objective at the current parameters and steps them at {@code rate}; returns the
     * loss it evaluated. Throws when the loss is not finite.
     *
     * @param finalWindow whether this is one of the last iterates the level may average
     */
    double step(int iteration, double rate, boolean finalWindow);

    void addToAverage();

    void restartAverage();

    /** Replaces the parameters by the mean of the averaged iterates, if there were any. */
    void applyAverage();
  }

  /** When a level ends, at which rates, and which of its iterates are averaged. */
  public interface Ending {
    boolean finished();

    double rate();

    /** Whether the coming iterate is among the last ones, which the objective may sample more densely. */
    boolean finalWindow();

    /** Whether the coming iterate, once stepped, joins the average. */
    boolean averaging();

    /** Records the loss of the iterate just taken at {@code rate}; true when the average must start over. */
    boolean advance(double loss, double rate);

    /** Whether the loss had stopped improving before the level ended. */
    boolean converged();
  }

  /** Runs one level of at most {@code maxIterations}; the trace holds the loss of every iteration. */
  public static LevelTrace run(int factor, int maxIterations, Ending ending, Iterate iterate) {
    double[] losses = new double[maxIterations];
    int done = 0;
    while (!ending.finished()) {
      if (Thread.currentThread().isInterrupted()) {
        // A watchdog gave up on this pair (its time limit): end now rather than finish unseen work.
        throw new CancellationException("the registration was stopped at iteration " + done + " of a level");
      }
      boolean averaging = ending.averaging();
      double rate = ending.rate();
      double loss = iterate.step(done, rate, ending.finalWindow());
      losses[done++] = loss;
      if (averaging) {
        iterate.addToAverage();
      }
      if (ending.advance(loss, rate)) {
        iterate.restartAverage();
      }
    }
    iterate.applyAverage();
    return new LevelTrace(factor, Arrays.copyOf(losses, done), ending.converged());
  }
}
