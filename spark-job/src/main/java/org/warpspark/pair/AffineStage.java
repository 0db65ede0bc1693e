package org.warpspark.pair;

import java.util.Map;
import org.warpspark.engine.affine.AffineResult;
import org.warpspark.udfs.spatial.FixedToMoving;

/**
 * The affine stage of a pair: the optimiser's result, the moving image before (no transform) and
 * after, the stage's wall time (registration and metrics) and where it went ({@link StageClock}).
 */
public record AffineStage(AffineResult result, Warped before, Warped after, double seconds,
    Map<String, Double> timings) {
  public FixedToMoving map() {
    return new FixedToMoving.Linear(result.fixedToMoving());
  }
}
