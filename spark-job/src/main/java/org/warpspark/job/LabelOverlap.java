package org.warpspark.job;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.warpspark.engine.affine.AffineResult;
import org.warpspark.engine.deformable.DeformableResult;
import org.warpspark.engine.sample.Warper;
import org.warpspark.image.Image;
import org.warpspark.udfs.metric.Dice;
import org.warpspark.udfs.spatial.Affine;

/**
 * Dice per label of the fixed label map against the moving one warped (nearest neighbour) by no
 * transform, by the affine result, and by the deformable result when there is one.
 */
record LabelOverlap(Map<String, Map<Integer, Double>> diceByStage) {

  static LabelOverlap of(Image fixedLabels, Image movingLabels, AffineResult affine, DeformableResult refined,
      NDManager manager) {
    Map<String, Map<Integer, Double>> dice = new LinkedHashMap<>();
    dice.put("none", dice(fixedLabels, Warper.warp(movingLabels, fixedLabels.grid(),
        Affine.identity(fixedLabels.dim()), Warper.Interpolation.NEAREST, manager)));
    dice.put("affine", dice(fixedLabels, Warper.warp(movingLabels, fixedLabels.grid(), affine.fixedToMoving(),
        Warper.Interpolation.NEAREST, manager)));
    if (refined != null) {
      dice.put("deformable", dice(fixedLabels, Warper.warp(movingLabels, refined.fixedToMoving(),
          Warper.Interpolation.NEAREST, manager)));
    }
    return new LabelOverlap(dice);
  }

  private static Map<Integer, Double> dice(Image fixedLabels, Image warpedMovingLabels) {
    return Dice.perLabel(fixedLabels.voxels(), warpedMovingLabels.voxels());
  }
}
