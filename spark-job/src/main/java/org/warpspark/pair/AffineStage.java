package org.warpspark.pair;

import org.warpspark.engine.affine.AffineResult;
import org.warpspark.udfs.spatial.FixedToMoving;

/**
 * The affine stage of a pair: the optimiser's result, the moving image before (no transform) and
 * after, and the stage's wall time (registration and metrics).
 */
public record AffineStage(AffineResult result, Warped before, Warped after, double seconds) {
  public FixedToMoving map() {
    return new FixedToMoving.Linear(result.fixedToMoving());
  }
}
