package org.warpspark.engine.deformable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.warpspark.engine.InvalidPairException;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.image.Image;
import org.warpspark.sample.KnownDeformation;
import org.warpspark.sample.Phantom;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.metric.InverseConsistency;
import org.warpspark.udfs.metric.JacobianStatistics;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/**
 * Recovers a known smooth non-linear motion on top of a known affine one, with every loss, both
 * regularisers and the diffeomorphic option, on grids with anisotropic spacing and rotated directions.
 */
class DeformableRegistrationTest {
  private static final double C10 = Math.cos(Math.toRadians(10));
  private static final double S10 = Math.sin(Math.toRadians(10));
  private static final Grid GRID_2D = new Grid(new int[] {96, 84}, new double[] {1.0, 1.2}, new double[] {-40, -45},
      new double[] {C10, -S10, S10, C10});
  private static final Affine SHIFT_2D = Affine.translation(new double[] {1.5, -1.0});
  private static final double C15 = Math.cos(Math.toRadians(15));
  private static final double S15 = Math.sin(Math.toRadians(15));
  private static final Grid GRID_3D = new Grid(new int[] {48, 44, 36}, new double[] {1.2, 1.0, 1.5},
      new double[] {-25, -20, -24}, new double[] {C15, -S15, 0, S15, C15, 0, 0, 0, 1});
  private static final Affine SHIFT_3D = Affine.translation(new double[] {1.5, -1.0, 0.5});

  @Test
  void theFlowRecoversASmoothDeformationWithoutFoldingIn2d() {
    assertFlowRecovers(GRID_2D, SHIFT_2D);
  }

  @Test
  void theFlowRecoversASmoothDeformationWithoutFoldingIn3d() {
    assertFlowRecovers(GRID_3D, SHIFT_3D);
  }

  @Test
  void theSymmetricFlowRecoversASmoothDeformationWithoutFoldingIn2d() {
    assertFlowRecovers(GRID_2D, SHIFT_2D, SYMMETRIC);
  }

  @Test
  void theSymmetricFlowRecoversASmoothDeformationWithoutFoldingIn3d() {
    assertFlowRecovers(GRID_3D, SHIFT_3D, SYMMETRIC);
  }

  /**
   * Swapping the images gives the symmetric model's inverse: registering the moving image to the fixed
   * one finds the map that the fixed-to-moving registration gave as its inverse, to a twentieth of a
   * voxel and far more closely than the greedy flow does (measured 0.024 mm against 0.079 mm).
   */
  @Test
  void theSymmetricFlowGivesTheSameMapWhicheverImageIsFixed() {
    KnownPair pair = KnownPair.of(GRID_2D, SHIFT_2D, 4.0, v -> v);
    double symmetric = swappedDifference(pair, SYMMETRIC);
    double greedy = swappedDifference(pair, DeformableSettings.defaults(LossKind.LNCC));
    assertTrue(symmetric < 0.05 && symmetric < 0.5 * greedy, "the swapped registration differs from the inverse by "
        + symmetric + " mm (greedy flow: " + greedy + " mm)");
  }

  /** How far the map found from the moving image to the fixed one is from the first registration's inverse. */
  private static double swappedDifference(KnownPair pair, DeformableSettings settings) {
    DeformableResult forward = registered(pair.fixed(), pair.moving(), pair.affine(), settings);
    DeformableResult swapped = registered(pair.moving(), pair.fixed(), pair.affine().inverse(), settings);
    return meanDifference(forward.movingToFixed(), swapped.fixedToMoving(), pair.body());
  }

