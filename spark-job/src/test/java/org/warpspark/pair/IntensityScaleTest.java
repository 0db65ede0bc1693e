package org.warpspark.pair;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.warpspark.image.Image;
import org.warpspark.sample.KnownDeformation;
import org.warpspark.sample.Phantom;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/**
 * The default settings give the same map whatever the scanner's intensity scale: the same pair as
 * floats in [0, 1], on a uint8-like range and on an int16-like range with an offset is registered
 * (affine and deformable stages) to maps that agree within a hundredth of a voxel.
 */
class IntensityScaleTest {
  private static final Grid GRID = new Grid(new int[] {80, 72}, new double[] {1.0, 1.0}, new double[] {-40, -36},
      new double[] {1, 0, 0, 1});

  @Test
  void theSamePairAtThreeIntensityScalesGivesTheSameMap() {
    KnownDeformation truth = new KnownDeformation(Affine.translation(new double[] {2.0, -1.5}), GRID.centre(), 14, 3.0);
    Phantom phantom = Phantom.inside(GRID, 5);
    Image fixed = KnownDeformation.fixedImage(phantom, GRID);
    Image moving = truth.movingImage(phantom, GRID, v -> v);
    DisplacementField unit = register(fixed, moving, v -> v);
    DisplacementField bytes = register(fixed, moving, v -> 40 + 180 * v);
    DisplacementField ct = register(fixed, moving, v -> -1000 + 3000 * v);
    assertAgree(unit, bytes, "0-1 floats vs 0-255");
    assertAgree(unit, ct, "0-1 floats vs -1000..2000");
  }

  private static DisplacementField register(Image fixed, Image moving, DoubleUnaryOperator scale) {
    Image f = rescaled(fixed, scale);
    Image m = rescaled(moving, scale);
    try (NDManager manager = NativeScope.openCpu()) {
      PairResult result = new PairPipeline(RegistrationConfig.defaults(), false).register(
          new PairImages(f, m, null, null, null), manager);
      return result.deformable().result().fixedToMoving();
    }
  }

  private static Image rescaled(Image image, DoubleUnaryOperator scale) {
    float[] v = image.voxels().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) scale.applyAsDouble(v[i]);
    }
    return image.withVoxels(v);
  }

  private static void assertAgree(DisplacementField a, DisplacementField b, String what) {
    double sum = 0;
    int n = a.components()[0].length;
    for (int i = 0; i < n; i++) {
      double e2 = 0;
      for (int c = 0; c < a.dim(); c++) {
        double e = a.components()[c][i] - b.components()[c][i];
        e2 += e * e;
      }
      sum += Math.sqrt(e2);
    }
    assertTrue(sum / n < 0.01, what + ": the maps differ by " + sum / n + " mm on average");
  }
}
