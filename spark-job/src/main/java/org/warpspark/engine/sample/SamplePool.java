package org.warpspark.engine.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Fixed samples kept on the device for one pyramid level: a pool drawn once, from which every
 * iteration takes a window at a random offset. Drawing and uploading fresh samples each iteration
 * cost as much as the iteration's native work; a pool costs one upload per level, and on a GPU no
 * per-iteration host-to-device transfer at all. The pool is a random (seeded) sample itself, so a
 * window is one too.
 */
public final class SamplePool {
  private final NDArray points;
  private final NDArray values;
  private final int size;

  /** Uploads {@code draw} into {@code scope}, which owns it. */
  public SamplePool(FixedVoxels.Draw draw, int dim, NDManager scope) {
    this.points = scope.create(draw.points(), new Shape(draw.count(), dim + 1));
    this.values = scope.create(draw.values());
    this.size = draw.count();
  }

  public int size() {
    return size;
  }

  /** A batch of samples in {@code step}'s scope: all of the pool if {@code count} is 0 or not smaller. */
  public Batch window(int count, SplittableRandom random, NDManager step) {
    int n = count <= 0 || count >= size ? size : count;
    int start = n == size ? 0 : random.nextInt(size - n + 1);
    NDIndex rows = new NDIndex("{}:{}", start, start + n);
    NDArray p = points.get(rows);
    NDArray v = values.get(rows);
    p.attach(step);
    v.attach(step);
    return new Batch(p, v);
  }

  /** Homogeneous voxel indices {@code (N, d+1)} and the fixed intensities {@code (N)} at them. */
  public record Batch(NDArray points, NDArray values) {}
}
