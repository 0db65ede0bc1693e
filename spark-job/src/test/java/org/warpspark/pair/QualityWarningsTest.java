package org.warpspark.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.warpspark.engine.affine.AffineResult;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.TransformModel;

/** Each warning from the values that raise it, and none for a stage that went well. */
class QualityWarningsTest {
  private static AffineStage stage(boolean keptStart, double finalLoss, Warped before, Warped after) {
    AffineResult result = new AffineResult(TransformModel.RIGID, new double[3], new double[2], Affine.identity(2),
        List.of(), 1.0, finalLoss, keptStart, 0);
    return new AffineStage(result, before, after, 0, java.util.Map.of());
  }

  private static Warped warped(double mse, double ncc, double mi) {
    return new Warped(null, null, mse, ncc, mi, null);
  }

  @Test
  void aStageThatWentWellHasNone() {
    assertEquals(List.of(), QualityWarnings.affine(stage(false, 0.5, warped(2, 0.5, 0.2), warped(1, 0.9, 0.6))));
  }

  @Test
  void eachProblemIsNamed() {
    assertEquals(List.of("kept its start: the optimisation ended worse than it started by its own loss"),
        QualityWarnings.affine(stage(true, 1.0, warped(2, 0.5, 0.2), warped(2, 0.5, 0.2))));
    assertEquals(List.of("final_loss is not a number (NaN)", "ncc_after is not a number (NaN)"),
        QualityWarnings.affine(stage(false, Double.NaN, warped(2, 0.5, 0.2), warped(1, Double.NaN, 0.6))));
    assertEquals(List.of("the warped image matches worse than before by every measure (ncc 0.5 -> 0.4, mi 0.2 -> "
        + "0.1, mse 2 -> 3)"), QualityWarnings.affine(stage(false, 0.5, warped(2, 0.5, 0.2), warped(3, 0.4, 0.1))));
  }
}
