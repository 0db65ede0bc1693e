package org.warpspark.engine.affine;

import java.util.List;
import org.warpspark.engine.optim.LevelTrace;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.TransformModel;

/**
 * The outcome of an affine registration.
 *
 * @param parameters the model's parameter vector (mm and radians; layout in {@link TransformModel})
 * @param centre centre of rotation in fixed physical space (mm, LPS)
 * @param fixedToMoving the resulting map of fixed physical points to moving physical points
 * @param initialLoss loss of the starting transform on a fixed, deterministic voxel subset
 * @param finalLoss loss of the result on the same subset
 * @param keptStart the optimisation ended worse than it started, so the result is the starting transform
 */
public record AffineResult(TransformModel model, double[] parameters, double[] centre, Affine fixedToMoving,
    List<LevelTrace> levels, double initialLoss, double finalLoss, boolean keptStart, double seconds) {

  public int totalIterations() {
    return levels.stream().mapToInt(LevelTrace::iterations).sum();
  }
}
