package org.warpspark.engine.sample;

import java.util.SplittableRandom;
import org.warpspark.image.Image;

/**
 * The fixed image's voxels that a loss may look at (inside the mask, if any), and draws of them as
 * homogeneous physical points plus intensities. Random subsets per iteration (elastix's "random"
 * sampler) make an iteration's cost independent of the image size.
 */
public final class FixedVoxels {
  private final Image image;
  private final int[] candidates;
  private final GridPoints gridPoints;

  /** A batch of fixed samples: {@code points} is {@code (N, d+1)} row-major with a trailing 1. */
  public record Draw(int count, float[] points, float[] values) {}

  /** @param mask same grid as {@code image}, voxels > 0.5 are used; null for all voxels */
  public FixedVoxels(Image image, Image mask) {
    this.image = image;
    this.gridPoints = new GridPoints(image.grid());
    float[] m = mask == null ? null : mask.voxels();
    int n = image.voxels().length;
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (m == null || m[i] > 0.5f) {
        count++;
      }
    }
    candidates = new int[count];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (m == null || m[i] > 0.5f) {
        candidates[k++] = i;
      }
    }
  }

  public int size() {
    return candidates.length;
  }

  /** {@code n} voxels drawn with replacement, or every candidate in order when {@code n} is 0 or too large. */
  public Draw draw(int n, SplittableRandom random) {
    boolean all = n <= 0 || n >= candidates.length;
    int count = all ? candidates.length : n;
    int d = image.dim();
    float[] points = new float[count * (d + 1)];
    float[] values = new float[count];
    for (int s = 0; s < count; s++) {
      int flat = all ? candidates[s] : candidates[random.nextInt(candidates.length)];
      gridPoints.write(flat, points, s);
      values[s] = image.voxels()[flat];
    }
    return new Draw(count, points, values);
  }
}
