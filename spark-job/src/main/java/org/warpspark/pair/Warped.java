package org.warpspark.pair;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.warpspark.engine.sample.Warper;
import org.warpspark.image.Image;
import org.warpspark.udfs.metric.Dice;
import org.warpspark.udfs.metric.ImageSimilarity;
import org.warpspark.udfs.spatial.FixedToMoving;

/**
 * The moving image (and its label map) on the fixed grid through one map, and how well it matches the
 * fixed image there (inside the fixed mask, if any).
 *
 * @param labels null, or the moving label map warped by nearest neighbour
 * @param dice null, or Dice per label against the fixed label map (when both maps are given)
 */
public record Warped(Image image, Image labels, double mse, double ncc, double mi, Map<Integer, Double> dice) {

  /** The moving image through {@code map}, measured; {@code clock} gets the warp, metrics and Dice seconds. */
  public static Warped through(PairImages in, FixedToMoving map, NDManager manager, StageClock clock) {
    Image image = clock.time(StageClock.WARP,
        () -> Warper.warp(in.moving(), in.fixed().grid(), map, Warper.Interpolation.LINEAR, manager));
    Image labels = in.movingLabels() == null ? null : clock.time(StageClock.WARP,
        () -> Warper.warp(in.movingLabels(), in.fixed().grid(), map, Warper.Interpolation.NEAREST, manager));
    Map<Integer, Double> dice = in.labelled()
        ? clock.time(StageClock.DICE, () -> Dice.perLabel(in.fixedLabels().voxels(), labels.voxels())) : null;
    float[] fixed = in.fixed().voxels();
    float[] mask = in.fixedMask() == null ? null : in.fixedMask().voxels();
    return clock.time(StageClock.METRICS, () -> new Warped(image, labels,
        ImageSimilarity.meanSquaredError(fixed, image.voxels(), mask),
        ImageSimilarity.normalisedCrossCorrelation(fixed, image.voxels(), mask),
        ImageSimilarity.mutualInformation(fixed, image.voxels(), mask), dice));
  }
}
