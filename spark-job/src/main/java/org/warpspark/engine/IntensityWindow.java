package org.warpspark.engine;

import java.util.Arrays;
import org.warpspark.image.Image;

/**
 * Maps an image's intensities to about [0, 1] before registration: its 0.5th percentile to 0 and its
 * 99.5th to 1, clipping beyond (as ANTs winsorises), so that a uint8, an int16 and a float scan of
 * the same anatomy give the losses the same numbers: step sizes, MSE and penalty weights then mean
 * the same for any scanner's scale, and a few hot voxels do not squeeze the histogram of MI.
 */
public final class IntensityWindow {
  public static final double LOW_PERCENTILE = 0.5;
  public static final double HIGH_PERCENTILE = 99.5;

  private IntensityWindow() {}

  /** The image with its intensities windowed; an image of one value becomes all zeros. */
  public static Image normalise(Image image) {
    float[] v = image.voxels();
    float[] work = v.clone();
    double low = percentile(work, LOW_PERCENTILE);
    double high = percentile(work, HIGH_PERCENTILE);
    double scale = high > low ? 1 / (high - low) : 0;
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) Math.min(1, Math.max(0, (v[i] - low) * scale));
    }
    return image.withVoxels(out);
  }

  /**
   * Linear between the ranks of the values in sorted order ({@link Float#compare}'s, as
   * {@link Arrays#sort} orders them), found by selection rather than a sort: a volume's two
   * percentiles cost two linear passes instead of an {@code n log n} sort. Reorders {@code values}.
   */
  static double percentile(float[] values, double percent) {
    double rank = percent / 100 * (values.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(values.length - 1, below + 1);
    float low = select(values, below);
    float high = above == below ? low : select(values, above);
    return low + (rank - below) * (high - low);
  }

  /** The value of rank {@code k} (0-based, in sorted order), by quickselect; reorders {@code a}. */
  private static float select(float[] a, int k) {
    int left = 0;
    int right = a.length - 1;
    while (left < right) {
      float pivot = a[(left + right) >>> 1];
      int i = left;
      int j = right;
      while (i <= j) {
        while (Float.compare(a[i], pivot) < 0) {
          i++;
        }
        while (Float.compare(a[j], pivot) > 0) {
          j--;
        }
        if (i <= j) {
          float t = a[i];
          a[i++] = a[j];
          a[j--] = t;
        }
      }
      if (k <= j) {
        right = j;
      } else if (k >= i) {
        left = i;
      } else {
        return a[k];
      }
    }
    return a[k];
  }
}
