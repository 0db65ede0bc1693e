package org.warpspark.engine.deformable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.warpspark.testing.CpuScopeTest;
import ai.djl.ndarray.types.DataType;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.engine.loss.MeanSquaredError;
import org.warpspark.torch.Autograd;
import org.warpspark.udfs.metric.JacobianStatistics;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/** The diffeomorphic displacement of {@link DeformationModule}: scaling and squaring of a velocity field. */
class ScalingAndSquaringTest extends CpuScopeTest {
  private static final double C = Math.cos(Math.toRadians(30));
  private static final double S = Math.sin(Math.toRadians(30));
  private static final Grid GRID = new Grid(new int[] {21, 19, 15}, new double[] {1.2, 1.0, 1.6},
      new double[] {-12, -9, -11}, new double[] {C, -S, 0, S, C, 0, 0, 0, 1});
  private NDArray sampled(Grid grid, Function<double[], double[]> v) {
    int[] size = grid.size();
    int n = Math.toIntExact(grid.voxelCount());
    int d = grid.dim();
    double[] values = new double[d * n];
    Affine indexToPhysical = grid.indexToPhysical();
    for (int flat = 0; flat < n; flat++) {
      double[] index = new double[d];
      int rest = flat;
      for (int a = 0; a < d; a++) {
        index[a] = rest % size[a];
        rest /= size[a];
      }
      double[] value = v.apply(indexToPhysical.apply(index));
      for (int c = 0; c < d; c++) {
        values[c * n + flat] = value[c];
      }
    }
    long[] shape = new long[d + 2];
    shape[0] = 1;
    shape[1] = d;
    for (int a = 0; a < d; a++) {
      shape[d + 1 - a] = size[a];
    }
    return manager.create(values, new Shape(shape));
  }

  /** exp(v) on {@code grid} in float64, by the module's own scaling and squaring with {@code steps} squarings. */
  private NDArray exp(NDArray velocity, Grid grid, int steps) {
    DeformableSettings settings = DeformableSettings.bsplineDefaults(LossKind.MSE).withDiffeomorphic(true);
    ControlFrame single = ControlFrame.of(grid, manager);
    ControlFrame frame = new ControlFrame(grid, single.mmToControl().toType(DataType.FLOAT64, false),
        single.identity().toType(DataType.FLOAT64, false));
    return DeformationModule.compile(settings, new MeanSquaredError(), grid, steps,
        DeformationModule.Entry.DISPLACEMENT, manager)
        .displacement(velocity, frame);
  }

  private static DisplacementField toField(Grid grid, NDArray u) {
    int d = grid.dim();
    int n = Math.toIntExact(grid.voxelCount());
    double[] all = u.toDoubleArray();
    float[][] components = new float[d][n];
    for (int c = 0; c < d; c++) {
      for (int i = 0; i < n; i++) {
        components[c][i] = (float) all[c * n + i];
      }
    }
    return new DisplacementField(grid, components);
  }

