package org.warpspark.udfs.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.MotionParameters;

/** Affine maps are linear, so linear interpolation of their fields is exact: the expected error is known. */
class InverseConsistencyTest {
  private static final double C = Math.cos(Math.toRadians(20));
  private static final double S = Math.sin(Math.toRadians(20));
  private static final Grid FIXED = new Grid(new int[] {12, 10, 9}, new double[] {1.5, 0.8, 2.0},
      new double[] {-8, -4, -9}, new double[] {C, -S, 0, S, C, 0, 0, 0, 1});
  /** A larger moving grid in another frame, so that every mapped fixed voxel lands inside it. */
  private static final Grid MOVING = new Grid(new int[] {30, 28, 26}, new double[] {1.2, 1.3, 1.1},
      new double[] {-15, -20, -6}, new double[] {1, 0, 0, 0, C, S, 0, -S, C});

  private static Affine motion() {
    MotionParameters p = MotionParameters.identity(3);
    p.angles()[0] = 0.15;
    p.angles()[2] = -0.1;
    p.logScales()[1] = 0.05;
    p.translation()[0] = 2;
    p.translation()[2] = -1.5;
    return p.toAffine(FIXED.centre());
  }

  @Test
  void aMapAndItsInverseAreConsistent() {
    Affine forward = motion();
    InverseConsistency ice = InverseConsistency.of(DisplacementField.of(FIXED, forward),
        DisplacementField.of(MOVING, forward.inverse()));
    assertEquals(1.0, ice.counted(), "every mapped voxel should land in the moving grid");
    assertEquals(0, ice.maxMm(), 1e-4);
  }

  @Test
  void aReverseMapOffByAShiftIsInconsistentByThatShift() {
    Affine forward = motion();
    Affine offBy = Affine.translation(new double[] {0.3, -0.4, 1.2}).after(forward.inverse());
    InverseConsistency ice = InverseConsistency.of(DisplacementField.of(FIXED, forward),
        DisplacementField.of(MOVING, offBy));
    assertEquals(1.3, ice.meanMm(), 1e-4);
    assertEquals(1.3, ice.maxMm(), 1e-4);
  }

  @Test
  void voxelsMappedOutsideTheMovingGridAreNotCounted() {
    Grid small = new Grid(new int[] {6, 5, 4}, FIXED.spacing(), FIXED.origin(), FIXED.direction());
    InverseConsistency ice = InverseConsistency.of(DisplacementField.of(FIXED, Affine.identity(3)),
        DisplacementField.of(small, Affine.identity(3)));
    assertEquals(6.0 * 5 * 4 / (12 * 10 * 9), ice.counted(), 1e-12);
    assertEquals(0, ice.maxMm(), 1e-6);
    assertTrue(ice.meanMm() >= 0);
  }
}
