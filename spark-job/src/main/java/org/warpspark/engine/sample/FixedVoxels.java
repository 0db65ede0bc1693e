package org.warpspark.engine.sample;

import java.util.SplittableRandom;
import org.warpspark.image.Image;

/**
 * The fixed image's voxels that a loss may look at (inside the mask, if any), and draws of them as
 * homogeneous voxel indices plus intensities. Random subsets per iteration make an iteration's cost
 * independent of the image size.
 */
public final class FixedVoxels {
  private final Image image;
  /** Flat indices of the masked voxels; null when every voxel counts (no array for a whole volume). */
  private final int[] candidates;
  private final int size;

  /** A batch of fixed samples: {@code points} is {@code (N, d+1)} row-major voxel indices with a trailing 1. */
  public record Draw(int count, float[] points, float[] values) {}

  /** @param mask same grid as {@code image}, voxels > 0.5 are used; null for all voxels */
  public FixedVoxels(Image image, Image mask) {
    this.image = image;
    this.candidates = mask == null ? null : selected(mask.voxels());
    this.size = candidates == null ? image.voxels().length : candidates.length;
  }

  public int size() {
    return size;
  }

  /** {@code n} voxels drawn with replacement, or every candidate in order when {@code n} is 0 or too large. */
  public Draw draw(int n, SplittableRandom random) {
    boolean all = n <= 0 || n >= size;
    int count = all ? size : n;
    int d = image.dim();
    int[] gridSize = image.grid().size();
    float[] points = new float[Math.multiplyExact(count, d + 1)];
    float[] values = new float[count];
    for (int s = 0; s < count; s++) {
      int k = all ? s : random.nextInt(size);
      int flat = candidates == null ? k : candidates[k];
      IndexPoints.write(flat, gridSize, points, s);
      values[s] = image.voxels()[flat];
    }
    return new Draw(count, points, values);
  }

  private static int[] selected(float[] mask) {
    int count = 0;
    for (float m : mask) {
      if (m > 0.5f) {
        count++;
      }
    }
    int[] flat = new int[count];
    int k = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i] > 0.5f) {
        flat[k++] = i;
      }
    }
    return flat;
  }
}
