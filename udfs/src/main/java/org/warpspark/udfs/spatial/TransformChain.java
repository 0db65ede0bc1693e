package org.warpspark.udfs.spatial;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A chain of transforms as ITK's {@code CompositeTransform} holds them: a queue applied from its last
 * step to its first, so the queue {@code [A, B]} maps a point {@code x} to {@code A(B(x))}. Each step
 * is a {@link FixedToMoving} map (an affine, a displacement field on its own grid, or a B-spline), a
 * field evaluated as ITK's {@code DisplacementFieldTransform} does ({@link DisplacementField#atAsItk}).
 * How command lines and files fill the queue is said where they are read ({@code ApplyTransforms}).
 */
public final class TransformChain {
  private final List<FixedToMoving> steps;
  /** Each field step's physical-to-index map (null for an affine step), computed once. */
  private final List<Affine> toIndex = new ArrayList<>();
  private final int dim;

  /** {@code steps} in queue order: the last is applied first. */
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
    for (FixedToMoving s : steps) {
      toIndex.add(s instanceof FixedToMoving.Dense f ? f.field().grid().physicalToIndex() : null);
    }
  }

  public int dim() {
    return dim;
  }

  public List<FixedToMoving> steps() {
    return steps;
  }

  /** Where point {@code x} goes: the steps applied from the last to the first. */
  public double[] apply(double[] x) {
    double[] y = x.clone();
    double[] displacement = new double[dim];
    for (int k = steps.size() - 1; k >= 0; k--) {
      if (steps.get(k) instanceof FixedToMoving.Linear l) {
        y = l.matrix().apply(y);
      } else if (steps.get(k) instanceof FixedToMoving.Spline s) {
        y = s.transform().apply(y);
      } else {
        ((FixedToMoving.Dense) steps.get(k)).field().atAsItk(y, toIndex.get(k), displacement);
        for (int a = 0; a < dim; a++) {
          y[a] += displacement[a];
        }
      }
    }
    return y;
  }

  /**
   * An evaluator of {@code after(chain(before(x)))} for one thread: adjacent affines (with
   * {@code before} and {@code after}) are multiplied together once, and each field step keeps its own
   * workspace, so that points cost no allocation. Same results as {@link #apply} up to round-off.
   */
  public Evaluator evaluator(Affine before, Affine after) {
    return new Evaluator(before, after);
  }

  /** See {@link #evaluator}; not thread-safe. */
  public final class Evaluator {
    /** In the order they act: an {@link Affine}, a {@link FieldStep} or a {@link SplineStep}. */
    private final List<Object> ops = new ArrayList<>();
    private final double[] a = new double[dim];
    private final double[] b = new double[dim];

    private Evaluator(Affine before, Affine after) {
      Affine pending = before;
      for (int k = steps.size() - 1; k >= 0; k--) {
        FixedToMoving step = steps.get(k);
        if (step instanceof FixedToMoving.Linear l) {
          pending = l.matrix().after(pending);
          continue;
        }
        ops.add(pending);
        pending = Affine.identity(dim);
        ops.add(step instanceof FixedToMoving.Dense f ? new FieldStep(f.field(), toIndex.get(k))
            : new SplineStep(((FixedToMoving.Spline) step).transform()));
      }
      ops.add(after.after(pending));
    }

    /** Writes {@code after(chain(before(x)))} into {@code out}. */
    public void apply(double[] x, double[] out) {
      double[] current = x;
      for (Object op : ops) {
        double[] next = current == a ? b : a;
        if (op instanceof Affine m) {
          m.apply(current, next);
        } else if (op instanceof FieldStep f) {
          f.field.atAsItk(current, f.toIndex, next, f.corners, f.index);
          for (int i = 0; i < dim; i++) {
            next[i] += current[i];
          }
        } else {
          SplineStep s = (SplineStep) op;
          s.spline.apply(current, next, s.workspace);
        }
        current = next;
      }
      System.arraycopy(current, 0, out, 0, dim);
    }
  }

  /** A B-spline step and its evaluation workspace. */
  private static final class SplineStep {
    final BSplineTransform spline;
    final BSplineTransform.Workspace workspace;

    SplineStep(BSplineTransform spline) {
      this.spline = spline;
      this.workspace = spline.new Workspace();
    }
  }

  /** A field step's evaluation workspace. */
  private static final class FieldStep {
    final DisplacementField field;
    final Affine toIndex;
    final LinearCorners corners;
    final double[] index;

    FieldStep(DisplacementField field, Affine toIndex) {
      this.field = field;
      this.toIndex = toIndex;
      this.corners = new LinearCorners(field.grid().size());
      this.index = new double[field.dim()];
    }
  }

  /**
   * The chain as one map of reference points: the composed affine when every step is one, else a
   * displacement field on {@code reference} ({@code u(x) = chain(x) - x} at each voxel centre).
   */
  public FixedToMoving onGrid(Grid reference) {
    if (reference.dim() != dim) {
      throw new IllegalArgumentException("a " + dim + "D chain cannot map a " + reference.dim() + "D reference grid");
    }
    return affine().<FixedToMoving>map(FixedToMoving.Linear::new)
        .orElseGet(() -> new FixedToMoving.Dense(DisplacementField.of(reference, this::apply)));
  }

  /** The chain as one affine, if every step is one. */
  public Optional<Affine> affine() {
    Affine composed = Affine.identity(dim);
    for (FixedToMoving s : steps) {
      if (!(s instanceof FixedToMoving.Linear l)) {
        return Optional.empty();
      }
      composed = composed.after(l.matrix());
    }
    return Optional.of(composed);
  }
}
