package org.warpspark.udfs.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Where a field has a displacement: our border rule and ITK's {@code DisplacementFieldTransform}'s. */
class DisplacementFieldTest {
  /** 3 x 2 voxels of 2 mm from the origin; u_x = 10 * i + j, u_y = -1 everywhere. */
  private static final DisplacementField FIELD = new DisplacementField(
      Grid.of(new int[] {3, 2}, new double[] {2, 2}, new double[] {0, 0}),
      new float[][] {{0, 10, 20, 1, 11, 21}, {-1, -1, -1, -1, -1, -1}});
  private static final Affine TO_INDEX = FIELD.grid().physicalToIndex();

  @Test
  void itkInterpolatesInsideClampsWithinHalfAVoxelAndLeavesPointsBeyond() {
    assertArrayEquals(new double[] {15.5, -1}, itk(3, 1), 1e-12, "linear between voxel centres");
    assertArrayEquals(new double[] {0, -1}, itk(-0.98, 0), 1e-12, "index -0.49: the border voxel's value");
    assertArrayEquals(new double[] {0, 0}, itk(-1.02, 0), 1e-12, "index -0.51: no displacement");
    assertArrayEquals(new double[] {21, -1}, itk(4.98, 2.98), 1e-12, "index (2.49, 1.49): the corner voxel's value");
    assertArrayEquals(new double[] {0, 0}, itk(5, 0), 1e-12, "index 2.5 is outside: the upper bound is open");
  }

  @Test
  void ourRuleStopsAtTheBorderVoxelCentres() {
    double[] out = new double[2];
    assertTrue(FIELD.at(new double[] {3, 1}, TO_INDEX, out));
    assertArrayEquals(new double[] {15.5, -1}, out, 1e-12);
    assertFalse(FIELD.at(new double[] {-0.98, 0}, TO_INDEX, out), "half a voxel out is outside for the metrics");
  }

  /**
   * Splitting the whole map into an affine after a field: {@code A(x + r(x)) = x + u(x)} at every voxel,
   * here with {@code A} a doubling plus a shift, so {@code r(x) = (x + u(x) - t) / 2 - x} by hand.
   */
  @Test
  void followedByComposesAnAffineAfterTheMapAtEveryVoxel() {
    Affine a = Affine.of(new double[] {2, 0, 0, 2}, new double[] {4, -6});
    DisplacementField r = FIELD.followedBy(a.inverse());
    double[] index = new double[2];
    for (int v = 0; v < 6; v++) {
      FIELD.grid().index(v, index);
      double[] x = FIELD.grid().indexToPhysical().apply(index);
      for (int c = 0; c < 2; c++) {
        double shift = c == 0 ? 4 : -6;
        assertEquals((x[c] + FIELD.components()[c][v] - shift) / 2 - x[c], r.components()[c][v], 1e-6, "voxel " + v);
      }
      double[] back = a.apply(new double[] {x[0] + r.components()[0][v], x[1] + r.components()[1][v]});
      assertArrayEquals(new double[] {x[0] + FIELD.components()[0][v], x[1] + FIELD.components()[1][v]}, back, 1e-5);
    }
    assertEquals(FIELD.grid(), r.grid());
  }

  private static double[] itk(double x, double y) {
    double[] out = {Double.NaN, Double.NaN};
    FIELD.atAsItk(new double[] {x, y}, TO_INDEX, out);
    return out;
  }
}
