package org.warpspark.engine.affine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.sample.FixedVoxels;
import org.warpspark.engine.sample.SamplePool;
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
    return Objectives.of(sampler, loss, m).create(s.fixed().grid(), s.moving(), m);
  }

  /** The whole draw as one batch on the device. */
  private static SamplePool.Batch batch(Setup s, NDManager m) {
    return new SamplePool(s.draw(), s.fixed().dim(), m).window(0, null, m);
  }

  private static double[] gradient(LevelObjective objective, Setup s, double[] q, SamplePool.Batch batch) {
    LevelFrames frames = objective.frames();
    return s.motion().chain(q, objective.evaluate(batch, s.motion().frameMatrix(q, frames), true).gradientToMatrix(),
        frames);
  }

  @ParameterizedTest
  @CsvSource({"GATHER,MSE,3", "GATHER,NCC,3", "GATHER,MI,3", "FUSED,MSE,3", "FUSED,NCC,3", "FUSED,MI,3",
      "FUSED,MSE,2", "FUSED,MI,2"})
  void gradientMatchesFiniteDifferencesOfTheLoss(AffineSettings.Sampler sampler, LossKind kind, int dim) {
    Setup s = setup(dim);
    SimilarityLoss loss = kind.create(s.fixed().voxels(), s.moving().voxels(), 32);
    try (NDManager manager = NativeScope.openCpu()) {
      LevelObjective objective = objective(sampler, s, loss, manager);
      SamplePool.Batch batch = batch(s, manager);
      double[] gradient = gradient(objective, s, s.q(), batch);
      double h = 0.05;
      for (int j = 0; j < s.q().length; j++) {
        double[] plus = s.q().clone();
        double[] minus = s.q().clone();
        plus[j] += h;
        minus[j] -= h;
        double fd = (objective.evaluate(batch, s.motion().frameMatrix(plus, objective.frames()), false).loss()
            - objective.evaluate(batch, s.motion().frameMatrix(minus, objective.frames()), false).loss()) / (2 * h);
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
      SamplePool.Batch batch = batch(s, manager);
      LevelObjective gather = objective(AffineSettings.Sampler.GATHER, s, loss, manager);
      double gatherLoss = gather.evaluate(batch, s.motion().frameMatrix(s.q(), gather.frames()), false).loss();
      double[] gatherGradient = gradient(gather, s, s.q(), batch);
      LevelObjective fused = objective(AffineSettings.Sampler.FUSED, s, loss, manager);
      double fusedLoss = fused.evaluate(batch, s.motion().frameMatrix(s.q(), fused.frames()), false).loss();
      double[] fusedGradient = gradient(fused, s, s.q(), batch);
      assertEquals(gatherLoss, fusedLoss, 1e-4 * Math.abs(gatherLoss) + 1e-7, "loss");
      for (int j = 0; j < gatherGradient.length; j++) {
        assertEquals(gatherGradient[j], fusedGradient[j], 2e-3 * norm(gatherGradient), "q" + j);
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
