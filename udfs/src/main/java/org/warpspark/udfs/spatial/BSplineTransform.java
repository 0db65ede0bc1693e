package org.warpspark.udfs.spatial;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A cubic B-spline free-form map, as ITK's {@code BSplineTransform} and elastix's
 * {@code BSplineTransform} define it: {@code T(x) = x + sum_k c_k B(g(x) - k)}, where {@code g} maps a
 * physical point to a continuous index of the control-point grid, {@code B} is the cubic B-spline in
 * every axis over the 4^d control points from {@code floor(g) - 1}, and {@code c_k} the control points'
 * displacements (mm, LPS; {@code coefficients[axis][point]}, points x fastest). A point whose grid index
 * lies outside {@code [1, size - 2)} on any axis, where the 4^d support would leave the grid, stays
 * where it is, as in both tools.
 */
public final class BSplineTransform {
  private final Grid controlGrid;
  private final double[][] coefficients;
  private final Affine toGridIndex;

  public BSplineTransform(Grid controlGrid, double[][] coefficients) {
    int d = controlGrid.dim();
    if (coefficients.length != d) {
      throw new IllegalArgumentException("a " + d + "D B-spline needs " + d + " coefficient arrays");
    }
    for (int a = 0; a < d; a++) {
      if (coefficients[a].length != controlGrid.voxelCount()) {
        throw new IllegalArgumentException("a B-spline on " + Arrays.toString(controlGrid.size()) + " control points "
            + "needs " + controlGrid.voxelCount() + " coefficients per axis, got " + coefficients[a].length);
      }
      if (controlGrid.size()[a] < 4) {
        throw new IllegalArgumentException("a cubic B-spline grid needs at least 4 control points per axis, got "
            + Arrays.toString(controlGrid.size()));
      }
    }
    this.controlGrid = controlGrid;
    this.coefficients = coefficients;
    this.toGridIndex = controlGrid.physicalToIndex();
  }

  public Grid controlGrid() {
    return controlGrid;
  }

  /** The displacements of the control points along {@code axis} (not a copy). */
  public double[] coefficients(int axis) {
    return coefficients[axis];
  }

  /**
   * The B-spline of a parsed elastix parameter file whose {@code Transform} is {@code BSplineTransform}:
   * {@code GridSize}, {@code GridIndex}, {@code GridSpacing}, {@code GridOrigin}, {@code GridDirection}
   * (written column by column like {@code Direction}) and the {@code TransformParameters}, all x
   * displacements, then all y[, then all z]; at most {@code maxPoints} control points.
   */
  public static BSplineTransform ofElastix(Map<String, List<String>> p, int d, long maxPoints, String source) {
    double[] order = ElastixTransformParameters.numbers(p, "BSplineTransformSplineOrder", 1, new double[] {3}, source);
    if (order[0] != 3) {
      throw new TransformFileException(source + ": BSplineTransformSplineOrder " + order[0] + "; only cubic (3) is read");
    }
    if (ElastixTransformParameters.string(p, "UseCyclicTransform", "false").equals("true")) {
      throw new TransformFileException(source + ": UseCyclicTransform \"true\" is not read");
    }
    double[] sizes = ElastixTransformParameters.numbers(p, "GridSize", d, null, source);
    int[] size = new int[d];
    long points = 1;
    for (int a = 0; a < d; a++) {
      if (sizes[a] != Math.rint(sizes[a]) || sizes[a] < 4 || sizes[a] > Integer.MAX_VALUE) {
        throw new TransformFileException(source + ": (GridSize ...) must hold whole numbers of at least 4, got "
            + Arrays.toString(sizes));
      }
      size[a] = (int) sizes[a];
      points *= size[a];
      if (points > maxPoints) {
        throw new TransformFileException(source + ": a control grid of " + Arrays.toString(sizes) + " points is over "
            + "the limit of " + maxPoints);
      }
    }
    double[] index = ElastixTransformParameters.numbers(p, "GridIndex", d, new double[d], source);
    double[] spacing = ElastixTransformParameters.numbers(p, "GridSpacing", d, null, source);
    double[] origin = ElastixTransformParameters.numbers(p, "GridOrigin", d, null, source);
    double[] direction = ElastixTransformParameters.rowMajorFromColumnMajor(ElastixTransformParameters.numbers(p,
        "GridDirection", d * d, ElastixTransformParameters.columnMajor(Affine.identity(d).linear(), d), source), d);
    double[] parameters = ElastixTransformParameters.numbers(p, "TransformParameters", -1, null, source);
    if (parameters.length != points * d) {
      throw new TransformFileException(source + ": a " + Arrays.toString(size) + " control grid takes " + points * d
          + " TransformParameters, got " + parameters.length);
    }
    Grid grid;
    try {
      Grid start = new Grid(size, spacing, origin, direction);
      grid = new Grid(size, spacing, start.indexToPhysical().apply(index), direction);
    } catch (IllegalArgumentException bad) {
      throw new TransformFileException(source + ": the control grid is not valid: " + bad.getMessage(), bad);
    }
    double[][] c = new double[d][];
    for (int a = 0; a < d; a++) {
      c[a] = Arrays.copyOfRange(parameters, (int) (a * points), (int) ((a + 1) * points));
    }
    return new BSplineTransform(grid, c);
  }

  public int dim() {
    return controlGrid.dim();
  }

  /** {@code T(x)}. */
  public double[] apply(double[] x) {
    int d = dim();
    double[] g = toGridIndex.apply(x);
    int[] size = controlGrid.size();
    for (int a = 0; a < d; a++) {
      if (!(g[a] >= 1 && g[a] < size[a] - 2)) {
        return x.clone();
      }
    }
    int[] first = new int[d];
    double[][] w = new double[d][];
    for (int a = 0; a < d; a++) {
      first[a] = (int) Math.floor(g[a]) - 1;
      w[a] = weights(g[a] - Math.floor(g[a]));
    }
    double[] y = x.clone();
    int corners = 1 << (2 * d);
    for (int k = 0; k < corners; k++) {
      double weight = 1;
      int flat = 0;
      int stride = 1;
      for (int a = 0; a < d; a++) {
        int offset = (k >> (2 * a)) & 3;
        weight *= w[a][offset];
        flat += (first[a] + offset) * stride;
        stride *= size[a];
      }
      for (int a = 0; a < d; a++) {
        y[a] += weight * coefficients[a][flat];
      }
    }
    return y;
  }

  /** The cubic B-spline's weights of the 4 control points from {@code floor - 1}, at fraction {@code t}. */
  private static double[] weights(double t) {
    double s = 1 - t;
    return new double[] {s * s * s / 6, (3 * t * t * t - 6 * t * t + 4) / 6, (-3 * t * t * t + 3 * t * t + 3 * t + 1) / 6,
        t * t * t / 6};
  }
}
