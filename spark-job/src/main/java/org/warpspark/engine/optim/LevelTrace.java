package org.warpspark.engine.optim;

/** What happened at one pyramid level: its factor, the loss at every iteration, and whether it converged. */
public record LevelTrace(int factor, double[] losses, boolean converged) {
  public int iterations() {
    return losses.length;
  }
}
