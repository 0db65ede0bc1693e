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
  /** The control grid's size, kept apart: {@link Grid#size()} copies. */
  private final int[] size;

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
    this.size = controlGrid.size();
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
    double[] y = new double[dim()];
    apply(x, y, new Workspace());
    return y;
  }

  /** {@code T(x)} into {@code out} (not {@code x}), using {@code ws} so that nothing is allocated. */
  public void apply(double[] x, double[] out, Workspace ws) {
    int d = dim();
    toGridIndex.apply(x, ws.g);
    System.arraycopy(x, 0, out, 0, d);
    for (int a = 0; a < d; a++) {
      if (!(ws.g[a] >= 1 && ws.g[a] < size[a] - 2)) {
        return;
      }
    }
    for (int a = 0; a < d; a++) {
      double floor = Math.floor(ws.g[a]);
      ws.first[a] = (int) floor - 1;
      weights(ws.g[a] - floor, ws.w[a]);
    }
    // Separable sum over the 4^d control points: rows along x, weighted by the y (and z) weights.
    int nx = size[0];
    int planes = d == 3 ? 4 : 1;
    for (int k = 0; k < planes; k++) {
      double wz = d == 3 ? ws.w[2][k] : 1;
      int z = d == 3 ? ws.first[2] + k : 0;
      for (int j = 0; j < 4; j++) {
        double wyz = wz * ws.w[1][j];
        int row = ((z * size[1]) + ws.first[1] + j) * nx + ws.first[0];
        for (int a = 0; a < d; a++) {
          double[] c = coefficients[a];
          double[] wx = ws.w[0];
          out[a] += wyz * (wx[0] * c[row] + wx[1] * c[row + 1] + wx[2] * c[row + 2] + wx[3] * c[row + 3]);
        }
      }
    }
  }

  /** Scratch space for {@link #apply(double[], double[], Workspace)}; one per thread. */
  public final class Workspace {
    private final double[] g = new double[dim()];
    private final int[] first = new int[dim()];
    private final double[][] w = new double[dim()][4];
  }

  /** The cubic B-spline's weights of the 4 control points from {@code floor - 1}, at fraction {@code t}. */
  private static void weights(double t, double[] w) {
    double s = 1 - t;
    w[0] = s * s * s / 6;
    w[1] = (3 * t * t * t - 6 * t * t + 4) / 6;
    w[2] = (-3 * t * t * t + 3 * t * t + 3 * t + 1) / 6;
    w[3] = t * t * t / 6;
  }
}