  /**
   * Adam steps of 30 mm leave the B-spline far worse than the affine start by its own loss: the stage
   * keeps the affine map and says so.
   */
  @Test
  void aDeformableStageThatEndsWorseKeepsTheAffineMap() {
    KnownPair pair = KnownPair.of(GRID_2D, SHIFT_2D, 4.0, v -> v);
    DeformableSettings b = DeformableSettings.bsplineDefaults(LossKind.MSE);
    DeformableSettings wild = new DeformableSettings(b.loss(), b.window(), new int[] {1}, new int[] {5}, 30.0,
        b.controlSpacing(), b.regulariser(), b.regularisationWeight(), false, b.samplesPerIteration(),
        b.convergenceWindow(), b.convergenceTolerance(), 0, DeformableSettings.Model.BSPLINE, 0, 0);
    DeformableResult result = registered(pair.fixed(), pair.moving(), pair.affine(), wild);
    assertTrue(result.keptStart(), "the wild steps should have made it worse");
    assertEquals(result.initialLoss(), result.finalLoss());
    DisplacementField affineOnly = DisplacementField.of(GRID_2D, pair.affine());
    assertTrue(meanDifference(result.fixedToMoving(), affineOnly, pair.body()) < 1e-6, "the affine map is kept");
  }

  /** A control spacing far below the voxels' is refused, not wrapped into a tiny grid. */
  @Test
  void aControlSpacingFarBelowTheVoxelsIsRefused() {
    KnownPair pair = KnownPair.of(GRID_2D, SHIFT_2D, 4.0, v -> v);
    DeformableSettings tiny = DeformableSettings.bsplineDefaults(LossKind.MSE).withControlSpacing(1e-9);
    InvalidPairException e = assertThrows(InvalidPairException.class,
        () -> registered(pair.fixed(), pair.moving(), pair.affine(), tiny));
    assertTrue(e.getMessage().contains("control-spacing 1.0E-9 mm puts"), e.getMessage());
  }

  private static final DeformableSettings SYMMETRIC = DeformableSettings.defaults(LossKind.LNCC)
      .withFlow(DeformableSettings.Model.SYMMETRIC, 0.5, 5, 1);

  private static void assertFlowRecovers(Grid grid, Affine affine) {
    assertFlowRecovers(grid, affine, DeformableSettings.defaults(LossKind.LNCC));
  }

  /** A dense model: within half a voxel, no folding, and an inverse within a tenth of a voxel. */
  private static void assertFlowRecovers(Grid grid, Affine affine, DeformableSettings settings) {
    Outcome o = register(grid, affine, 4.0, settings, v -> v);
    o.assertWithinHalfAVoxel();
    assertEquals(0, o.jacobian().foldingFraction(), o.jacobian().toString());
    o.assertInverseWithinATenthOfAVoxel();
  }

  @Test
  void theFlowWithMeanSquaresRecoversIn3d() {
    register(GRID_3D, SHIFT_3D, 4.0, DeformableSettings.defaults(LossKind.MSE), v -> v).assertWithinHalfAVoxel();
  }

  @Test
  void recoversASmoothDeformationIn2d() {
    Outcome o = register(GRID_2D, SHIFT_2D, 4.0, DeformableSettings.bsplineDefaults(LossKind.MSE), v -> v);
    o.assertWithinHalfAVoxel();
    assertEquals(0, o.jacobian().foldingFraction(), "the recovered map should not fold: " + o.jacobian());
  }

  @Test
  void recoversASmoothDeformationIn3dOnAnAnisotropicRotatedGrid() {
    Outcome o = register(GRID_3D, SHIFT_3D, 4.0, DeformableSettings.bsplineDefaults(LossKind.MSE), v -> v);
    o.assertWithinHalfAVoxel();
    assertEquals(0, o.jacobian().foldingFraction(), "the recovered map should not fold: " + o.jacobian());
  }

  @Test
  void velocityFieldRecoversIn3dWithoutFolding() {
    Outcome o = register(GRID_3D, SHIFT_3D, 4.0, DeformableSettings.bsplineDefaults(LossKind.MSE).withDiffeomorphic(true),
        v -> v);
    o.assertWithinHalfAVoxel();
    assertEquals(0, o.jacobian().foldingFraction(), "exp(v) should not fold: " + o.jacobian());
  }

