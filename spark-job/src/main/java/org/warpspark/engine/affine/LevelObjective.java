package org.warpspark.engine.affine;

import org.warpspark.engine.sample.SamplePool;

/**
 * One pyramid level's objective: given fixed samples (voxel indices of the level's fixed image) and
 * the matrix that maps them into the moving image's sampling frame ({@link #frames()}), the loss and
 * its gradient to that matrix. Its own arrays (the moving image) live in the manager it was made with.
 */
interface LevelObjective {

  /** The frames the matrix connects. */
  LevelFrames frames();

  /**
   * Loss, and dLoss/dMatrix (row-major {@code d x (d+1)}) when {@code withGradient}, else null. Every
   * temporary belongs to the batch's manager (the caller's per-step scope).
   */
  Step evaluate(SamplePool.Batch batch, float[] matrix, boolean withGradient);

  record Step(double loss, float[] gradientToMatrix) {}
}
