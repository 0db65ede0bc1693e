package org.warpspark.udfs.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GridTest {
  private static final double C = Math.cos(Math.toRadians(30));
  private static final double S = Math.sin(Math.toRadians(30));

  @Test
  void indexToPhysicalFollowsItkWithColumnsAsAxisDirections() {
    Grid grid = new Grid(new int[] {5, 4}, new double[] {2.0, 0.5}, new double[] {-10, 20}, new double[] {C, -S, S, C});
    // p = origin + D diag(spacing) i: index (1, 2) moves 2 mm along column 0 and 1 mm along column 1.
    double[] expected = {-10 + 2 * C - 1 * S, 20 + 2 * S + 1 * C};
    assertArrayEquals(expected, grid.indexToPhysical().apply(new double[] {1, 2}), 1e-12);
    assertArrayEquals(new double[] {1, 2}, grid.physicalToIndex().apply(expected), 1e-12);
  }

  @Test
  void refusesDirectionsThatAreNotRotationsOrReflections() {
    double[] shear = {1, 0.5, 0, 1}; // det 1, but not orthonormal
    assertThrows(IllegalArgumentException.class,
        () -> new Grid(new int[] {3, 3}, new double[] {1, 1}, new double[] {0, 0}, shear));
    double[] reflection = {-1, 0, 0, 1};
    new Grid(new int[] {3, 3}, new double[] {1, 1}, new double[] {0, 0}, reflection);
  }

  @Test
  void sameGeometryToleratesFloat32RoundingOnly() {
    Grid grid = new Grid(new int[] {5, 4}, new double[] {0.7, 1.3}, new double[] {-12.25, 7.5}, new double[] {C, -S, S, C});
    Grid rounded = new Grid(grid.size(), new double[] {(float) 0.7, (float) 1.3}, new double[] {-12.25, 7.5},
        new double[] {(float) C, (float) -S, (float) S, (float) C});
    assertTrue(grid.sameGeometry(rounded, 1e-4));
    Grid shifted = new Grid(grid.size(), grid.spacing(), new double[] {-12.0, 7.5}, grid.direction());
    assertFalse(grid.sameGeometry(shifted, 1e-4));
  }
}