  /**
   * A swirl of 11 mm under weak regularisation: optimised directly, the displacement folds; as the
   * exponential of a velocity field it does not, and it is the more accurate of the two.
   */
  @Test
  void aLargeSwirlFoldsAsADisplacementButNotAsAVelocityField() {
    DeformableSettings weak = DeformableSettings.bsplineDefaults(LossKind.MSE)
        .withRegulariser(DeformableSettings.Regulariser.DIFFUSION, 0.0005);
    Outcome displacement = register(GRID_2D, SHIFT_2D, 11.0, weak, v -> v);
    Outcome velocity = register(GRID_2D, SHIFT_2D, 11.0, weak.withDiffeomorphic(true), v -> v);
    assertTrue(displacement.jacobian().foldingFraction() > 0, "expected folding: " + displacement.jacobian());
    assertEquals(0, velocity.jacobian().foldingFraction(), "exp(v) should not fold: " + velocity.jacobian());
    assertTrue(velocity.jacobian().min() > 0, "min det " + velocity.jacobian().min());
    velocity.assertWithinHalfAVoxel();
    assertTrue(velocity.error() < displacement.error(), "velocity " + velocity.error() + " mm, displacement "
        + displacement.error() + " mm");
  }

  @Test
  void bendingEnergyRegularisesIn3d() {
    Outcome o = register(GRID_3D, SHIFT_3D, 4.0, DeformableSettings.bsplineDefaults(LossKind.MSE)
        .withRegulariser(DeformableSettings.Regulariser.BENDING, 0.5), v -> v);
    o.assertWithinHalfAVoxel();
    assertEquals(0, o.jacobian().foldingFraction(), o.jacobian().toString());
  }

  /** Local NCC sees through a gain and offset, here with a velocity field and bending energy. */
  @Test
  void localNccRecoversUnderAGainAndOffsetIn3d() {
    DeformableSettings settings = DeformableSettings.bsplineDefaults(LossKind.LNCC).withLoss(LossKind.LNCC, 5)
        .withDiffeomorphic(true).withRegulariser(DeformableSettings.Regulariser.BENDING, 0.5);
    Outcome o = register(GRID_3D, SHIFT_3D, 4.0, settings, v -> 2.5 * v + 0.7);
    o.assertWithinHalfAVoxel();
    assertEquals(0, o.jacobian().foldingFraction(), o.jacobian().toString());
  }

  @Test
  void globalNccRecoversUnderAGainAndOffsetIn2d() {
    register(GRID_2D, SHIFT_2D, 4.0, DeformableSettings.defaults(LossKind.NCC), v -> 0.4 * v - 0.2)
        .assertWithinHalfAVoxel();
  }

  /** Mutual information pairs a non-monotonic intensity remap (another modality). */
  @Test
  void mutualInformationRecoversAcrossModalitiesIn3d() {
    register(GRID_3D, SHIFT_3D, 4.0, DeformableSettings.defaults(LossKind.MI), v -> Math.sin(2 * v) + 0.5 * v)
        .assertWithinHalfAVoxel();
  }

  /**
   * A textured artefact in one quadrant of the fixed image only: the deformation bends to match it
   * unless the fixed mask leaves it out.
   */
  @Test
  void fixedMaskKeepsAnArtefactOutOfTheDeformation() {
    KnownPair pair = KnownPair.of(GRID_2D, SHIFT_2D, 4.0, v -> v);
    int[] size = GRID_2D.size();
    float[] voxels = pair.fixed().voxels().clone();
    float[] mask = new float[voxels.length];
    for (int y = 0; y < size[1]; y++) {
      for (int x = 0; x < size[0]; x++) {
        boolean artefact = x < size[0] / 2 && y < size[1] / 2;
        if (artefact) {
          voxels[x + size[0] * y] += 0.6f * (float) Math.sin(x * 0.9) * (float) Math.cos(y * 0.7);
        }
        mask[x + size[0] * y] = artefact ? 0 : 1;
      }
    }
    Image spoilt = pair.fixed().withVoxels(voxels);
    DeformableSettings settings = DeformableSettings.bsplineDefaults(LossKind.MSE);
    Outcome masked = register(pair, spoilt, pair.fixed().withVoxels(mask), settings);
    Outcome unmasked = register(pair, spoilt, null, settings);
    masked.assertWithinHalfAVoxel();
    assertTrue(unmasked.error() > 2 * masked.error(), "the artefact should hurt without the mask: "
        + unmasked.error() + " mm vs " + masked.error() + " mm");
  }

