package org.warpspark.udfs.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TorchAffineThetaTest {
  /** Fixed: 3 x 2 voxels of 2 x 1 mm at (10, 20). Moving: 5 x 3 voxels of 1 mm at (9, 19). */
  private static final Grid SMALL_FIXED = Grid.of(new int[] {3, 2}, new double[] {2, 1}, new double[] {10, 20});
  private static final Grid SMALL_MOVING = Grid.of(new int[] {5, 3}, new double[] {1, 1}, new double[] {9, 19});

  /*
   * Worked by hand, identity fixedToMoving, alignCorners=true:
   *   fixed  x_n = i - 1, y_n = 2 j - 1      =>  p = (12 + 2 x_n, 20.5 + 0.5 y_n)
   *   moving mi = p_x - 9, mj = p_y - 19     =>  mi = 3 + 2 x_n, mj = 1.5 + 0.5 y_n
   *   moving mx_n = mi / 2 - 1, my_n = mj - 1 => (0.5 + x_n, 0.5 + 0.5 y_n)
   */
  @Test
  void workedExampleAlignCorners() {
    TorchAffineTheta theta = TorchAffineTheta.fromFixedToMoving(Affine.identity(2), SMALL_FIXED, SMALL_MOVING, true);
    assertArrayEquals(new double[] {1, 0, 0.5, 0, 0.5, 0.5}, theta.rowMajor(), 1e-15);
  }

  /*
   * alignCorners=false:
   *   fixed  x_n = (2 i + 1) / 3 - 1, y_n = j - 0.5  =>  p = (12 + 3 x_n, 20.5 + y_n)
   *   moving mi = 3 + 3 x_n, mj = 1.5 + y_n
   *   moving mx_n = (2 mi + 1) / 5 - 1 = 0.4 + 1.2 x_n, my_n = (2 mj + 1) / 3 - 1 = 1/3 + 2/3 y_n
   */
  @Test
  void workedExampleHalfVoxelCorners() {
    TorchAffineTheta theta = TorchAffineTheta.fromFixedToMoving(Affine.identity(2), SMALL_FIXED, SMALL_MOVING, false);
    assertArrayEquals(new double[] {1.2, 0, 0.4, 0, 2.0 / 3, 1.0 / 3}, theta.rowMajor(), 1e-15);
  }

  /* A 1 mm shift along x moves mi by 1, so mx_n by 2 / (5 - 1) = 0.5 with alignCorners. */
  @Test
  void workedExampleTranslation() {
    Affine shift = Affine.translation(new double[] {1, 0});
    TorchAffineTheta theta = TorchAffineTheta.fromFixedToMoving(shift, SMALL_FIXED, SMALL_MOVING, true);
    assertArrayEquals(new double[] {1, 0, 1.0, 0, 0.5, 0.5}, theta.rowMajor(), 1e-15);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void matrixToThetaToMatrixRoundTrips(boolean alignCorners) {
    Random random = new Random(11);
    for (int n = 0; n < 50; n++) {
      for (int d = 2; d <= 3; d++) {
        Grid fixed = d == 2 ? Fixtures.fixed2D() : Fixtures.fixed3D();
        Grid moving = d == 2 ? Fixtures.moving2D() : Fixtures.moving3D();
        Affine fixedToMoving = Fixtures.randomAffine(random, d);
        TorchAffineTheta theta = TorchAffineTheta.fromFixedToMoving(fixedToMoving, fixed, moving, alignCorners);
        Affine back = theta.toFixedToMoving(fixed, moving);
        assertTrue(back.maxAbsDifference(fixedToMoving) < 1e-9, () -> back + " vs " + fixedToMoving);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void thetaToMatrixToThetaRoundTrips(boolean alignCorners) {
    Random random = new Random(12);
    Grid fixed = Fixtures.fixed3D();
    Grid moving = Fixtures.moving3D();
    for (int n = 0; n < 50; n++) {
      double[] m = new double[12];
      for (int i = 0; i < m.length; i++) {
        m[i] = (i % 5 == 0 ? 1 : 0) + Fixtures.uniform(random, -0.3, 0.3);
      }
      TorchAffineTheta theta = new TorchAffineTheta(3, m, alignCorners);
      TorchAffineTheta back = TorchAffineTheta.fromFixedToMoving(theta.toFixedToMoving(fixed, moving), fixed, moving,
          alignCorners);
      assertArrayEquals(m, back.rowMajor(), 1e-12);
    }
  }

  @Test
  void thetaMapsEachFixedVoxelToTheNormalisedMovingPoint() {
    Grid fixed = Fixtures.fixed3D();
    Grid moving = Fixtures.moving3D();
    Affine fixedToMoving = Fixtures.mildFixedToMoving(fixed);
    for (boolean alignCorners : new boolean[] {true, false}) {
      Affine theta = TorchAffineTheta.fromFixedToMoving(fixedToMoving, fixed, moving, alignCorners)
          .normalizedFixedToNormalizedMoving();
      for (long v = 0; v < fixed.voxelCount(); v += 7) {
        double[] i = Fixtures.index(fixed.size(), v);
        double[] expected = Fixtures.torchNormalised(moving.physicalToIndex().apply(fixedToMoving.apply(fixed.indexToPhysical()
            .apply(i))), moving.size(), alignCorners);
        assertArrayEquals(expected, theta.apply(Fixtures.torchNormalised(i, fixed.size(), alignCorners)), 1e-12);
      }
    }
  }

  @Test
  void sizeOneAxesNormaliseToZeroInBothModes() {
    Grid slice = Grid.of(new int[] {4, 3, 1}, new double[] {1, 1, 5}, new double[3]);
    for (boolean alignCorners : new boolean[] {true, false}) {
      Affine n = TorchAffineTheta.indexToNormalized(slice, alignCorners);
      assertEquals(0, n.apply(new double[] {0, 0, 0})[2], "torch puts a size-1 output axis at 0");
      assertEquals(2, n.apply(new double[] {0, 0, 1})[2], "one voxel is two normalised units");
      assertEquals(-1, n.apply(new double[] {alignCorners ? 0 : -0.5, 0, 0})[0], 1e-15);
    }
  }
}
