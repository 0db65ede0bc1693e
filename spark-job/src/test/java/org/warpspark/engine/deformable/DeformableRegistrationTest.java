package org.warpspark.engine.deformable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.image.Image;
import org.warpspark.image.Phantom;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.metric.JacobianStatistics;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/** Recovers a known smooth non-linear motion on top of a known affine one. */
class DeformableRegistrationTest {

  /** The true fixed-to-moving map: an affine part plus a smooth bump of a few millimetres. */
  private static double[] truth(double[] x, Affine affine, double[] centre) {
    double[] y = affine.apply(x);
    double dx = (x[0] - centre[0]) / 14;
    double dy = (x[1] - centre[1]) / 14;
    double dz = x.length == 3 ? (x[2] - centre[2]) / 14 : 0;
    double bump = Math.exp(-0.5 * (dx * dx + dy * dy + dz * dz));
    y[0] += 4.0 * bump * Math.sin(1.5 * dy);
    y[1] += -4.0 * bump * Math.sin(1.5 * dx);
    if (x.length == 3) {
      y[2] += 2.5 * bump * Math.sin(1.5 * dx);
    }
    return y;
  }

  private static double[] index(Grid grid, int flat) {
    int[] size = grid.size();
    double[] index = new double[size.length];
    int rest = flat;
    for (int a = 0; a < size.length; a++) {
      index[a] = rest % size[a];
      rest /= size[a];
    }
    return index;
  }

  /**
   * The fixed scene: the phantom plus a low-frequency pattern (wavelength ~15 mm, well above the
   * displacements), so every region has texture: in a flat region no method can see motion along it.
   */
  private static double scene(Phantom phantom, double[] x) {
    double pattern = Math.sin(0.4 * x[0] + 0.5) * Math.sin(0.45 * x[1]);
    return phantom.valueAt(x) + 0.3 * (x.length == 3 ? pattern * Math.cos(0.35 * x[2]) + 0.2 * Math.sin(0.5 * x[2]) : pattern);
  }

  private static Image fixedFor(Phantom phantom, Grid grid) {
    return movingFor(phantom, grid, x -> x);
  }

  /** moving(y) = scene(T^-1(y)), inverting T per voxel by fixed-point iteration. */
  private static Image movingFor(Phantom phantom, Grid grid, UnaryOperator<double[]> fixedToMoving) {
    float[] v = new float[Math.toIntExact(grid.voxelCount())];
    for (int flat = 0; flat < v.length; flat++) {
      double[] y = grid.indexToPhysical().apply(index(grid, flat));
      double[] x = y.clone();
      for (int k = 0; k < 60; k++) {
        double[] tx = fixedToMoving.apply(x);
        for (int a = 0; a < x.length; a++) {
          x[a] += y[a] - tx[a];
        }
      }
      v[flat] = (float) scene(phantom, x);
    }
    return Image.of(grid, v);
  }

  @Test
  void recoversASmoothDeformationIn2d() {
    double c = Math.cos(Math.toRadians(10));
    double s = Math.sin(Math.toRadians(10));
    recoversWithinHalfAVoxel(new Grid(new int[] {96, 84}, new double[] {1.0, 1.2}, new double[] {-40, -45},
        new double[] {c, -s, s, c}), Affine.translation(new double[] {1.5, -1.0}), DeformableSettings.defaults(LossKind.MSE));
  }

  @Test
  void recoversASmoothDeformationIn3dOnAnAnisotropicRotatedGrid() {
    double c = Math.cos(Math.toRadians(15));
    double s = Math.sin(Math.toRadians(15));
    recoversWithinHalfAVoxel(new Grid(new int[] {48, 44, 36}, new double[] {1.2, 1.0, 1.5},
        new double[] {-25, -20, -24}, new double[] {c, -s, 0, s, c, 0, 0, 0, 1}),
        Affine.translation(new double[] {1.5, -1.0, 0.5}), DeformableSettings.defaults(LossKind.MSE));
  }

  /** The mean error of the whole map inside the object is under half the finest spacing, and it does not fold. */
  private static void recoversWithinHalfAVoxel(Grid grid, Affine affine, DeformableSettings settings) {
    double[] centre = grid.center();
    Phantom phantom = Phantom.inside(grid, 7);
    Image fixed = fixedFor(phantom, grid);
    Image moving = movingFor(phantom, grid, x -> truth(x, affine, centre));
    Image body = phantom.render(grid);

    DeformableResult result;
    try (NDManager manager = NativeScope.openCpu()) {
      result = new DeformableRegistration(settings).register(fixed, moving, affine, manager);
      assertEquals(java.util.List.of(), manager.getManagedArrays(), "arrays left in the pair's manager");
    }
    DisplacementField found = result.fixedToMoving();
    int d = grid.dim();
    double affineOnly = 0;
    double deformable = 0;
    int inside = 0;
    for (int flat = 0; flat < fixed.voxels().length; flat++) {
      if (body.voxels()[flat] < 0.5) {
        continue; // measure inside the object
      }
      double[] x = grid.indexToPhysical().apply(index(grid, flat));
      double[] t = truth(x, affine, centre);
      double[] a = affine.apply(x);
      double e2 = 0;
      double a2 = 0;
      for (int k = 0; k < d; k++) {
        double e = x[k] + found.components()[k][flat] - t[k];
        e2 += e * e;
        a2 += (a[k] - t[k]) * (a[k] - t[k]);
      }
      deformable += Math.sqrt(e2);
      affineOnly += Math.sqrt(a2);
      inside++;
    }
    deformable /= inside;
    affineOnly /= inside;
    double halfVoxel = 0.5 * java.util.Arrays.stream(grid.spacing()).min().orElseThrow();
    assertTrue(affineOnly > 1.0, "the deformation should matter: affine-only error " + affineOnly + " mm");
    assertTrue(deformable < halfVoxel, "mean error " + deformable + " mm (affine only: " + affineOnly + ")");
    assertEquals(0, JacobianStatistics.of(found).foldingFraction(), "the recovered map should not fold");
  }
}
