package org.warpspark.pair;

import org.warpspark.udfs.WarpsparkException;

/**
 * A stage of a pair failed; the stages before it finished and their results are kept. The cause is
 * what the stage threw (bad input, divergence, out of memory).
 */
public final class StageFailure extends WarpsparkException {
  private static final long serialVersionUID = 1L;
  private final String stage;
  private final transient PairResult finished;
  private final double seconds;

  StageFailure(String stage, PairResult finished, double seconds, Throwable cause) {
    super(stage + " stage failed: " + cause, cause);
    this.stage = stage;
    this.finished = finished;
    this.seconds = seconds;
  }

  /** How long the failed stage ran. */
  public double seconds() {
    return seconds;
  }

  /** {@link PairResult#AFFINE} or {@link PairResult#DEFORMABLE}. */
  public String stage() {
    return stage;
  }

  /** The stages before the failed one. */
  public PairResult finished() {
    return finished;
  }
}
