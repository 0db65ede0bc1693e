package org.warpspark.engine.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The sample pools of registrations optimised together, stacked on the device: points
 * {@code (B, P, d+1)} and fixed values {@code (B, P)}, a shorter pool padded with its first sample
 * (never inside a window). An iteration's windows are one offset and length per member, drawn with
 * the member's own generator exactly as {@link SamplePool#window} draws them, so a member sees the
 * samples it would see registered alone; the objective gathers the windows on the device, from the
 * whole stack (members that finish early leave it as it is: copying pools of 2^17 samples each time a
 * member finished cost more than the batch saved).
 */
public final class SampleStack {
  private final NDArray points;
  private final NDArray values;
  private final int[] sizes;

  /** Uploads {@code draws} (one per member) into {@code scope}, which owns them. */
  public SampleStack(List<FixedVoxels.Draw> draws, int dim, NDManager scope) {
    int longest = draws.stream().mapToInt(FixedVoxels.Draw::count).max().orElseThrow();
    int members = draws.size();
    float[] p = new float[Math.multiplyExact(Math.multiplyExact(members, longest), dim + 1)];
    float[] v = new float[Math.multiplyExact(members, longest)];
    sizes = new int[members];
    for (int m = 0; m < members; m++) {
      FixedVoxels.Draw draw = draws.get(m);
      sizes[m] = draw.count();
      System.arraycopy(draw.points(), 0, p, m * longest * (dim + 1), draw.count() * (dim + 1));
      System.arraycopy(draw.values(), 0, v, m * longest, draw.count());
      for (int s = draw.count(); s < longest; s++) {
        System.arraycopy(draw.points(), 0, p, (m * longest + s) * (dim + 1), dim + 1);
      }
    }
    points = scope.create(p, new Shape(members, longest, dim + 1));
    values = scope.create(v, new Shape(members, longest));
  }

  /** Every member's points, {@code (B, P, d+1)}. */
  public NDArray points() {
    return points;
  }

  /** Every member's fixed values, {@code (B, P)}. */
  public NDArray values() {
    return values;
  }

  /**
   * One window per member of {@code members}: all of its pool if its count is 0 or not smaller, else
   * {@code count} samples from a random offset. Returned as int64 rows (member, offset, length) in
   * {@code step}.
   */
  public NDArray windows(int[] members, int[] counts, SplittableRandom[] randoms, NDManager step) {
    long[] rows = new long[3 * members.length];
    for (int k = 0; k < members.length; k++) {
      int size = sizes[members[k]];
      int n = counts[k] <= 0 || counts[k] >= size ? size : counts[k];
      rows[3 * k] = members[k];
      rows[3 * k + 1] = n == size ? 0 : randoms[k].nextInt(size - n + 1);
      rows[3 * k + 2] = n;
    }
    return step.create(rows, new Shape(members.length, 3));
  }
}
