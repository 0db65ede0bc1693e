package org.warpspark.engine.affine;

import org.warpspark.udfs.spatial.FixedToMoving;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.warpspark.engine.InvalidPairException;
import org.warpspark.engine.RegistrationDivergedException;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.image.Image;
import org.warpspark.sample.Phantom;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.MotionParameters;
import org.warpspark.udfs.spatial.TransformModel;

/** Recovers known motions of synthetic images with awkward geometry. */
class AffineRegistrationTest {

  /** Anisotropic, rotated about an oblique axis, off-centre origin, odd sizes. */
  static Grid awkward3d() {
    double c = Math.cos(Math.toRadians(20)), s = Math.sin(Math.toRadians(20));
    double[] direction = {c, -s, 0, s * 0.8, c * 0.8, -0.6, s * 0.6, c * 0.6, 0.8};
    return new Grid(new int[] {45, 39, 31}, new double[] {1.6, 1.3, 2.1}, new double[] {-37.5, 21.0, 9.25}, direction);
  }

  static Grid awkward2d() {
    double c = Math.cos(Math.toRadians(15)), s = Math.sin(Math.toRadians(15));
    return new Grid(new int[] {97, 83}, new double[] {1.2, 0.9}, new double[] {-50.3, 12.7}, new double[] {c, -s, s, c});
  }

  /** A moving grid unlike the fixed one, so the test also exercises the two frames. */
  static Grid movingGridFor(Grid fixed) {
    int d = fixed.dim();
    int[] size = fixed.size();
    double[] spacing = fixed.spacing();
    double[] origin = fixed.origin();
    for (int a = 0; a < d; a++) {
      size[a] += 6;
      spacing[a] *= 0.95;
      origin[a] -= 3 * spacing[a];
    }
    return new Grid(size, spacing, origin, fixed.direction());
  }

  static Affine motion(Grid fixed, double[] translation, double[] anglesDegrees, double[] logScales, double[] shears) {
    MotionParameters p = MotionParameters.identity(fixed.dim());
    System.arraycopy(translation, 0, p.translation(), 0, translation.length);
    for (int i = 0; i < anglesDegrees.length; i++) {
      p.angles()[i] = Math.toRadians(anglesDegrees[i]);
    }
    System.arraycopy(logScales, 0, p.logScales(), 0, logScales.length);
    System.arraycopy(shears, 0, p.shears(), 0, shears.length);
    return p.toAffine(fixed.centre());
  }

  private static AffineResult register(Image fixed, Image moving, AffineSettings settings) {
    try (NDManager manager = NativeScope.openCpu()) {
      return new AffineRegistration(settings).register(fixed, moving, null, manager);
    }
  }

  /**
   * Adam steps sixty times the default's throw the map off the images, so the result is worse than the
   * start by the stage's own loss: the stage keeps its start (the image centres aligned) and says so.
   */
  @Test
  void aRegistrationThatEndsWorseThanItStartedKeepsItsStart() {
    Grid fixedGrid = awkward2d();
    Phantom phantom = Phantom.inside(fixedGrid, 5);
    Affine truth = motion(fixedGrid, new double[] {1.0, -0.5}, new double[] {2}, new double[2], new double[1]);
    Image fixed = phantom.render(fixedGrid);
    Image moving = phantom.renderMoving(movingGridFor(fixedGrid), truth, DoubleUnaryOperator.identity());
    AffineSettings defaults = AffineSettings.defaults(TransformModel.RIGID, LossKind.MSE);
    AffineSettings wild = new AffineSettings(TransformModel.RIGID, LossKind.MSE, new int[] {1}, new int[] {5}, 30.0,
        defaults.samplesPerIteration(), defaults.histogramBins(), defaults.centre(), defaults.initialisation(),
        defaults.convergenceWindow(), defaults.convergenceTolerance(), 0, defaults.sampler(), defaults.fixedSampling(),
        false);
    AffineResult result = register(fixed, moving, wild);
    assertTrue(result.keptStart(), "the wild steps should have made it worse");
    assertEquals(result.initialLoss(), result.finalLoss());
    double[] centre = fixedGrid.centre();
    double[] mapped = result.fixedToMoving().apply(centre);
    double[] movingCentre = movingGridFor(fixedGrid).centre();
    for (int a = 0; a < 2; a++) {
      assertEquals(movingCentre[a], mapped[a], 1e-6, "the start maps the fixed centre to the moving centre");
    }
    assertEquals(1.0, result.fixedToMoving().get(0, 0), 1e-9, "no rotation at the start");
  }