  @Test
  void aConstantVelocityFlowsToThatTranslation() {
    NDArray u = exp(sampled(GRID, x -> new double[] {1.5, -2.0, 0.7}), GRID, 6);
    double[] expected = {1.5, -2.0, 0.7};
    double[] all = u.toDoubleArray();
    int n = all.length / 3;
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < n; i++) {
        assertEquals(expected[c], all[c * n + i], 1e-9, "component " + c + " voxel " + i);
      }
    }
  }

  /**
   * For v(x) = B (x - c), n steps give exactly ((I + B/2^n)^(2^n) - I)(x - c), since linear
   * interpolation reproduces affine fields; that product tends to expm(B).
   */
  @Test
  void aLinearVelocityFlowsToItsMatrixExponential() {
    double[] centre = GRID.centre();
    double[][] b = {{0.0, -0.08, 0.02}, {0.08, 0.0, -0.03}, {-0.02, 0.03, 0.01}};
    NDArray v = sampled(GRID, x -> {
      double[] r = new double[3];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          r[i] += b[i][j] * (x[j] - centre[j]);
        }
      }
      return r;
    });
    int steps = 8;
    double[][] expB = power(identityPlus(b, 1.0 / (1 << steps)), 1 << steps);
    assertTrue(maxDifference(expB, expm(b)) < 1e-4, "(I + B/2^n)^(2^n) approximates expm(B)");
    DisplacementField expected = DisplacementField.of(GRID, Affine.of(flatten(expB),
        new double[] {
            centre[0] - dot(expB[0], centre), centre[1] - dot(expB[1], centre), centre[2] - dot(expB[2], centre)}));
    DisplacementField found = toField(GRID, exp(v, GRID, steps));
    int[] size = GRID.size();
    double worst = 0;
    for (int k = 3; k < size[2] - 3; k++) {
      for (int j = 3; j < size[1] - 3; j++) {
        for (int i = 3; i < size[0] - 3; i++) {
          int flat = i + size[0] * (j + size[1] * k);
          for (int c = 0; c < 3; c++) {
            worst = Math.max(worst, Math.abs(found.components()[c][flat] - expected.components()[c][flat]));
          }
        }
      }
    }
    // DisplacementField stores float32: agreement to its precision, far tighter than expm differs (1.7e-4 mm).
    assertTrue(worst < 2e-5, "interior error " + worst + " mm");
  }

  /** A strong swirl: used directly as a displacement it folds the grid; its exponential does not. */
  @Test
  void aLargeSwirlIntegratesToAMapThatDoesNotFold() {
    Grid grid = Grid.of(new int[] {41, 41}, new double[] {1, 1}, new double[] {-20, -20});
    NDArray swirl = sampled(grid, x -> {
      double r2 = x[0] * x[0] + x[1] * x[1];
      double w = 3.5 * Math.exp(-r2 / (2 * 8.0 * 8.0));
      return new double[] {-w * x[1], w * x[0]};
    });
    JacobianStatistics direct = JacobianStatistics.of(toField(grid, swirl));
    JacobianStatistics flowed = JacobianStatistics.of(toField(grid, exp(swirl, grid, 7)));
    assertTrue(direct.foldingFraction() > 0, "the swirl should fold when used directly: " + direct);
    assertEquals(0, flowed.foldingFraction(), "exp(v) folds: " + flowed);
    assertTrue(flowed.min() > 0, "min det " + flowed.min());
  }

  @Test
  void gradientReachesTheVelocityAndMatchesCentralDifferences() {
    Grid grid = Grid.of(new int[] {6, 5}, new double[] {1.3, 0.9}, new double[] {0, 0});
    java.util.Random random = new java.util.Random(2);
    double[] values = new double[2 * 30];
    for (int i = 0; i < values.length; i++) {
      values[i] = 0.4 * random.nextGaussian();
    }
    double[] weights = new double[values.length];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = random.nextGaussian();
    }
    NDArray w = manager.create(weights, new Shape(1, 2, 5, 6));
    NDArray v = Autograd.leaf(manager.create(values, new Shape(1, 2, 5, 6)));
    NDArray energy = Autograd.recording(() -> exp(v, grid, 3).mul(w).sum());
    Autograd.backward(energy);
    double[] gradient = v.getGradient().toDoubleArray();
    double h = 1e-6;
    for (int i = 0; i < values.length; i++) {
      double[] plus = values.clone();
      double[] minus = values.clone();
      plus[i] += h;
      minus[i] -= h;
      double fd = (weighted(plus, grid, w) - weighted(minus, grid, w)) / (2 * h);
      assertEquals(fd, gradient[i], 1e-6, "velocity value " + i);
    }
  }

  private double weighted(double[] values, Grid grid, NDArray w) {
    return Autograd.scalar(exp(manager.create(values, new Shape(1, 2, 5, 6)), grid, 3).mul(w).sum());
  }

  private static double[][] identityPlus(double[][] b, double scale) {
    double[][] m = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        m[i][j] = (i == j ? 1 : 0) + scale * b[i][j];
      }
    }
    return m;
  }

  private static double[][] power(double[][] m, int exponent) {
    double[][] result = identityPlus(new double[3][3], 0);
    for (int e = 0; e < exponent; e++) {
      double[][] next = new double[3][3];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          for (int k = 0; k < 3; k++) {
            next[i][j] += result[i][k] * m[k][j];
          }
        }
      }
      result = next;
    }
    return result;
  }

  private static double maxDifference(double[][] a, double[][] b) {
    double worst = 0;
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return worst;
  }

  private static double[][] expm(double[][] b) {
    int n = b.length;
    double[][] result = new double[n][n];
    double[][] term = new double[n][n];
    for (int i = 0; i < n; i++) {
      result[i][i] = 1;
      term[i][i] = 1;
    }
    for (int k = 1; k < 30; k++) {
      double[][] next = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          for (int m = 0; m < n; m++) {
            next[i][j] += term[i][m] * b[m][j] / k;
          }
        }
      }
      term = next;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          result[i][j] += term[i][j];
        }
      }
    }
    return result;
  }

  private static double[] flatten(double[][] m) {
    double[] f = new double[9];
    for (int i = 0; i < 3; i++) {
      System.arraycopy(m[i], 0, f, 3 * i, 3);
    }
    return f;
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }
}
