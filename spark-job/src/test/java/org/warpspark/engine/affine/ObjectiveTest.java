package org.warpspark.engine.affine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.sample.FixedVoxels;
import org.warpspark.engine.sample.SampleStack;
import org.warpspark.image.Image;
import org.warpspark.sample.Phantom;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.TransformModel;

/**
 * The gradient that drives Adam, for both objectives: equal to central differences of the loss in
 * the motion parameters, and the fused (TorchScript) objective equal to the gather reference.
 */
class ObjectiveTest {
  private static final int[] ONE = {0};

  /** A pair, a draw of central voxels and a parameter vector away from the optimum. */
  private record Setup(Image fixed, Image moving, FixedVoxels.Draw draw, MotionJacobian motion, double[] q,
      TransformModel model) {}

  private static Setup setup(int dim) {
    Grid fixedGrid = dim == 3 ? AffineRegistrationTest.awkward3d() : AffineRegistrationTest.awkward2d();
    Phantom phantom = Phantom.inside(fixedGrid, 4);
    Image fixed = phantom.render(fixedGrid);
    double[] t = dim == 3 ? new double[] {2, -1, 3} : new double[] {2, -1};
    double[] angles = dim == 3 ? new double[] {3, 2, -4} : new double[] {3};
    Affine truth = AffineRegistrationTest.motion(fixedGrid, t, angles, new double[dim], new double[dim == 3 ? 3 : 1]);
    Image moving = phantom.renderMoving(AffineRegistrationTest.movingGridFor(fixedGrid), truth,
        DoubleUnaryOperator.identity());
    TransformModel model = TransformModel.AFFINE;
    MotionJacobian motion = new MotionJacobian(model, dim, model.parameterScales(dim, fixedGrid.radius()),
        fixedGrid.centre());
    // Central voxels only: they stay inside the moving image for every step below, so the overlap
    // weights (deliberately not differentiated) are constant and the loss is smooth in q.
    FixedVoxels.Draw draw = new FixedVoxels(fixed, centralMask(fixed)).all();
    double[] q = new double[model.parameterCount(dim)];
    for (int i = 0; i < q.length; i++) {
      q[i] = 0.3 * Math.sin(i + 1.0);
    }
    return new Setup(fixed, moving, draw, motion, q, model);
  }

  private static LevelObjective objective(AffineSettings.Sampler sampler, Setup s, SimilarityLoss loss, NDManager m) {
    return Objectives.of(sampler, loss, m).create(List.of(s.fixed().grid()), List.of(s.moving()), List.of(loss), m);
  }

  /** The whole draw as one window on the device. */
  private record Batch(SampleStack samples, NDArray windows) {}

  private static Batch batch(Setup s, NDManager m) {
    SampleStack samples = new SampleStack(List.of(s.draw()), s.fixed().dim(), m);
    return new Batch(samples, samples.windows(ONE, new int[1], null, m));
  }

  private static LevelObjective.Steps evaluate(LevelObjective objective, Batch batch, float[] matrix, boolean grad) {
    return objective.evaluate(batch.samples(), ONE, batch.windows(), new float[][] {matrix}, grad);
  }

  private static double loss(LevelObjective objective, Setup s, double[] q, Batch batch) {
    return evaluate(objective, batch, s.motion().frameMatrix(q, objective.frames(0)), false).losses()[0];
  }

  private static double[] gradient(LevelObjective objective, Setup s, double[] q, Batch batch) {
    LevelFrames frames = objective.frames(0);
    return s.motion().chain(q, evaluate(objective, batch, s.motion().frameMatrix(q, frames), true)
        .gradientsToMatrix()[0], frames);
  }

