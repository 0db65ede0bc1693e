package org.warpspark.engine.deformable;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/**
 * The dense models' field algebra against closed forms, on a rotated anisotropic grid: a constant
 * shift {@code a} and a linear field {@code b} do not commute, so a composition taken in the wrong
 * order, or a field read in the wrong frame, is off by {@code L a}.
 */
class FlowModuleTest {
  private static final double C = Math.cos(0.4);
  private static final double S = Math.sin(0.4);
  private static final Grid GRID = new Grid(new int[] {24, 20}, new double[] {1.0, 1.5}, new double[] {-9, -12},
      new double[] {C, -S, S, C});
  private static final double[] SHIFT = {0.7, -0.4};
  private static final double[][] L = {{0.05, 0.02}, {-0.03, 0.04}};
  private static final double[] CENTRE = GRID.centre();
  /** Voxels this far from every edge: the composed maps never read beyond the grid there. */
  private static final int MARGIN = 3;

  @Test
  void composeIsTheDisplacementOfTheSecondMapAfterTheFirst() {
    withModule((module, level, manager) -> {
      NDArray a = field(x -> SHIFT, manager);
      NDArray b = field(FlowModuleTest::linear, manager);
      // (id + b) o (id + a): x -> x + a + L (x + a - c)
      assertField(module.compose(a, b, level), x -> plus(SHIFT, linear(plus(x, SHIFT))), 1e-4, "b o a");
      // (id + a) o (id + b): x -> x + L (x - c) + a
      assertField(module.compose(b, a, level), x -> plus(linear(x), SHIFT), 1e-4, "a o b");
    });
  }

  @Test
  void inverseUndoesTheMapOnEitherSide() {
    withModule((module, level, manager) -> {
      NDArray b = field(FlowModuleTest::linear, manager);
      NDArray v = module.inverse(b, level);
      // id + b is x -> c + (I + L)(x - c), so its inverse is y -> c + (I + L)^-1 (y - c)
      assertField(v, FlowModuleTest::inverseLinear, 1e-4, "inverse");
      assertField(module.compose(v, b, level), x -> new double[2], 1e-4, "b o b^-1");
      assertField(module.compose(b, v, level), x -> new double[2], 1e-4, "b^-1 o b");
    });
  }

  private interface ModuleCheck {
    void run(FlowModule module, FlowLevel level, NDManager manager);
  }

  private static void withModule(ModuleCheck check) {
    Image image = Image.of(GRID, new float[24 * 20]);
    try (NDManager manager = NativeScope.openCpu()) {
      Autograd.notRecording(() -> {
        FlowModule module = FlowModule.compile(2, LossKind.MSE, LossKind.MSE.create(image.voxels(), image.voxels(), 8),
            false, manager);
        FlowLevel level = FlowLevel.of(image, image, null, Affine.identity(2), false, 5, new float[4], 1.0, 0.0,
            module, manager);
        check.run(module, level, manager);
        return null;
      });
    }
  }

  /** {@code (1, 2, ny, nx)}: {@code displacement} (LPS mm) at every voxel's physical position. */
  private static NDArray field(Function<double[], double[]> displacement, NDManager manager) {
    int n = 24 * 20;
    float[] values = new float[2 * n];
    double[] index = new double[2];
    for (int flat = 0; flat < n; flat++) {
      GRID.index(flat, index);
      double[] u = displacement.apply(GRID.indexToPhysical().apply(index));
      values[flat] = (float) u[0];
      values[n + flat] = (float) u[1];
    }
    return manager.create(values, new Shape(1, 2, 20, 24));
  }

  private static void assertField(NDArray actual, Function<double[], double[]> expected, double tolerance,
      String what) {
    float[] values = actual.toFloatArray();
    int n = 24 * 20;
    double[] index = new double[2];
    double worst = 0;
    for (int flat = 0; flat < n; flat++) {
      GRID.index(flat, index);
      if (index[0] < MARGIN || index[1] < MARGIN || index[0] > 23 - MARGIN || index[1] > 19 - MARGIN) {
        continue;
      }
      double[] e = expected.apply(GRID.indexToPhysical().apply(index));
      worst = Math.max(worst, Math.hypot(values[flat] - e[0], values[n + flat] - e[1]));
    }
    assertTrue(worst < tolerance, what + ": largest error " + worst + " mm");
  }

  /** {@code L (x - c)}. */
  private static double[] linear(double[] x) {
    double dx = x[0] - CENTRE[0];
    double dy = x[1] - CENTRE[1];
    return new double[] {L[0][0] * dx + L[0][1] * dy, L[1][0] * dx + L[1][1] * dy};
  }

  /** {@code c + (I + L)^-1 (y - c) - y}. */
  private static double[] inverseLinear(double[] y) {
    double a = 1 + L[0][0];
    double b = L[0][1];
    double c = L[1][0];
    double d = 1 + L[1][1];
    double det = a * d - b * c;
    double dx = y[0] - CENTRE[0];
    double dy = y[1] - CENTRE[1];
    return new double[] {(d * dx - b * dy) / det - dx, (-c * dx + a * dy) / det - dy};
  }

  private static double[] plus(double[] p, double[] q) {
    return new double[] {p[0] + q[0], p[1] + q[1]};
  }
}
