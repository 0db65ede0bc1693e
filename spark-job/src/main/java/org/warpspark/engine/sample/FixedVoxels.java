package org.warpspark.engine.sample;

import java.util.SplittableRandom;
import org.warpspark.image.Image;

/**
 * The fixed image's voxels that a loss may look at (inside the mask, if any), and draws of them as
 * homogeneous voxel indices plus intensities. Random subsets per iteration make an iteration's cost
 * independent of the image size. A jittered draw moves each point off its voxel centre by up to half
 * a voxel per axis and interpolates the fixed intensity there (elastix's "random coordinate"
 * sampler): then both images are interpolated alike, and the shift-dependent smoothing of linear
 * interpolation no longer pulls the optimum of an intensity-comparing loss away from the truth.
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

  /** Every candidate voxel centre, in memory order: a deterministic batch. */
  public Draw all() {
    return draw(size, null, false);
  }

  /** {@code n} voxels drawn with replacement, jittered off their centres if asked. */
  public Draw random(int n, SplittableRandom random, boolean jittered) {
    if (n <= 0) {
      throw new IllegalArgumentException("a random draw needs a positive sample count, got " + n);
    }
    return draw(n, random, jittered);
  }

  /** Every candidate once when {@code random} is null, else {@code n} random ones. */
  private Draw draw(int n, SplittableRandom random, boolean jittered) {
    int d = image.dim();
    int[] gridSize = image.grid().size();
    float[] points = new float[Math.multiplyExact(n, d + 1)];
    float[] values = new float[n];
    boolean jitter = jittered && random != null;
    double[] index = new double[d];
    for (int s = 0; s < n; s++) {
      int k = random == null ? s : random.nextInt(size);
      int flat = candidates == null ? k : candidates[k];
      IndexPoints.write(flat, gridSize, points, s);
      if (!jitter) {
        values[s] = image.voxels()[flat];
        continue;
      }
      int row = s * (d + 1);
      for (int a = 0; a < d; a++) {
        index[a] = Math.min(Math.max(points[row + a] + random.nextDouble() - 0.5, 0), gridSize[a] - 1);
        points[row + a] = (float) index[a];
      }
      values[s] = LinearInterpolation.at(image.voxels(), gridSize, index);
    }
    return new Draw(n, points, values);
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
