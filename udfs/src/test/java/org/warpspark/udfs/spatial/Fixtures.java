package org.warpspark.udfs.spatial;

import java.util.Random;

/** Deliberately awkward grids and motions shared by the spatial tests. */
final class Fixtures {
  private Fixtures() {}

  /** Row-major {@code Rz Ry Rx}, written out here rather than taken from {@link MotionParameters}. */
  static double[] rotationZyx(double rx, double ry, double rz) {
    return Linear.multiply(ItkLayouts.rotationZ(rz), Linear.multiply(ItkLayouts.rotationY(ry),
        ItkLayouts.rotationX(rx), 3), 3);
  }

  static double[] rotation2D(double angle) {
    return new double[] {Math.cos(angle), -Math.sin(angle), Math.sin(angle), Math.cos(angle)};
  }

  /** Odd sizes, anisotropic spacing, off-centre origin, a real 3D rotation as direction. */
  static Grid fixed3D() {
    return new Grid(new int[] {7, 6, 5}, new double[] {0.8, 1.3, 2.1}, new double[] {-12.5, 30.25, 7.75},
        rotationZyx(0.3, -0.2, 0.5));
  }

  /** A direction with det -1 (an LPS/RAS-style flip after a rotation) and other sizes and spacing. */
  static Grid moving3D() {
    double[] flip = {-1, 0, 0, 0, -1, 0, 0, 0, 1};
    return new Grid(new int[] {9, 8, 11}, new double[] {1.1, 0.7, 1.9}, new double[] {4.5, -3.25, 18.0},
        Linear.multiply(flip, rotationZyx(-0.4, 0.25, 0.1), 3));
  }

  static Grid fixed2D() {
    return new Grid(new int[] {9, 4}, new double[] {0.7, 1.9}, new double[] {-30.5, 12.25}, rotation2D(0.4));
  }

  static Grid moving2D() {
    return new Grid(new int[] {6, 11}, new double[] {1.3, 0.6}, new double[] {2.0, -7.5}, rotation2D(-0.9));
  }

  /** A moving grid of {@code size} and {@code spacing} whose centre is {@code fixedToMoving(fixed centre)}. */
  static Grid movingAround(Grid fixed, Affine fixedToMoving, int[] size, double[] spacing, double[] direction) {
    Grid atZero = new Grid(size, spacing, new double[size.length], direction);
    double[] want = fixedToMoving.apply(fixed.centre());
    double[] have = atZero.centre();
    double[] origin = new double[size.length];
    for (int i = 0; i < origin.length; i++) {
      origin[i] = want[i] - have[i];
    }
    return new Grid(size, spacing, origin, direction);
  }

  /** A mild motion (a few degrees, a few percent, a few mm) about the fixed centre. */
  static Affine mildFixedToMoving(Grid fixed) {
    int d = fixed.dim();
    MotionParameters p = MotionParameters.identity(d);
    if (d == 2) {
      p.angles()[0] = 0.15;
      p.shears()[0] = 0.04;
      p.logScales()[0] = 0.05;
      p.logScales()[1] = -0.03;
      p.translation()[0] = 1.25;
      p.translation()[1] = -0.75;
    } else {
      double[] angles = {0.1, -0.15, 0.2};
      double[] logScales = {0.05, -0.03, 0.08};
      double[] shears = {0.05, -0.04, 0.03};
      double[] t = {3.5, -2.25, 1.75};
      System.arraycopy(angles, 0, p.angles(), 0, 3);
      System.arraycopy(logScales, 0, p.logScales(), 0, 3);
      System.arraycopy(shears, 0, p.shears(), 0, 3);
      System.arraycopy(t, 0, p.translation(), 0, 3);
    }
    return p.toAffine(fixed.centre());
  }

  /** Random parameters with angles in the principal ranges ({@code ry} away from gimbal lock). */
  static MotionParameters randomMotion(Random random, int d) {
    MotionParameters p = MotionParameters.identity(d);
    for (int i = 0; i < d; i++) {
      p.translation()[i] = uniform(random, -40, 40);
      p.logScales()[i] = uniform(random, -0.5, 0.5);
    }
    if (d == 2) {
      p.angles()[0] = uniform(random, -3.1, 3.1);
      p.shears()[0] = uniform(random, -0.6, 0.6);
    } else {
      p.angles()[0] = uniform(random, -3.1, 3.1);
      p.angles()[1] = uniform(random, -1.5, 1.5);
      p.angles()[2] = uniform(random, -3.1, 3.1);
      for (int i = 0; i < 3; i++) {
        p.shears()[i] = uniform(random, -0.6, 0.6);
      }
    }
    return p;
  }

  static Affine randomAffine(Random random, int d) {
    return randomMotion(random, d).toAffine(randomPoint(random, d));
  }

  static double[] randomPoint(Random random, int d) {
    double[] x = new double[d];
    for (int i = 0; i < d; i++) {
      x[i] = uniform(random, -100, 100);
    }
    return x;
  }

  static double uniform(Random random, double lo, double hi) {
    return lo + (hi - lo) * random.nextDouble();
  }

  /** Voxel {@code v} (axis 0 fastest) as an index vector. */
  static double[] index(int[] size, long v) {
    double[] i = new double[size.length];
    long rest = v;
    for (int a = 0; a < size.length; a++) {
      i[a] = rest % size[a];
      rest /= size[a];
    }
    return i;
  }

  /** Torch's normalisation of voxel indices, restated here independently of {@link TorchAffineTheta}. */
  static double[] torchNormalised(double[] index, int[] size, boolean alignCorners) {
    double[] n = new double[index.length];
    for (int a = 0; a < n.length; a++) {
      n[a] = alignCorners && size[a] > 1 ? 2 * index[a] / (size[a] - 1) - 1 : (2 * index[a] + 1) / size[a] - 1;
    }
    return n;
  }

  static double maxAbsDifference(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
