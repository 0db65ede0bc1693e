package org.warpspark.pair;

import org.apache.hadoop.conf.Configuration;
import org.warpspark.engine.IntensityWindow;
import org.warpspark.engine.InvalidPairException;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.ReadLimits;
import org.warpspark.storage.InputUris;

/**
 * The images of one pair, read from its {@link PairSpec}'s URIs.
 *
 * @param fixedMask null, or a mask on the fixed grid
 * @param fixedLabels null, or a label map on the fixed grid
 * @param movingLabels null, or a label map on the moving grid
 */
public record PairImages(Image fixed, Image moving, Image fixedMask, Image fixedLabels, Image movingLabels) {
  /** Relative tolerance of grid comparisons, as the engine checks masks. */
  private static final double GRID_TOLERANCE = 1e-4;

  /**
   * Reads the pair and refuses what cannot be registered or measured: a constant fixed or moving image
   * (nothing to align), and a mask or label map that does not lie on its image's grid (its voxels
   * would be compared with the wrong places).
   */
  public static PairImages read(PairSpec spec, Configuration conf, ReadLimits limits) {
    Image fixed = ImageFiles.read(spec.fixed(), conf, limits);
    Image moving = ImageFiles.read(spec.moving(), conf, limits);
    varying(fixed, "fixed image", spec.fixed());
    varying(moving, "moving image", spec.moving());
    return new PairImages(fixed, moving, onGrid(spec.fixedMask(), fixed, "fixed mask", conf, limits),
        onGrid(spec.fixedLabels(), fixed, "fixed label map", conf, limits),
        onGrid(spec.movingLabels(), moving, "moving label map", conf, limits));
  }

  private static void varying(Image image, String what, String uri) {
    float[] v = image.voxels();
    for (float x : v) {
      if (x != v[0]) {
        return;
      }
    }
    throw new InvalidPairException("the " + what + " " + InputUris.redacted(uri) + " is constant (every voxel "
        + (v.length == 0 ? "-" : v[0]) + "): there is nothing to register");
  }

  private static Image onGrid(String uri, Image image, String what, Configuration conf, ReadLimits limits) {
    if (uri == null) {
      return null;
    }
    Image read = ImageFiles.read(uri, conf, limits);
    if (!read.grid().sameGeometry(image.grid(), GRID_TOLERANCE)) {
      throw new InvalidPairException("the " + what + " " + InputUris.redacted(uri) + " does not lie on its image's "
          + "grid: " + read.grid() + " against " + image.grid());
    }
    return read;
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
