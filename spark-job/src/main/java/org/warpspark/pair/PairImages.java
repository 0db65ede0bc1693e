package org.warpspark.pair;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.engine.IntensityWindow;
import org.warpspark.engine.InvalidPairException;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.ReadLimits;
import org.warpspark.storage.InputUris;
import org.warpspark.udfs.spatial.Grid;

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
    comparableExtents(fixed, moving, spec);
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

  /**
   * Images of one scene span comparable physical sizes; a thousandfold difference is a unit mistake
   * (micrometres written as millimetres) or a wrong header, and would register to nonsense.
   */
  private static void comparableExtents(Image fixed, Image moving, PairSpec spec) {
    double a = largestExtent(fixed.grid());
    double b = largestExtent(moving.grid());
    if (Math.max(a, b) > MAX_EXTENT_RATIO * Math.min(a, b)) {
      throw new InvalidPairException(String.format(java.util.Locale.ROOT, "the fixed image %s spans %.4g mm and "
          + "the moving image %s %.4g mm, more than %d times apart: check both headers' spacing units (mm)",
          InputUris.redacted(spec.fixed()), a, InputUris.redacted(spec.moving()), b, (int) MAX_EXTENT_RATIO));
    }
  }

  private static final double MAX_EXTENT_RATIO = 1000;

  private static double largestExtent(Grid grid) {
    double largest = 0;
    for (int a = 0; a < grid.dim(); a++) {
      largest = Math.max(largest, grid.size()[a] * grid.spacing()[a]);
    }
    return largest;
  }

  /** Size, spacing and origin in a line, for saying how two grids differ. */
  private static String describe(Grid grid) {
    return "size " + Arrays.toString(grid.size()) + ", spacing " + brief(grid.spacing()) + " mm, origin "
        + brief(grid.origin()) + " mm";
  }

  private static String brief(double[] values) {
    return Arrays.stream(values).mapToObj(v -> new BigDecimal(v).round(new MathContext(5)).stripTrailingZeros()
        .toPlainString()).collect(Collectors.joining(", ", "[", "]"));
  }

  private static Image onGrid(String uri, Image image, String what, Configuration conf, ReadLimits limits) {
    if (uri == null) {
      return null;
    }
    Image read = ImageFiles.read(uri, conf, limits);
    if (!read.grid().sameGeometry(image.grid(), GRID_TOLERANCE)) {
      String got = describe(read.grid());
      String wanted = describe(image.grid());
      throw new InvalidPairException("the " + what + " " + InputUris.redacted(uri) + " does not lie on its image's "
          + "grid: " + got + " against " + wanted + (got.equals(wanted) ? " (the directions differ)" : ""));
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
