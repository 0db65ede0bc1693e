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
    double bump = Math.exp(-0.5 * (dx * dx + dy * dy));
    y[0] += 4.0 * bump * Math.sin(1.5 * dy);
    y[1] += -4.0 * bump * Math.sin(1.5 * dx);
    return y;
  }

  /**
   * The fixed scene: the phantom plus a low-frequency pattern (wavelength ~15 mm, well above the
   * displacements), so every region has texture: in a flat region no method can see motion along it.
   */
  private static double scene(Phantom phantom, double[] x) {
    return phantom.valueAt(x) + 0.3 * Math.sin(0.4 * x[0] + 0.5) * Math.sin(0.45 * x[1]);
  }

  private static Image fixedFor(Phantom phantom, Grid grid) {
    return movingFor(phantom, grid, x -> x);
  }

  /** moving(y) = scene(T^-1(y)), inverting T per voxel by fixed-point iteration. */
  private static Image movingFor(Phantom phantom, Grid grid, UnaryOperator<double[]> fixedToMoving) {
    int[] size = grid.size();
    float[] v = new float[Math.toIntExact(grid.voxelCount())];
    for (int flat = 0; flat < v.length; flat++) {
      double[] y = grid.indexToPhysical().apply(new double[] {flat % size[0], flat / size[0]});
      double[] x = y.clone();
      for (int k = 0; k < 60; k++) {
        double[] tx = fixedToMoving.apply(x);
        x[0] += y[0] - tx[0];
        x[1] += y[1] - tx[1];
      }
      v[flat] = (float) scene(phantom, x);
    }
    return Image.of(grid, v);
  }

  @Test
  void recoversASmoothDeformationWithinHalfAVoxelInsideTheObject() {
    double c = Math.cos(Math.toRadians(10));
    double s = Math.sin(Math.toRadians(10));
    Grid grid = new Grid(new int[] {96, 84}, new double[] {1.0, 1.2}, new double[] {-40, -45}, new double[] {c, -s, s, c});
    double[] centre = grid.center();
    Affine affine = Affine.translation(new double[] {1.5, -1.0});
    Phantom phantom = Phantom.inside(grid, 7);
    Image fixed = fixedFor(phantom, grid);
    Image moving = movingFor(phantom, grid, x -> truth(x, affine, centre));
    Image body = phantom.render(grid);

    DeformableResult result;
    try (NDManager manager = NativeScope.openCpu()) {
      result = new DeformableRegistration(DeformableSettings.defaults(LossKind.MSE)).register(fixed, moving, affine,
          manager);
      assertEquals(java.util.List.of(), manager.getManagedArrays(), "arrays left in the pair's manager");
    }
    DisplacementField found = result.fixedToMoving();
    double affineOnly = 0;
    double deformable = 0;
    int inside = 0;
    int[] size = grid.size();
    for (int flat = 0; flat < fixed.voxels().length; flat++) {
      if (body.voxels()[flat] < 0.5) {
        continue; // measure inside the object, where the images say where things are
      }
      double[] x = grid.indexToPhysical().apply(new double[] {flat % size[0], flat / size[0]});
      double[] t = truth(x, affine, centre);
      double[] a = affine.apply(x);
      double ex = x[0] + found.components()[0][flat] - t[0];
      double ey = x[1] + found.components()[1][flat] - t[1];
      deformable += Math.sqrt(ex * ex + ey * ey);
      affineOnly += Math.hypot(a[0] - t[0], a[1] - t[1]);
      inside++;
    }
    deformable /= inside;
    affineOnly /= inside;
    assertTrue(affineOnly > 1.0, "the deformation should matter: affine-only error " + affineOnly + " mm");
    assertTrue(deformable < 0.5, "mean error " + deformable + " mm (affine only: " + affineOnly + ")");
    assertEquals(0, JacobianStatistics.of(found).foldingFraction(), "the recovered map should not fold");
  }
}