  @Test
  void recoversRigidMotionIn3dWithMse() {
    Grid fixedGrid = awkward3d();
    Phantom phantom = Phantom.inside(fixedGrid, 11);
    Affine truth = motion(fixedGrid, new double[] {3.0, -2.2, 4.1}, new double[] {4, -3, 6}, new double[3], new double[3]);
    Image fixed = phantom.render(fixedGrid);
    Image moving = phantom.renderMoving(movingGridFor(fixedGrid), truth, DoubleUnaryOperator.identity());
    AffineResult result = register(fixed, moving, AffineSettings.defaults(TransformModel.RIGID, LossKind.MSE));
    assertTrue(KnownMotion.centreErrorVoxels(result.fixedToMoving(), truth, fixedGrid) < 0.2,
        "translation error " + KnownMotion.centreErrorVoxels(result.fixedToMoving(), truth, fixedGrid));
    assertTrue(KnownMotion.rotationErrorDegrees(result.fixedToMoving(), truth) < 0.2,
        "rotation error " + KnownMotion.rotationErrorDegrees(result.fixedToMoving(), truth));
    assertTrue(result.finalLoss() < 0.05 * result.initialLoss(), "loss " + result.initialLoss() + " -> " + result.finalLoss());
  }

  @Test
  void recoversRigidMotionIn2dWithNccDespiteGainAndOffset() {
    Grid fixedGrid = awkward2d();
    Phantom phantom = Phantom.inside(fixedGrid, 5);
    Affine truth = motion(fixedGrid, new double[] {-4.0, 2.5}, new double[] {7}, new double[2], new double[1]);
    Image fixed = phantom.render(fixedGrid);
    Image moving = phantom.renderMoving(movingGridFor(fixedGrid), truth, v -> 3 * v + 10);
    AffineResult result = register(fixed, moving, AffineSettings.defaults(TransformModel.RIGID, LossKind.NCC));
    assertTrue(KnownMotion.centreErrorVoxels(result.fixedToMoving(), truth, fixedGrid) < 0.2,
        "translation error " + KnownMotion.centreErrorVoxels(result.fixedToMoving(), truth, fixedGrid));
    assertTrue(KnownMotion.rotationErrorDegrees(result.fixedToMoving(), truth) < 0.2,
        "rotation error " + KnownMotion.rotationErrorDegrees(result.fixedToMoving(), truth));
  }

  @Test
  void recoversFullAffineIn2d() {
    Grid fixedGrid = awkward2d();
    Phantom phantom = Phantom.inside(fixedGrid, 8);
    Affine truth = motion(fixedGrid, new double[] {2.0, -3.0}, new double[] {-5}, new double[] {0.06, -0.04},
        new double[] {0.05});
    Image fixed = phantom.render(fixedGrid);
    Image moving = phantom.renderMoving(movingGridFor(fixedGrid), truth, DoubleUnaryOperator.identity());
    AffineResult result = register(fixed, moving, AffineSettings.defaults(TransformModel.AFFINE, LossKind.MSE));
    assertTrue(KnownMotion.cornerErrorVoxels(result.fixedToMoving(), truth, fixedGrid) < 0.5,
        "corner error " + KnownMotion.cornerErrorVoxels(result.fixedToMoving(), truth, fixedGrid));
    assertTrue(KnownMotion.centreErrorVoxels(result.fixedToMoving(), truth, fixedGrid) < 0.2);
  }

  @Test
  void recoversRigidMotionAcrossModalitiesWithMutualInformation() {
    Grid fixedGrid = awkward3d();
    Phantom phantom = Phantom.inside(fixedGrid, 3);
    Affine truth = motion(fixedGrid, new double[] {-2.5, 3.5, 1.5}, new double[] {-3, 5, 2}, new double[3], new double[3]);
    Image fixed = phantom.render(fixedGrid);
    // Non-monotonic: dark and bright fixed structures both turn bright, mid-grey turns dark.
    Image moving = phantom.renderMoving(movingGridFor(fixedGrid), truth, v -> (v - 0.7) * (v - 0.7) * 4);
    AffineResult result = register(fixed, moving, AffineSettings.defaults(TransformModel.RIGID, LossKind.MI));
    assertTrue(KnownMotion.centreErrorVoxels(result.fixedToMoving(), truth, fixedGrid) < 0.2,
        "translation error " + KnownMotion.centreErrorVoxels(result.fixedToMoving(), truth, fixedGrid));
    assertTrue(KnownMotion.rotationErrorDegrees(result.fixedToMoving(), truth) < 0.2,
        "rotation error " + KnownMotion.rotationErrorDegrees(result.fixedToMoving(), truth));
  }

