package org.warpspark.pair;

import org.warpspark.engine.IntensityWindow;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.ReadLimits;

/**
 * The images of one pair, read from its {@link PairSpec}'s URIs.
 *
 * @param fixedMask null, or a mask on the fixed grid
 * @param fixedLabels null, or a label map on the fixed grid
 * @param movingLabels null, or a label map on the moving grid
 */
public record PairImages(Image fixed, Image moving, Image fixedMask, Image fixedLabels, Image movingLabels) {

  public static PairImages read(PairSpec spec, Configuration conf, ReadLimits limits) {
    return new PairImages(ImageFiles.read(spec.fixed(), conf, limits), ImageFiles.read(spec.moving(), conf, limits),
        optional(spec.fixedMask(), conf, limits), optional(spec.fixedLabels(), conf, limits),
        optional(spec.movingLabels(), conf, limits));
  }

  private static Image optional(String uri, Configuration conf, ReadLimits limits) {
    return uri == null ? null : ImageFiles.read(uri, conf, limits);
  }

  /**
   * The pair as the registration sees it: fixed and moving intensities windowed to about [0, 1]
   * ({@link IntensityWindow}); masks and labels as they are.
   */
  public PairImages windowed() {
    return new PairImages(IntensityWindow.normalise(fixed), IntensityWindow.normalise(moving), fixedMask, fixedLabels,
        movingLabels);
  }

  /** Both label maps are given: Dice per label can be measured. */
  public boolean labelled() {
    return fixedLabels != null && movingLabels != null;
  }
}
