package org.warpspark.engine.deformable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.warpspark.testing.CpuScopeTest;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.engine.loss.MeanSquaredError;
import org.warpspark.torch.Autograd;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/** The penalties of {@link DeformationModule} against analytic values and central differences (float64). */
class PenaltyTest extends CpuScopeTest {
  private static final double C = Math.cos(Math.toRadians(30));
  private static final double S = Math.sin(Math.toRadians(30));
  /** Rotated 30° about z, anisotropic: the energies must not depend on the grid's frame. */
  private static final Grid GRID = new Grid(new int[] {9, 8, 7}, new double[] {1.5, 0.8, 2.5},
      new double[] {-4, 6, 2}, new double[] {C, -S, 0, S, C, 0, 0, 0, 1});
  /** A field {@code u(x)} given as a function of physical position, sampled on GRID as (3, nz, ny, nx). */
  private NDArray sampled(Function<double[], double[]> u) {
    int[] size = GRID.size();
    int n = size[0] * size[1] * size[2];
    double[] values = new double[3 * n];
    Affine indexToPhysical = GRID.indexToPhysical();
    for (int flat = 0; flat < n; flat++) {
      double[] x = indexToPhysical.apply(new double[] {flat % size[0], (flat / size[0]) % size[1], flat / (size[0] * size[1])});
      double[] v = u.apply(x);
      for (int c = 0; c < 3; c++) {
        values[c * n + flat] = v[c];
      }
    }
    return manager.create(values, new Shape(1, 3, size[2], size[1], size[0]));
  }

  /** The module's penalty for a field on a grid of {@code size} and {@code spacing}. */
  private NDArray penalty(NDArray field, int[] size, double[] spacing, DeformableSettings.Regulariser kind) {
    Grid grid = Grid.of(size, spacing, new double[size.length]);
    DeformableSettings settings = DeformableSettings.bsplineDefaults(LossKind.MSE).withRegulariser(kind, 1.0);
    return DeformationModule.compile(settings, new MeanSquaredError(), grid, 0, DeformationModule.Entry.PENALTY, manager)
        .penalty(field);
  }

  private NDArray diffusion(NDArray field, int[] size, double[] spacing) {
    return penalty(field, size, spacing, DeformableSettings.Regulariser.DIFFUSION);
  }

  private NDArray bending(NDArray field, int[] size, double[] spacing) {
    return penalty(field, size, spacing, DeformableSettings.Regulariser.BENDING);
  }

  @Test
  void diffusionOfALinearFieldIsItsSquaredFrobeniusNorm() {
    double[][] b = {{0.1, -0.2, 0.05}, {0.3, 0.0, -0.1}, {0.02, 0.04, 0.15}};
    NDArray field = sampled(x -> new double[] {
        b[0][0] * x[0] + b[0][1] * x[1] + b[0][2] * x[2] + 1,
        b[1][0] * x[0] + b[1][1] * x[1] + b[1][2] * x[2] - 2,
        b[2][0] * x[0] + b[2][1] * x[1] + b[2][2] * x[2]});
    double frobenius = 0;
    for (double[] row : b) {
      for (double v : row) {
        frobenius += v * v;
      }
    }
    assertEquals(frobenius, Autograd.scalar(diffusion(field, GRID.size(), GRID.spacing())), 1e-12);
    assertEquals(0, Autograd.scalar(bending(field, GRID.size(), GRID.spacing())), 1e-12, "a linear field does not bend");
  }

  @Test
  void bendingOfAQuadraticFieldIsItsSquaredHessianNorm() {
    // u_x = a x^2 + b x y, u_y = c z^2, u_z = 0: Hessians [[2a, b, 0], [b, 0, 0], 0] and 2c at (z, z).
    double a = 0.03;
    double b = -0.05;
    double c = 0.02;
    NDArray field = sampled(x -> new double[] {a * x[0] * x[0] + b * x[0] * x[1], c * x[2] * x[2], 0});
    double expected = (2 * a) * (2 * a) + 2 * b * b + (2 * c) * (2 * c);
    assertEquals(expected, Autograd.scalar(bending(field, GRID.size(), GRID.spacing())), 1e-10);
  }

  @Test
  void gradientsMatchCentralDifferences() {
    Random random = new Random(4);
    int[] size = {5, 4, 3};
    double[] spacing = {1.3, 0.7, 2.0};
    double[] values = new double[3 * 60];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian();
    }
    for (boolean bending : new boolean[] {false, true}) {
      NDArray field = Autograd.leaf(manager.create(values, new Shape(1, 3, size[2], size[1], size[0])));
      NDArray energy = Autograd.recording(() -> bending ? bending(field, size, spacing)
          : diffusion(field, size, spacing));
      Autograd.backward(energy);
      double[] gradient = field.getGradient().toDoubleArray();
      double h = 1e-6;
      double norm = 0;
      for (int i = 0; i < values.length; i++) {
        double[] plus = values.clone();
        double[] minus = values.clone();
        plus[i] += h;
        minus[i] -= h;
        double fd = (energyOf(plus, size, spacing, bending) - energyOf(minus, size, spacing, bending)) / (2 * h);
        assertEquals(fd, gradient[i], 1e-7, (bending ? "bending" : "diffusion") + " value " + i);
        norm += gradient[i] * gradient[i];
      }
      assertTrue(norm > 1e-4, "gradient must not vanish");
    }
  }

  private double energyOf(double[] values, int[] size, double[] spacing, boolean bending) {
    NDArray f = manager.create(values, new Shape(1, 3, size[2], size[1], size[0]));
    return Autograd.scalar(bending ? bending(f, size, spacing) : diffusion(f, size, spacing));
  }
}
