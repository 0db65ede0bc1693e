package org.warpspark.engine.affine;

import org.warpspark.engine.sample.FixedVoxels;

/**
 * One pyramid level's objective: given fixed samples (voxel indices of the level's fixed image) and
 * the matrix that maps them into the moving image's sampling frame ({@link #frames()}), the loss and
 * its gradient to that matrix. The arrays it needs live in the manager it was made with.
 */
interface LevelObjective {

  /** The frames the matrix connects. */
  LevelFrames frames();

  /** Loss, and dLoss/dMatrix (row-major {@code d x (d+1)}) when {@code withGradient}, else null. */
  Step evaluate(FixedVoxels.Draw draw, float[] matrix, boolean withGradient);

  record Step(double loss, float[] gradientToMatrix) {}
}
