package org.warpspark.engine.affine;

import ai.djl.ndarray.NDArray;
import org.warpspark.engine.sample.SampleStack;

/**
 * One pyramid level's objective for registrations optimised together: given each member's window of
 * fixed samples (voxel indices of the level's fixed image) and the matrix that maps them into its
 * moving image's sampling frame ({@link #frames}), each member's loss and its gradient to that matrix.
 * Its own arrays (the moving images) live in the manager it was made with.
 */
interface LevelObjective {

  /** The frames member {@code member}'s matrix connects. */
  LevelFrames frames(int member);

  /**
   * Losses of {@code members} (ascending), and dLoss/dMatrix (row-major {@code d x (d+1)} each) when
   * {@code withGradient}, else null. {@code windows} are the members' rows of
   * {@link SampleStack#windows}; every temporary belongs to their manager (the caller's per-step scope).
   */
  Steps evaluate(SampleStack samples, int[] members, NDArray windows, float[][] matrices, boolean withGradient);

  record Steps(double[] losses, float[][] gradientsToMatrix) {}
}
