package org.warpspark.udfs.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.Linear;
import org.warpspark.udfs.spatial.MotionParameters;

class JacobianStatisticsTest {
  private static final double C = Math.cos(Math.toRadians(25));
  private static final double S = Math.sin(Math.toRadians(25));

  /** Anisotropic, rotated, off-centre: the determinant must not depend on the grid's own frame. */
  private static Grid awkward() {
    return new Grid(new int[] {9, 8, 7}, new double[] {1.5, 0.8, 2.5}, new double[] {-12, 30, 4},
        new double[] {C, 0, S, 0, 1, 0, -S, 0, C});
  }

  @Test
  void affineMapHasItsMatrixDeterminantEverywhere() {
    MotionParameters p = MotionParameters.identity(3);
    p.angles()[0] = 0.2;
    p.angles()[2] = -0.1;
    p.logScales()[0] = 0.1;
    p.logScales()[1] = -0.2;
    p.shears()[1] = 0.15;
    p.translation()[2] = 3;
    Grid grid = awkward();
    Affine map = p.toAffine(grid.centre());
    JacobianStatistics stats = JacobianStatistics.of(DisplacementField.of(grid, map));
    double expected = Linear.determinant(map.linear(), 3); // exp(0.1 - 0.2)
    assertEquals(Math.exp(-0.1), expected, 1e-12);
    assertEquals(expected, stats.min(), 1e-5);
    assertEquals(expected, stats.max(), 1e-5);
    assertEquals(0, stats.foldingFraction());
    assertEquals(0, stats.sdLogJacobian(), 1e-5);
  }

  @Test
  void aFoldIsCountedAndSpreadsTheLogDeterminant() {
    Grid grid = Grid.of(new int[] {20, 10}, new double[] {1, 1}, new double[] {0, 0});
    float[][] u = new float[2][200];
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 20; x++) {
        // u_x = -1.5 (x - 10) inside 8 <= x <= 12: T_x = x + u_x decreases there (dT/dx = -0.5), a fold.
        u[0][x + 20 * y] = x >= 8 && x <= 12 ? (float) (-1.5 * (x - 10)) : (x < 8 ? 3f : -3f);
      }
    }
    JacobianStatistics stats = JacobianStatistics.of(new DisplacementField(grid, u));
    assertTrue(stats.foldingFraction() > 0.1 && stats.foldingFraction() < 0.5, "fraction " + stats.foldingFraction());
    assertTrue(stats.min() < 0, "min " + stats.min());
    assertTrue(stats.sdLogJacobian() > 0.1, "SDlogJ " + stats.sdLogJacobian());
  }
}