  @ParameterizedTest
  @CsvSource({"GATHER,MSE,3", "GATHER,NCC,3", "GATHER,MI,3", "FUSED,MSE,3", "FUSED,NCC,3", "FUSED,MI,3",
      "FUSED,MSE,2", "FUSED,MI,2"})
  void gradientMatchesFiniteDifferencesOfTheLoss(AffineSettings.Sampler sampler, LossKind kind, int dim) {
    Setup s = setup(dim);
    SimilarityLoss loss = kind.create(s.fixed().voxels(), s.moving().voxels(), 32);
    try (NDManager manager = NativeScope.openCpu()) {
      LevelObjective objective = objective(sampler, s, loss, manager);
      Batch batch = batch(s, manager);
      double[] gradient = gradient(objective, s, s.q(), batch);
      double h = 0.05;
      for (int j = 0; j < s.q().length; j++) {
        double[] plus = s.q().clone();
        double[] minus = s.q().clone();
        plus[j] += h;
        minus[j] -= h;
        double fd = (loss(objective, s, plus, batch) - loss(objective, s, minus, batch)) / (2 * h);
        assertEquals(fd, gradient[j], 0.03 * Math.abs(fd) + 2e-4 * norm(gradient), sampler + " " + kind + " q" + j);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"MSE,2", "NCC,2", "MI,2", "MSE,3", "NCC,3", "MI,3"})
  void fusedObjectiveEqualsTheGatherReference(LossKind kind, int dim) {
    Setup s = setup(dim);
    SimilarityLoss loss = kind.create(s.fixed().voxels(), s.moving().voxels(), 32);
    try (NDManager manager = NativeScope.openCpu()) {
      Batch batch = batch(s, manager);
      LevelObjective gather = objective(AffineSettings.Sampler.GATHER, s, loss, manager);
      double gatherLoss = loss(gather, s, s.q(), batch);
      double[] gatherGradient = gradient(gather, s, s.q(), batch);
      LevelObjective fused = objective(AffineSettings.Sampler.FUSED, s, loss, manager);
      double fusedLoss = loss(fused, s, s.q(), batch);
      double[] fusedGradient = gradient(fused, s, s.q(), batch);
      assertEquals(gatherLoss, fusedLoss, 1e-4 * Math.abs(gatherLoss) + 1e-7, "loss");
      for (int j = 0; j < gatherGradient.length; j++) {
        assertEquals(gatherGradient[j], fusedGradient[j], 2e-3 * norm(gatherGradient), "q" + j);
      }
    }
  }

  /**
   * Members of a batch, one with a shorter pool (padded) and a partial window, some of them running:
   * each gets the loss and gradient it gets alone.
   */
  @ParameterizedTest
  @CsvSource({"FUSED,MSE", "FUSED,NCC", "FUSED,MI", "GATHER,MI"})
  void aBatchEvaluatesEachMemberAsItWouldAlone(AffineSettings.Sampler sampler, LossKind kind) {
    Setup s = setup(2);
    SimilarityLoss loss = kind.create(s.fixed().voxels(), s.moving().voxels(), 32);
    FixedVoxels.Draw whole = s.draw();
    int half = whole.count() / 2;
    FixedVoxels.Draw shorter = new FixedVoxels.Draw(half, Arrays.copyOf(whole.points(), half * 3),
        Arrays.copyOf(whole.values(), half));
    List<FixedVoxels.Draw> draws = List.of(whole, shorter, whole);
    double[][] qs = {s.q(), s.q().clone(), new double[s.q().length]};
    qs[1][0] += 0.2;
    int[] counts = {0, 0, whole.count() / 3};
    try (NDManager manager = NativeScope.openCpu()) {
      LevelObjective batched = Objectives.of(sampler, loss, manager).create(
          List.of(s.fixed().grid(), s.fixed().grid(), s.fixed().grid()), List.of(s.moving(), s.moving(), s.moving()),
          List.of(loss, loss, loss), manager);
      SampleStack stack = new SampleStack(draws, 2, manager);
      for (int[] running : new int[][] {{0, 1, 2}, {1, 2}, {0, 2}}) {
        float[][] matrices = new float[running.length][];
        int[] windowCounts = new int[running.length];
        SplittableRandom[] randoms = new SplittableRandom[running.length];
        for (int k = 0; k < running.length; k++) {
          matrices[k] = s.motion().frameMatrix(qs[running[k]], batched.frames(running[k]));
          windowCounts[k] = counts[running[k]];
          randoms[k] = new SplittableRandom(running[k]);
        }
        NDArray windows = stack.windows(running, windowCounts, randoms, manager);
        long[] rows = windows.toLongArray();
        LevelObjective.Steps together = batched.evaluate(stack, running, windows, matrices, true);
        for (int k = 0; k < running.length; k++) {
          int m = running[k];
          FixedVoxels.Draw draw = draws.get(m);
          int from = (int) rows[3 * k + 1];
          int n = (int) rows[3 * k + 2];
          FixedVoxels.Draw window = new FixedVoxels.Draw(n, Arrays.copyOfRange(draw.points(), from * 3, (from + n) * 3),
              Arrays.copyOfRange(draw.values(), from, from + n));
          LevelObjective alone = Objectives.of(sampler, loss, manager).create(List.of(s.fixed().grid()),
              List.of(s.moving()), List.of(loss), manager);
          SampleStack own = new SampleStack(List.of(window), 2, manager);
          LevelObjective.Steps single = alone.evaluate(own, ONE, own.windows(ONE, new int[1], null, manager),
              new float[][] {matrices[k]}, true);
          String where = sampler + " " + kind + " member " + m + " of " + Arrays.toString(running);
          assertEquals(single.losses()[0], together.losses()[k], 1e-6 * Math.abs(single.losses()[0]) + 1e-9, where);
          float[] g = single.gradientsToMatrix()[0];
          for (int j = 0; j < g.length; j++) {
            assertEquals(g[j], together.gradientsToMatrix()[k][j], 1e-5 * Math.abs(g[j]) + 1e-7, where + " g" + j);
          }
        }
      }
    }
  }

  static Image centralMask(Image image) {
    int[] size = image.grid().size();
    float[] mask = new float[image.voxels().length];
    for (int flat = 0; flat < mask.length; flat++) {
      int rest = flat;
      boolean central = true;
      for (int a = 0; a < size.length; a++) {
        int i = rest % size[a];
        rest /= size[a];
        central &= i >= size[a] / 4 && i < size[a] - size[a] / 4;
      }
      mask[flat] = central ? 1 : 0;
    }
    return image.withVoxels(mask);
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
