package org.warpspark.udfs.spatial;

import java.util.ArrayList;
import java.util.List;

/**
 * A chain of transforms given the way {@code antsApplyTransforms -t A -t B} takes them: the map of a
 * reference (output) point to the input image's point is {@code A(B(x))}, the last listed applied
 * first. Each step is an affine or a displacement field, evaluated as ITK's
 * {@code DisplacementFieldTransform} does ({@link DisplacementField#atAsItk}). To warp points of the input into the reference, the
 * opposite chain is needed (docs/CONVENTIONS.md).
 */
public final class TransformChain {
  private final List<Step> steps;
  private final int dim;

  /** One transform of the chain: an affine, or a displacement field on its own grid. */
  public sealed interface Step {
    int dim();

    record Linear(Affine map) implements Step {
      @Override
      public int dim() {
        return map.dim();
      }
    }

    record Field(DisplacementField field) implements Step {
      @Override
      public int dim() {
        return field.dim();
      }
    }
  }

  /** {@code steps} in command-line order: the first listed is applied last. */
  public TransformChain(List<Step> steps) {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a transform chain needs at least one transform");
    }
    this.dim = steps.get(0).dim();
    for (Step s : steps) {
      if (s.dim() != dim) {
        throw new IllegalArgumentException("a chain mixes " + dim + "D and " + s.dim() + "D transforms");
      }
    }
    this.steps = List.copyOf(steps);
  }

  public int dim() {
    return dim;
  }

  public List<Step> steps() {
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
    if (steps.stream().allMatch(s -> s instanceof Step.Linear)) {
      Affine composed = Affine.identity(dim);
      for (Step s : steps) {
        composed = composed.after(((Step.Linear) s).map());
      }
      return new FixedToMoving.Linear(composed);
    }
    int n = Math.toIntExact(reference.voxelCount());
    float[][] u = new float[dim][n];
    Affine indexToPhysical = reference.indexToPhysical();
    List<Affine> toIndex = new ArrayList<>();
    for (Step s : steps) {
      toIndex.add(s instanceof Step.Field f ? f.field().grid().physicalToIndex() : null);
    }
    double[] index = new double[dim];
    double[] displacement = new double[dim];
    for (int flat = 0; flat < n; flat++) {
      reference.index(flat, index);
      double[] x = indexToPhysical.apply(index);
      double[] y = x.clone();
      for (int k = steps.size() - 1; k >= 0; k--) {
        if (steps.get(k) instanceof Step.Linear l) {
          y = l.map().apply(y);
        } else {
          ((Step.Field) steps.get(k)).field().atAsItk(y, toIndex.get(k), displacement);
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
