package org.warpspark.udfs.spatial;

import java.util.ArrayList;
import java.util.List;

/**
 * A chain of transforms given the way {@code antsApplyTransforms -t A -t B} takes them: the map of a
 * reference (output) point to the input image's point is {@code A(B(x))}, the last listed applied
 * first. Each step is a {@link FixedToMoving} map (an affine, or a displacement field on its own
 * grid), a field evaluated as ITK's
 * {@code DisplacementFieldTransform} does ({@link DisplacementField#atAsItk}). To warp points of the input into the reference, the
 * opposite chain is needed (docs/CONVENTIONS.md).
 */
public final class TransformChain {
  private final List<FixedToMoving> steps;
  private final int dim;

  /** {@code steps} in command-line order: the first listed is applied last. */
  public TransformChain(List<FixedToMoving> steps) {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a transform chain needs at least one transform");
    }
    this.dim = steps.get(0).dim();
    for (FixedToMoving s : steps) {
      if (s.dim() != dim) {
        throw new IllegalArgumentException("a chain mixes " + dim + "D and " + s.dim() + "D transforms");
      }
    }
    this.steps = List.copyOf(steps);
  }

  public int dim() {
    return dim;
  }

  public List<FixedToMoving> steps() {
    return steps;
  }

  /**
   * The chain as one map of reference points: the composed affine when every step is one, else a
   * displacement field on {@code reference} ({@code u(x) = chain(x) - x} at each voxel centre).
   */
  public FixedToMoving onGrid(Grid reference) {
    if (reference.dim() != dim) {
      throw new IllegalArgumentException("a " + dim + "D chain cannot map a " + reference.dim() + "D reference grid");
    }
    if (steps.stream().allMatch(s -> s instanceof FixedToMoving.Linear)) {
      Affine composed = Affine.identity(dim);
      for (FixedToMoving s : steps) {
        composed = composed.after(((FixedToMoving.Linear) s).matrix());
      }
      return new FixedToMoving.Linear(composed);
    }
    int n = Math.toIntExact(reference.voxelCount());
    float[][] u = new float[dim][n];
    Affine indexToPhysical = reference.indexToPhysical();
    List<Affine> toIndex = new ArrayList<>();
    for (FixedToMoving s : steps) {
      toIndex.add(s instanceof FixedToMoving.Dense f ? f.field().grid().physicalToIndex() : null);
    }
    double[] index = new double[dim];
    double[] displacement = new double[dim];
    for (int flat = 0; flat < n; flat++) {
      reference.index(flat, index);
      double[] x = indexToPhysical.apply(index);
      double[] y = x.clone();
      for (int k = steps.size() - 1; k >= 0; k--) {
        if (steps.get(k) instanceof FixedToMoving.Linear l) {
          y = l.matrix().apply(y);
        } else {
          ((FixedToMoving.Dense) steps.get(k)).field().atAsItk(y, toIndex.get(k), displacement);
          for (int a = 0; a < dim; a++) {
            y[a] += displacement[a];
          }
        }
      }
      for (int a = 0; a < dim; a++) {
        u[a][flat] = (float) (y[a] - x[a]);
      }
    }
    return new FixedToMoving.Dense(new DisplacementField(reference, u));
  }
}
