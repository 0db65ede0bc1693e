package org.warpspark.engine.deformable;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/**
 * The flow's driving force, the similarity's gradient with respect to the displacement field (libtorch's
 * backward through the TorchScript module), against central finite differences of the similarity, on a
 * rotated, anisotropic grid under an affine map.
 */
class FlowGradientTest {
  private static final double C = Math.cos(0.3);
  private static final double S = Math.sin(0.3);
  private static final Grid GRID = new Grid(new int[] {14, 12}, new double[] {1.0, 1.3}, new double[] {-6, -7},
      new double[] {C, -S, S, C});

  @ParameterizedTest
  @EnumSource(value = LossKind.class, names = {"LNCC", "MSE", "NCC"})
  void gradientMatchesFiniteDifferences(LossKind kind) {
    Image fixed = render(0);
    Image moving = render(0.7);
    try (NDManager manager = NativeScope.openCpu()) {
      Autograd.notRecording(() -> {
        FlowModule module = FlowModule.compile(2, kind, kind.pointwise()
            ? kind.create(fixed.voxels(), moving.voxels(), 16) : null, manager);
        FlowLevel level = FlowLevel.of(fixed, moving, null, Affine.translation(new double[] {0.4, -0.3}),
            kind == LossKind.LNCC, 5, new float[4], 1.0, 0.0, module, manager);
        float[] u = new float[2 * 14 * 12];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < u.length; i++) {
          u[i] = (float) random.nextDouble(-0.4, 0.4);
        }
        Shape shape = new Shape(1, 2, 12, 14);
        NDArray leaf = manager.create(u, shape);
        Autograd.leaf(leaf);
        NDArray value = Autograd.recording(() -> module.similarity(leaf, level));
        Autograd.backward(value);
        float[] gradient = leaf.getGradient().toFloatArray();
        double largest = 0;
        for (float g : gradient) {
          largest = Math.max(largest, Math.abs(g));
        }
        double eps = 0.02;
        for (int probe = 0; probe < 12; probe++) {
          int i = random.nextInt(u.length);
          double plus = similarity(module, level, u, i, eps, shape, manager);
          double minus = similarity(module, level, u, i, -eps, shape, manager);
          double difference = (plus - minus) / (2 * eps);
          assertTrue(Math.abs(difference - gradient[i]) < 0.03 * largest, kind + " at " + i + ": finite difference "
              + difference + ", autograd " + gradient[i] + " (largest " + largest + ")");
        }
        return null;
      });
    }
  }

  private static double similarity(FlowModule module, FlowLevel level, float[] u, int i, double eps, Shape shape,
      NDManager manager) {
    float[] moved = u.clone();
    moved[i] += (float) eps;
    try (NDManager scope = manager.newSubManager()) {
      NDArray value = module.similarity(scope.create(moved, shape), level);
      value.attach(scope);
      return value.toFloatArray()[0];
    }
  }

  /** Smooth blobs, shifted by {@code shift} mm along x. */
  private static Image render(double shift) {
    float[] v = new float[14 * 12];
    double[] index = new double[2];
    for (int flat = 0; flat < v.length; flat++) {
      GRID.index(flat, index);
      double[] p = GRID.indexToPhysical().apply(index);
      double x = p[0] - shift;
      double y = p[1];
      v[flat] = (float) (Math.exp(-((x - 1) * (x - 1) + y * y) / 8) + 0.6 * Math.exp(-((x + 3) * (x + 3)
          + (y - 2) * (y - 2)) / 5) + 0.2 * Math.sin(0.5 * x + 0.3 * y));
    }
    return Image.of(GRID, v);
  }
}
