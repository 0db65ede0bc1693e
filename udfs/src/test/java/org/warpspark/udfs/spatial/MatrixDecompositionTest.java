package org.warpspark.udfs.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MatrixDecompositionTest {
  private static final double TOL = 1e-9;

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void decomposingToAffineGivesBackRandomParameters(int d) {
    Random random = new Random(20240611L + d);
    for (int n = 0; n < 500; n++) {
      MotionParameters expected = Fixtures.randomMotion(random, d);
      double[] center = Fixtures.randomPoint(random, d);
      MotionParameters actual = MatrixDecomposition.decompose(expected.toAffine(center), center);
      String what = "case " + n;
      assertArrayEquals(expected.translation(), actual.translation(), TOL, what + " translation");
      assertArrayEquals(expected.angles(), actual.angles(), TOL, what + " angles");
      assertArrayEquals(expected.logScales(), actual.logScales(), TOL, what + " log-scales");
      assertArrayEquals(expected.shears(), actual.shears(), TOL, what + " shears");
    }
  }

  @Test
  void theCentreOnlyMovesTheTranslation() {
    MotionParameters p = Fixtures.randomMotion(new Random(7), 3);
    Affine map = p.toAffine(new double[] {10, -20, 30});
    MotionParameters aboutOrigin = MatrixDecomposition.decompose(map, new double[3]);
    assertArrayEquals(map.translation(), aboutOrigin.translation(), 1e-12, "about 0, t is the matrix's offset");
    assertArrayEquals(p.angles(), aboutOrigin.angles(), TOL);
  }

  @ParameterizedTest
  @ValueSource(doubles = {Math.PI / 2, -Math.PI / 2})
  void gimbalLockKeepsTheMatrixAndZeroesRz(double ry) {
    MotionParameters p = MotionParameters.identity(3);
    p.angles()[0] = 0.7;
    p.angles()[1] = ry;
    p.angles()[2] = -0.4;
    p.logScales()[1] = 0.2;
    p.shears()[2] = 0.1;
    double[] c = {1, 2, 3};
    Affine map = p.toAffine(c);
    MotionParameters back = MatrixDecomposition.decompose(map, c);
    assertEquals(0, back.angles()[2], "rz is fixed to 0 in gimbal lock");
    assertEquals(ry, back.angles()[1], 1e-7);
    assertTrue(back.toAffine(c).maxAbsDifference(map) < 1e-9, () -> back.toAffine(c) + " vs " + map);
  }

  @Test
  void eulerAnglesMatchTheWrittenOutProduct() {
    double[] angles = MatrixDecomposition.eulerAnglesZyx(Fixtures.rotationZyx(0.3, -0.2, 0.5));
    assertArrayEquals(new double[] {0.3, -0.2, 0.5}, angles, 1e-12);
    assertArrayEquals(new double[3], MatrixDecomposition.eulerAnglesZyx(Affine.identity(3).linear()), 0);
  }

  @Test
  void reflectionsAreRefusedByName() {
    Affine flip = Affine.of(new double[] {-1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[] {1, 2, 3});
    assertTrue(MatrixDecomposition.isReflection(flip));
    assertFalse(MatrixDecomposition.isReflection(Affine.identity(3)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MatrixDecomposition.decompose(flip, new double[3]));
    assertTrue(e.getMessage().contains("reflection"), e.getMessage());
  }

  @Test
  void singularMatricesAreRefused() {
    Affine flat = Affine.of(new double[] {1, 2, 0, 2, 4, 0, 0, 0, 1}, new double[3]);
    assertThrows(IllegalArgumentException.class, () -> MatrixDecomposition.decompose(flat, new double[3]));
  }

  @Test
  void qrFactorsWithPositiveDiagonal() {
    double[] a = {2, -1, 0.5, 0.3, 1.5, -2, 1, 0.2, 3};
    double[][] qu = MatrixDecomposition.qr(a, 3);
    assertArrayEquals(a, Linear.multiply(qu[0], qu[1], 3), 1e-12);
    double[] qtq = Linear.multiply(transpose(qu[0]), qu[0], 3);
    assertArrayEquals(Affine.identity(3).linear(), qtq, 1e-12);
    for (int i = 0; i < 3; i++) {
      assertTrue(qu[1][i * 3 + i] > 0);
      for (int j = 0; j < i; j++) {
        assertEquals(0, qu[1][i * 3 + j], "U is upper triangular");
      }
    }
  }

  private static double[] transpose(double[] m) {
    return new double[] {m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]};
  }
}
