package org.warpspark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.warpspark.udfs.spatial.Grid;

/**
 * Deliberately awkward test images: odd sizes, anisotropic spacing, off-centre origins and a real
 * oblique rotation, with voxel values that reach the ends of each type's range.
 */
final class Fixtures {
  private Fixtures() {}

  /** 30 degrees about the oblique axis (1, 2, 3): no entry is 0 or 1, so any transpose shows. */
  static double[] obliqueRotation() {
    return rotation(new double[] {1, 2, 3}, 30);
  }

  /** Row-major rotation by {@code degrees} about {@code axis} (Rodrigues' formula). */
  static double[] rotation(double[] axis, double degrees) {
    double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
    double[] k = {axis[0] / n, axis[1] / n, axis[2] / n};
    double c = Math.cos(Math.toRadians(degrees));
    double s = Math.sin(Math.toRadians(degrees));
    double[][] cross = {{0, -k[2], k[1]}, {k[2], 0, -k[0]}, {-k[1], k[0], 0}};
    double[] r = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        r[i * 3 + j] = (i == j ? c : 0) + s * cross[i][j] + (1 - c) * k[i] * k[j];
      }
    }
    return r;
  }

  /** {@code diag(a, b, c) * m} for a row-major 3x3 {@code m}. */
  static double[] scaleRows(double a, double b, double c, double[] m) {
    double[] s = {a, b, c};
    double[] r = new double[9];
    for (int i = 0; i < 9; i++) {
      r[i] = s[i / 3] * m[i];
    }
    return r;
  }

  /** {@code m * diag(1, 1, -1)}: a reflection of the third axis. */
  static double[] reflectThirdColumn(double[] m) {
    double[] r = m.clone();
    for (int row = 0; row < 3; row++) {
      r[row * 3 + 2] = -r[row * 3 + 2];
    }
    return r;
  }

  /**
   * LPS directions {@code D = diag(-1,-1,1) Q} whose RAS rotations {@code Q} reach every branch of
   * the rotation-to-quaternion conversion (positive trace; x, y or z diagonal entry largest; a half
   * turn with scalar part 0), each also with a reflection; plus LPS identity and Fixtures' rotation.
   */
  static double[][] directionsForQform() {
    double[][] ras = {
        rotation(new double[] {1, 2, 3}, 30),
        rotation(new double[] {3, 1, 2}, 150),
        rotation(new double[] {1, 3, 2}, 150),
        rotation(new double[] {1, 2, 3}, 150),
        rotation(new double[] {1, 2, 3}, 180)};
    double[][] lps = new double[2 * ras.length + 2][];
    for (int i = 0; i < ras.length; i++) {
      lps[2 * i] = scaleRows(-1, -1, 1, ras[i]);
      lps[2 * i + 1] = scaleRows(-1, -1, 1, reflectThirdColumn(ras[i]));
    }
    lps[2 * ras.length] = new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
    lps[2 * ras.length + 1] = obliqueRotation();
    return lps;
  }

  /** 7x5x3, spacing 0.7/1.3/2.9 mm, origin off centre, oblique rotation. */
  static Grid grid3d() {
    return new Grid(new int[] {7, 5, 3}, new double[] {0.7, 1.3, 2.9}, new double[] {-12.5, 33.25, 7.125},
        obliqueRotation());
  }

  /** As {@link #grid3d()} but with a reflection (det -1), which NIfTI's qform stores as qfac = -1. */
  static Grid reflectedGrid3d() {
    return new Grid(new int[] {7, 5, 3}, new double[] {0.7, 1.3, 2.9}, new double[] {-12.5, 33.25, 7.125},
        reflectThirdColumn(obliqueRotation()));
  }

  /** 7x5, spacing 0.6/1.7 mm, origin off centre, rotated by 30 degrees. */
  static Grid grid2d() {
    double c = Math.cos(Math.toRadians(30));
    double s = Math.sin(Math.toRadians(30));
    return new Grid(new int[] {7, 5}, new double[] {0.6, 1.7}, new double[] {4.75, -21.5}, new double[] {c, -s, s, c});
  }

  /** Values representable in {@code type}, including both ends of its range. */
  static float[] voxels(PixelType type, int count) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = switch (type) {
        case UINT8 -> (i * 37) % 256;
        case INT8 -> (i * 37) % 256 - 128;
        case INT16 -> (i * 7919) % 65536 - 32768;
        case UINT16 -> (i * 7919) % 65536;
        case INT32 -> i * 104729 - 5_000_000;
        case FLOAT32, FLOAT64 -> (float) (i * 0.37 - 5.5);
      };
    }
    v[0] = (float) Math.max(VoxelCodec.minOf(type), -1e30);
    v[count - 1] = (float) Math.min(VoxelCodec.maxOf(type), 1e30);
    return v;
  }

  static Image image(Grid grid, PixelType type) {
    return new Image(grid, voxels(type, (int) grid.voxelCount()), type);
  }

  /** Geometry equal within {@code tolerance} (absolute, mm for origin and spacing). */
  static void assertGridClose(Grid expected, Grid actual, double tolerance) {
    assertArrayEquals(expected.size(), actual.size(), "size");
    assertArrayEquals(expected.spacing(), actual.spacing(), tolerance, "spacing");
    assertArrayEquals(expected.origin(), actual.origin(), tolerance, "origin");
    assertArrayEquals(expected.direction(), actual.direction(), tolerance, "direction");
  }

  static void assertVoxelsEqual(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, "voxel count");
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
        assertEquals(expected[i], actual[i], "voxel " + i);
      }
    }
  }
}
