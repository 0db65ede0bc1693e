package org.warpspark.engine.deformable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.warpspark.engine.InvalidPairException;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.engine.sample.FixedVoxels;
import org.warpspark.engine.sample.IndexPoints;
import org.warpspark.engine.sample.SamplePool;
import org.warpspark.image.Image;

/**
 * The fixed samples an iteration compares: random windows of a device pool for point losses (jittered
 * off voxel centres except for MI, as in the affine stage), or the whole image for local NCC, whose
 * windows need every neighbour. A batch is homogeneous voxel rows {@code (N, d+1)}, the fixed values
 * ({@code (N)}, or the image {@code (1, 1, [nz,] ny, nx)} for local NCC) and per-sample weights (the
 * mask for a dense batch, ones for a drawn one, whose voxels come from inside the mask).
 */
abstract sealed class Samples {
  /**
   * Bounds of a level's pool of drawn voxels, which holds as many as the level has (within these): a
   * pool much smaller than the image makes its subset's optimum the floor on accuracy.
   */
  static final int MIN_POOL = 1 << 17;
  static final int MAX_POOL = 1 << 20;
  record Batch(NDArray points, NDArray fixed, NDArray weight) {}

  abstract Batch next(SplittableRandom random, NDManager step);

  /** The samples of one pyramid level, in {@code scope}. */
  static Samples forLevel(DeformableSettings settings, Image fixed, Image mask, SplittableRandom random,
      NDManager scope) {
    if (settings.loss() == LossKind.LNCC) {
      return new Dense(fixed, mask, scope);
    }
    FixedVoxels voxels = candidates(fixed, mask);
    int poolSize = Math.max(MIN_POOL, Math.min(MAX_POOL, voxels.size()));
    SamplePool pool = new SamplePool(voxels.random(poolSize, random, settings.loss() != LossKind.MI), fixed.dim(), scope);
    return new Drawn(pool, settings.samplesPerIteration(), scope);
  }

  /** A deterministic set: every voxel for local NCC, else at most {@code limit} voxel centres. */
  static Samples evaluation(DeformableSettings settings, Image fixed, Image mask, int limit, NDManager scope) {
    if (settings.loss() == LossKind.LNCC) {
      return new Dense(fixed, mask, scope);
    }
    FixedVoxels voxels = candidates(fixed, mask);
    FixedVoxels.Draw draw = voxels.size() <= limit ? voxels.all()
        : voxels.random(limit, new SplittableRandom(settings.seed() ^ 0x5DEECE66DL), false);
    return new Drawn(new SamplePool(draw, fixed.dim(), scope), 0, scope);
  }

  private static FixedVoxels candidates(Image fixed, Image mask) {
    FixedVoxels voxels = new FixedVoxels(fixed, mask);
    if (voxels.size() == 0) {
      throw new InvalidPairException("the fixed mask selects no voxel at grid " + fixed.grid());
    }
    return voxels;
  }

  private static final class Drawn extends Samples {
    private final SamplePool pool;
    private final int count;
    private final NDArray ones;

    Drawn(SamplePool pool, int count, NDManager scope) {
      this.pool = pool;
      this.count = count;
      this.ones = scope.ones(new Shape(count <= 0 || count >= pool.size() ? pool.size() : count));
    }

    @Override
    Batch next(SplittableRandom random, NDManager step) {
      SamplePool.Batch batch = pool.window(count, random, step);
      return new Batch(batch.points(), batch.values(), ones);
    }
  }

  private static final class Dense extends Samples {
    private final Batch batch;

    Dense(Image fixed, Image mask, NDManager scope) {
      float[] weight = new float[fixed.voxels().length];
      int selected = 0;
      for (int i = 0; i < weight.length; i++) {
        weight[i] = mask == null || mask.voxels()[i] > 0.5f ? 1f : 0f;
        selected += (int) weight[i];
      }
      if (selected == 0) {
        throw new InvalidPairException("the fixed mask selects no voxel at grid " + fixed.grid());
      }
      batch = new Batch(IndexPoints.all(fixed.grid(), scope),
          scope.create(fixed.voxels(), new Shape(LevelInputs.batched(fixed.tensorShape()))), scope.create(weight));
    }

    @Override
    Batch next(SplittableRandom random, NDManager step) {
      return batch;
    }
  }
}