  @Test
  void concurrentRegistrationsInOneJvmMatchSerialOnes() throws Exception {
    Grid fixedGrid = awkward2d();
    List<Image[]> pairs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Phantom phantom = Phantom.inside(fixedGrid, 20 + i);
      Affine truth = motion(fixedGrid, new double[] {i - 1.5, 2.0 - i}, new double[] {3 + i}, new double[2], new double[1]);
      pairs.add(new Image[] {phantom.render(fixedGrid),
          phantom.renderMoving(fixedGrid, truth, DoubleUnaryOperator.identity())});
    }
    AffineSettings settings = AffineSettings.defaults(TransformModel.RIGID, LossKind.MSE);
    List<double[]> serial = new ArrayList<>();
    for (Image[] pair : pairs) {
      serial.add(register(pair[0], pair[1], settings).parameters());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<AffineResult>> futures = new ArrayList<>();
      for (Image[] pair : pairs) {
        futures.add(pool.submit(() -> register(pair[0], pair[1], settings)));
      }
      for (int i = 0; i < pairs.size(); i++) {
        assertArrayEquals(serial.get(i), futures.get(i).get().parameters(), 1e-9, "pair " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Pairs registered together, among them one with a mask, one whose loss becomes NaN, two refused
   * as input (a NaN voxel, an empty mask) and one of another shape (its own batch): every pair gets
   * what it gets alone, and the failures stay with their pairs.
   */
  @Test
  void aBatchGivesEveryPairWhatItGetsAlone() {
    Grid fixedGrid = awkward2d();
    AffineSettings settings = new AffineSettings(TransformModel.RIGID, LossKind.MSE, new int[] {4, 2, 1},
        new int[] {100, 60, 250}, 0.5, 2048, 32, AffineSettings.Centre.IMAGE, AffineSettings.Initialisation.NONE, 20,
        0.01, 3, AffineSettings.Sampler.FUSED, AffineSettings.FixedSampling.JITTERED, true);
    List<AffinePair> pairs = new ArrayList<>();
    List<Affine> truths = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Phantom phantom = Phantom.inside(fixedGrid, 30 + i);
      Affine truth = motion(fixedGrid, new double[] {1.5 - i, i - 1.0}, new double[] {4 - 2 * i}, new double[2],
          new double[1]);
      Grid movingGrid = i == 3 ? movingGridFor(fixedGrid) : fixedGrid;
      Image fixed = phantom.render(fixedGrid);
      Image mask = i == 1 ? ObjectiveTest.centralMask(fixed) : null;
      pairs.add(new AffinePair(fixed, phantom.renderMoving(movingGrid, truth, DoubleUnaryOperator.identity()), mask));
      truths.add(truth);
    }
    double[] far = fixedGrid.origin();
    far[0] += 5000;
    Phantom phantom = Phantom.inside(fixedGrid, 1);
    pairs.add(2, new AffinePair(phantom.render(fixedGrid), phantom.renderMoving(
        new Grid(fixedGrid.size(), fixedGrid.spacing(), far, fixedGrid.direction()), Affine.identity(2),
        DoubleUnaryOperator.identity()), null));
    float[] broken = pairs.get(0).moving().voxels().clone();
    broken[7] = Float.NaN;
    pairs.add(new AffinePair(pairs.get(0).fixed(), pairs.get(0).moving().withVoxels(broken), null));
    Image nothing = pairs.get(0).fixed().withVoxels(new float[pairs.get(0).fixed().voxels().length]);
    pairs.add(new AffinePair(pairs.get(0).fixed(), pairs.get(0).moving(), nothing));
    List<AffineOutcome> together;
    try (NDManager manager = NativeScope.openCpu()) {
      together = new AffineRegistration(settings).registerAll(pairs, manager);
      assertEquals(List.of(), manager.getManagedArrays(), "arrays left in the batch's manager");
    }
    assertEquals(pairs.size(), together.size());
    assertTrue(together.get(2).failure() instanceof RegistrationDivergedException, "the far pair diverges");
    assertTrue(together.get(5).failure() instanceof InvalidPairException, "the NaN voxel is refused");
    assertTrue(together.get(6).failure() instanceof InvalidPairException
        && together.get(6).failure().getMessage().contains("selects no voxel"), "the empty mask is refused");
    int[] good = {0, 1, 3, 4};
    for (int k = 0; k < good.length; k++) {
      AffinePair pair = pairs.get(good[k]);
      AffineResult batched = together.get(good[k]).resultOrThrow();
      AffineResult alone;
      try (NDManager manager = NativeScope.openCpu()) {
        alone = new AffineRegistration(settings).register(pair.fixed(), pair.moving(), pair.fixedMask(), manager);
      }
      assertEquals(alone.totalIterations(), batched.totalIterations(), "pair " + good[k]);
      assertArrayEquals(alone.parameters(), batched.parameters(), 1e-6, "pair " + good[k]);
      assertEquals(alone.finalLoss(), batched.finalLoss(), 1e-6 * Math.abs(alone.finalLoss()), "pair " + good[k]);
      double error = KnownMotion.centreErrorVoxels(batched.fixedToMoving(), truths.get(k), fixedGrid);
      assertTrue(error < 0.2, "pair " + good[k] + ": centre error " + error + " voxels");
    }
  }

  @Test
  void sameSeedSameResultOtherSeedOtherSamples() {
    Grid fixedGrid = awkward2d();
    Phantom phantom = Phantom.inside(fixedGrid, 2);
    Affine truth = motion(fixedGrid, new double[] {1.0, 1.0}, new double[] {2}, new double[2], new double[1]);
    Image fixed = phantom.render(fixedGrid);
    Image moving = phantom.renderMoving(fixedGrid, truth, DoubleUnaryOperator.identity());
    AffineSettings settings = AffineSettings.defaults(TransformModel.RIGID, LossKind.MSE).withSchedule(new int[] {2, 1},
        new int[] {30, 30});
    double[] a = register(fixed, moving, settings.withSeed(7)).parameters();
    double[] b = register(fixed, moving, settings.withSeed(7)).parameters();
    double[] c = register(fixed, moving, settings.withSeed(8)).parameters();
    assertArrayEquals(a, b, 0.0);
    assertTrue(a[0] != c[0], "a different seed should draw different voxels");
  }

  @Test
  void lossThatBecomesNanIsReportedWithWhereItHappened() {
    Grid fixedGrid = awkward2d();
    Phantom phantom = Phantom.inside(fixedGrid, 1);
    Image fixed = phantom.render(fixedGrid);
    double[] far = fixedGrid.origin();
    far[0] += 5000;
    Grid farGrid = new Grid(fixedGrid.size(), fixedGrid.spacing(), far, fixedGrid.direction());
    Image moving = phantom.renderMoving(farGrid, Affine.identity(2), DoubleUnaryOperator.identity());
    AffineSettings settings = new AffineSettings(TransformModel.RIGID, LossKind.MSE, new int[] {1}, new int[] {10}, 0.5,
        256, 32, AffineSettings.Centre.IMAGE, AffineSettings.Initialisation.NONE, 5, 1e-4, 0, AffineSettings.Sampler.FUSED,
        AffineSettings.FixedSampling.CENTRES, false);
    RegistrationDivergedException e = assertThrows(RegistrationDivergedException.class,
        () -> register(fixed, moving, settings));
    assertTrue(e.getMessage().contains("level 0") && e.getMessage().contains("iteration 0"), e.getMessage());
  }

  @Test
  void recoversSimilarityWithIsotropicScale() {
    Grid fixedGrid = awkward2d();
    Phantom phantom = Phantom.inside(fixedGrid, 12);
    Affine truth = motion(fixedGrid, new double[] {1.5, -2.0}, new double[] {-4}, new double[] {0.05, 0.05},
        new double[1]);
    Image fixed = phantom.render(fixedGrid);
    Image moving = phantom.renderMoving(movingGridFor(fixedGrid), truth, DoubleUnaryOperator.identity());
    AffineResult result = register(fixed, moving, AffineSettings.defaults(TransformModel.SIMILARITY, LossKind.MSE));
    assertTrue(KnownMotion.cornerErrorVoxels(result.fixedToMoving(), truth, fixedGrid) < 0.2,
        "corner error " + KnownMotion.cornerErrorVoxels(result.fixedToMoving(), truth, fixedGrid));
    assertEquals(0.05, result.parameters()[3], 0.002, "log-scale");
  }

  /** A bright artefact in the fixed image only: it misleads the fit unless the mask leaves it out. */
  @Test
  void fixedMaskKeepsAnArtefactOutOfTheFit() {
    Grid fixedGrid = awkward2d();
    Phantom phantom = Phantom.inside(fixedGrid, 6);
    Affine truth = motion(fixedGrid, new double[] {3.0, 2.0}, new double[] {5}, new double[2], new double[1]);
    Image clean = phantom.render(fixedGrid);
    float[] voxels = clean.voxels().clone();
    float[] mask = new float[voxels.length];
    int[] size = fixedGrid.size();
    for (int y = 0; y < size[1]; y++) {
      for (int x = 0; x < size[0]; x++) {
        boolean artefact = x < size[0] / 2 && y < size[1] / 2;
        if (artefact) {
          voxels[x + size[0] * y] += 3f * (float) Math.sin(x * 0.7) * (float) Math.cos(y * 0.5);
        }
        mask[x + size[0] * y] = artefact ? 0 : 1;
      }
    }
    Image fixed = clean.withVoxels(voxels);
    Image moving = phantom.renderMoving(fixedGrid, truth, DoubleUnaryOperator.identity());
    AffineSettings settings = AffineSettings.defaults(TransformModel.RIGID, LossKind.MSE);
    double masked;
    double unmasked;
    try (NDManager manager = NativeScope.openCpu()) {
      AffineRegistration registration = new AffineRegistration(settings);
      masked = KnownMotion.centreErrorVoxels(
          registration.register(fixed, moving, clean.withVoxels(mask), manager).fixedToMoving(), truth, fixedGrid);
      unmasked = KnownMotion.centreErrorVoxels(registration.register(fixed, moving, null, manager).fixedToMoving(),
          truth, fixedGrid);
    }
    assertTrue(masked < 0.2, "with the mask: centre error " + masked + " voxels");
    assertTrue(unmasked > 2 * masked, "the artefact should hurt without the mask: " + unmasked + " vs " + masked);
  }

  /** Every array of a registration lives in a scope it closes: the pair's manager is empty after it. */
  @ParameterizedTest
  @EnumSource(AffineSettings.Sampler.class)
  void leavesNoArraysBehindInThePairManager(AffineSettings.Sampler sampler) {
    Grid fixedGrid = awkward2d();
    Phantom phantom = Phantom.inside(fixedGrid, 2);
    Image fixed = phantom.render(fixedGrid);
    Image moving = phantom.renderMoving(fixedGrid, Affine.translation(new double[] {1, 2}), DoubleUnaryOperator.identity());
    AffineSettings settings = AffineSettings.defaults(TransformModel.RIGID, LossKind.MI).withSampler(sampler)
        .withSchedule(new int[] {2, 1}, new int[] {15, 15});
    try (NDManager manager = NativeScope.openCpu()) {
      AffineResult result = new AffineRegistration(settings).register(fixed, moving, null, manager);
      org.warpspark.engine.sample.Warper.warp(moving, fixedGrid, new FixedToMoving.Linear(result.fixedToMoving()),
          org.warpspark.engine.sample.Warper.Interpolation.LINEAR, manager);
      assertEquals(List.of(), manager.getManagedArrays(), "arrays left in the pair's manager");
    }
  }

  @Test
  void refusesSingleSliceVolumesNamingTheAxis() {
    Grid slab = Grid.of(new int[] {20, 18, 1}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
    Image image = Image.of(slab, new float[20 * 18]);
    InvalidPairException e = assertThrows(InvalidPairException.class,
        () -> register(image, image, AffineSettings.defaults(TransformModel.RIGID, LossKind.MSE)));
    assertTrue(e.getMessage().contains("axis 2") && e.getMessage().contains("fixed"), e.getMessage());
  }
}
