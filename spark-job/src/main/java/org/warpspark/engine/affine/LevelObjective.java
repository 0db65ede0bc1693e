package org.warpspark.engine.affine;

import org.warpspark.engine.sample.FixedVoxels;
import org.warpspark.udfs.spatial.Affine;

/**
 * One pyramid level's objective: given fixed samples and the matrix that maps fixed physical points
 * into {@link #frame()} of the level's moving image, the loss and its gradient to that matrix. The
 * arrays it needs live in the manager it was made with (the level's scope).
 */
interface LevelObjective {

  /** The moving frame the matrix maps into, as a map from moving physical points. */
  Affine frame();

  /** Loss, and dLoss/dMatrix (row-major {@code d x (d+1)}) when {@code withGradient}, else null. */
  Step evaluate(FixedVoxels.Draw draw, float[] matrix, boolean withGradient);

  record Step(double loss, float[] gradientToMatrix) {}
}
