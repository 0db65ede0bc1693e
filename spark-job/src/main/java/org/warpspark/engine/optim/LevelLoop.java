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

  /**
   * What a batch of registrations optimised in lockstep steps: one objective evaluation per
   * iteration for every member still running, then each member's own step, average and ending.
   */
  public interface Iterates {
    /**
     * Evaluates the objective at the parameters of {@code members} (ascending) and steps each at its
     * rate; returns their losses in that order. A member whose step failed is reported by {@link #failed}.
     */
    double[] step(int iteration, int[] members, double[] rates, boolean[] finalWindows);

    /** Whether {@code member}'s last step failed: it leaves the batch, its level unfinished. */
    default boolean failed(int member) {
      return false;
    }

    void addToAverage(int member);

    void restartAverage(int member);

    void applyAverage(int member);
  }

  /** Runs one level of at most {@code maxIterations}; the trace holds the loss of every iteration. */
  public static LevelTrace run(int factor, int maxIterations, Ending ending, Iterate iterate) {
    return runTogether(factor, maxIterations, new Ending[] {ending}, new Iterates() {
      @Override
      public double[] step(int iteration, int[] members, double[] rates, boolean[] finalWindows) {
        return new double[] {iterate.step(iteration, rates[0], finalWindows[0])};
      }

      @Override
      public void addToAverage(int member) {
        iterate.addToAverage();
      }

      @Override
      public void restartAverage(int member) {
        iterate.restartAverage();
      }

      @Override
      public void applyAverage(int member) {
        iterate.applyAverage();
      }
    })[0];
  }

  /**
   * Runs one level for every member together: each iteration steps the members whose ending has not
   * finished, so every member sees exactly the rates, windows and iterations it would see alone.
   * A failed member's trace is null.
   */
  public static LevelTrace[] runTogether(int factor, int maxIterations, Ending[] endings, Iterates iterates) {
    int count = endings.length;
    double[][] losses = new double[count][maxIterations];
    int[] steps = new int[count];
    boolean[] failed = new boolean[count];
    int done = 0;
    while (true) {
      int[] members = running(endings, failed);
      if (members.length == 0) {
        break;
      }
      if (Thread.currentThread().isInterrupted()) {
        // A watchdog gave up on this pair (its time limit): end now rather than finish unseen work.
        throw new CancellationException("the registration was stopped at iteration " + done + " of a level");
      }
      double[] rates = new double[members.length];
      boolean[] finalWindows = new boolean[members.length];
      boolean[] averaging = new boolean[members.length];
      for (int k = 0; k < members.length; k++) {
        Ending ending = endings[members[k]];
        averaging[k] = ending.averaging();
        rates[k] = ending.rate();
        finalWindows[k] = ending.finalWindow();
      }
      double[] stepped = iterates.step(done, members, rates, finalWindows);
      for (int k = 0; k < members.length; k++) {
        int m = members[k];
        if (iterates.failed(m)) {
          failed[m] = true;
          continue;
        }
        losses[m][steps[m]++] = stepped[k];
        if (averaging[k]) {
          iterates.addToAverage(m);
        }
        if (endings[m].advance(stepped[k], rates[k])) {
          iterates.restartAverage(m);
        }
      }
      done++;
    }
    LevelTrace[] traces = new LevelTrace[count];
    for (int m = 0; m < count; m++) {
      if (!failed[m]) {
        iterates.applyAverage(m);
        traces[m] = new LevelTrace(factor, Arrays.copyOf(losses[m], steps[m]), endings[m].converged());
      }
    }
    return traces;
  }

  private static int[] running(Ending[] endings, boolean[] failed) {
    int[] members = new int[endings.length];
    int n = 0;
    for (int m = 0; m < endings.length; m++) {
      if (!failed[m] && !endings[m].finished()) {
        members[n++] = m;
      }
    }
    return Arrays.copyOf(members, n);
  }
}