  /** What a registration found, measured against the truth inside the object. */
  private record Outcome(double error, double affineOnlyError, double halfVoxel, JacobianStatistics jacobian,
      InverseConsistency inverse) {
    void assertWithinHalfAVoxel() {
      assertTrue(affineOnlyError > 1.0, "the deformation should matter: affine-only error " + affineOnlyError + " mm");
      assertTrue(error < halfVoxel, "mean error " + error + " mm (affine only: " + affineOnlyError + " mm)");
    }

    /** The inverse map, composed with the forward one, gives back each fixed point. */
    void assertInverseWithinATenthOfAVoxel() {
      assertTrue(inverse != null && inverse.meanMm() < 0.2 * halfVoxel, "inverse consistency " + inverse);
    }
  }

  /** Registers a pair made with a swirl of {@code amplitude} mm; the moving intensities pass through {@code remap}. */
  private static Outcome register(Grid grid, Affine affine, double amplitude, DeformableSettings settings,
      DoubleUnaryOperator remap) {
    KnownPair pair = KnownPair.of(grid, affine, amplitude, remap);
    return register(pair, pair.fixed(), null, settings);
  }

  /** A pair whose moving image is the fixed scene seen through a known swirl on top of an affine map. */
  private record KnownPair(Grid grid, Affine affine, KnownDeformation truth, Image fixed, Image moving, Image body) {
    static KnownPair of(Grid grid, Affine affine, double amplitude, DoubleUnaryOperator remap) {
      KnownDeformation truth = new KnownDeformation(affine, grid.centre(), 14, amplitude);
      Phantom phantom = Phantom.inside(grid, 7);
      return new KnownPair(grid, affine, truth, KnownDeformation.fixedImage(phantom, grid),
          truth.movingImage(phantom, grid, remap), phantom.render(grid));
    }
  }

  /** Registers {@code fixed} (the pair's fixed image, or an altered copy) to the pair's moving image. */
  private static Outcome register(KnownPair pair, Image fixed, Image mask, DeformableSettings settings) {
    Grid grid = pair.grid();
    Affine affine = pair.affine();
    DeformableResult result = registered(fixed, pair.moving(), mask, affine, settings);
    DisplacementField found = result.fixedToMoving();
    int d = grid.dim();
    double[] voxel = new double[d];
    double affineOnly = 0;
    double deformable = 0;
    int inside = 0;
    for (int flat = 0; flat < fixed.voxels().length; flat++) {
      if (pair.body().voxels()[flat] < 0.5) {
        continue; // measure inside the object
      }
      grid.index(flat, voxel);
      double[] x = grid.indexToPhysical().apply(voxel);
      double[] t = pair.truth().apply(x);
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
    double halfVoxel = 0.5 * java.util.Arrays.stream(grid.spacing()).min().orElseThrow();
    return new Outcome(deformable / inside, affineOnly / inside, halfVoxel, JacobianStatistics.of(found),
        result.movingToFixed() == null ? null : InverseConsistency.of(found, result.movingToFixed()));
  }

  private static DeformableResult registered(Image fixed, Image moving, Affine affine, DeformableSettings settings) {
    return registered(fixed, moving, null, affine, settings);
  }

  private static DeformableResult registered(Image fixed, Image moving, Image mask, Affine affine,
      DeformableSettings settings) {
    try (NDManager manager = NativeScope.openCpu()) {
      DeformableResult result = new DeformableRegistration(settings).register(fixed, moving, mask, affine, manager);
      assertEquals(java.util.List.of(), manager.getManagedArrays(), "arrays left in the pair's manager");
      return result;
    }
  }

  /** The mean distance (mm) between two displacement fields on one grid, over {@code body}'s voxels. */
  private static double meanDifference(DisplacementField a, DisplacementField b, Image body) {
    double sum = 0;
    int inside = 0;
    for (int flat = 0; flat < body.voxels().length; flat++) {
      if (body.voxels()[flat] < 0.5) {
        continue;
      }
      double e2 = 0;
      for (int k = 0; k < a.dim(); k++) {
        double e = a.components()[k][flat] - b.components()[k][flat];
        e2 += e * e;
      }
      sum += Math.sqrt(e2);
      inside++;
    }
    return sum / inside;
  }
}
