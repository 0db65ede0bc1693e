package org.warpspark.engine.sample;

import org.warpspark.udfs.spatial.FixedToMoving;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.warpspark.image.Image;
import org.warpspark.sample.Phantom;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.MotionParameters;

class WarperTest {
  @Test
  void aFieldWarpsLikeTheAffineMapItCameFrom() {
    double c = Math.cos(Math.toRadians(25));
    double s = Math.sin(Math.toRadians(25));
    Grid fixed = new Grid(new int[] {21, 18, 13}, new double[] {1.3, 1.0, 1.9}, new double[] {-12, 3, -8},
        new double[] {c, 0, s, 0, 1, 0, -s, 0, c});
    Grid movingGrid = new Grid(new int[] {25, 20, 15}, new double[] {1.1, 1.05, 1.7}, new double[] {-15, 1, -10},
        new double[] {1, 0, 0, 0, c, -s, 0, s, c});
    MotionParameters p = MotionParameters.identity(3);
    p.angles()[1] = 0.1;
    p.translation()[0] = 1.7;
    p.logScales()[2] = -0.05;
    Affine map = p.toAffine(fixed.centre());
    Image moving = Phantom.inside(movingGrid, 3).renderMoving(movingGrid, Affine.identity(3), DoubleUnaryOperator.identity());
    try (NDManager manager = NativeScope.openCpu()) {
      float[] byMatrix = Warper.warp(moving, fixed, new FixedToMoving.Linear(map), Warper.Interpolation.LINEAR, manager)
          .voxels();
      float[] byField = Warper.warp(moving, fixed, new FixedToMoving.Dense(DisplacementField.of(fixed, map)),
          Warper.Interpolation.LINEAR, manager).voxels();
      for (int i = 0; i < byMatrix.length; i++) {
        assertEquals(byMatrix[i], byField[i], 2e-4, "voxel " + i);
      }
    }
  }
}
