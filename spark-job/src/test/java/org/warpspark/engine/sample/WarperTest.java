package org.warpspark.engine.sample;

import org.warpspark.udfs.spatial.FixedToMoving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
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

  /**
   * PyTorch's fused sampler gives what gathering the corners gives, linear and nearest, for an affine and
   * a field, with points inside, on and beyond the border (the map moves part of the grid outside).
   */
  @Test
  void fusedSamplingMatchesTheGatheringReference() {
    Grid fixed = new Grid(new int[] {23, 19, 11}, new double[] {1.2, 0.9, 2.1}, new double[] {-14, -6, -9},
        new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    Grid movingGrid = new Grid(new int[] {20, 22, 12}, new double[] {1.0, 1.1, 1.8}, new double[] {-10, -9, -8},
        new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    MotionParameters p = MotionParameters.identity(3);
    p.angles()[2] = 0.2;
    p.translation()[0] = 4.3;
    Affine map = p.toAffine(fixed.centre());
    Image moving = Phantom.inside(movingGrid, 3).renderMoving(movingGrid, Affine.identity(3),
        DoubleUnaryOperator.identity());
    float[] labels = moving.voxels().clone();
    for (int i = 0; i < labels.length; i++) {
      labels[i] = Math.round(labels[i] * 3);
    }
    Image labelMap = Image.of(movingGrid, labels);
    try (NDManager manager = NativeScope.openCpu()) {
      for (FixedToMoving m : List.of(new FixedToMoving.Linear(map), new FixedToMoving.Dense(DisplacementField.of(fixed,
          map)))) {
        float[] fused = Warper.warp(moving, fixed, m, Warper.Interpolation.LINEAR, manager, true).voxels();
        float[] gathered = Warper.warp(moving, fixed, m, Warper.Interpolation.LINEAR, manager, false).voxels();
        int outside = 0;
        for (int i = 0; i < fused.length; i++) {
          assertEquals(gathered[i], fused[i], 1e-4, "linear, voxel " + i);
          outside += gathered[i] == 0 ? 1 : 0;
        }
        assertTrue(outside > 0, "part of the grid maps outside the moving image");
        float[] fusedLabels = Warper.warp(labelMap, fixed, m, Warper.Interpolation.NEAREST, manager, true).voxels();
        float[] gatheredLabels = Warper.warp(labelMap, fixed, m, Warper.Interpolation.NEAREST, manager, false)
            .voxels();
        int differ = 0;
        for (int i = 0; i < fusedLabels.length; i++) {
          differ += fusedLabels[i] == gatheredLabels[i] ? 0 : 1;
        }
        // float rounding may move a point lying exactly half way between voxels to the other one
        assertTrue(differ <= fusedLabels.length / 1000, differ + " labels differ");
      }
    }
  }

  /** The identity onto the image's own grid skips the pass, and the pass would give the same voxels. */
  @Test
  void theIdentityOntoTheImagesOwnGridIsTheImage() {
    Grid grid = new Grid(new int[] {23, 19, 11}, new double[] {1.2, 0.9, 2.1}, new double[] {-14.3, -6, 9.7},
        new double[] {0.8, -0.6, 0, 0.6, 0.8, 0, 0, 0, 1});
    Image image = Phantom.inside(grid, 2).render(grid);
    FixedToMoving identity = FixedToMoving.identity(3);
    try (NDManager manager = NativeScope.openCpu()) {
      for (Warper.Interpolation interpolation : Warper.Interpolation.values()) {
        assertSame(image, Warper.warp(image, grid, identity, interpolation, manager));
        float[] resampled = Warper.warp(image, grid, identity, interpolation, manager, true).voxels();
        for (int i = 0; i < resampled.length; i++) {
          assertEquals(image.voxels()[i], resampled[i], 1e-6, interpolation + ", voxel " + i);
        }
      }
    }
  }
}
