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
    float[] sorted = v.clone();
    Arrays.sort(sorted);
    double low = percentile(sorted, LOW_PERCENTILE);
    double high = percentile(sorted, HIGH_PERCENTILE);
    double scale = high > low ? 1 / (high - low) : 0;
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) Math.min(1, Math.max(0, (v[i] - low) * scale));
    }
    return image.withVoxels(out);
  }

  /** Linear between the sorted values' ranks. */
  private static double percentile(float[] sorted, double percent) {
    double rank = percent / 100 * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }
}
