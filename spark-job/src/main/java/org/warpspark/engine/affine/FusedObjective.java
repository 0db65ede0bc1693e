package org.warpspark.engine.affine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import org.warpspark.engine.loss.MeanSquaredError;
import org.warpspark.engine.loss.MutualInformation;
import org.warpspark.engine.loss.NormalizedCrossCorrelation;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.sample.SamplePool;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.torch.TorchScriptModule;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.TorchAffineTheta;

/**
 * The fast objective: one TorchScript call does the matrix product, PyTorch's fused
 * {@code grid_sampler} (bilinear/trilinear, zero padding, {@code align_corners=True}) and the loss,
 * and autograd runs its backward in C++. Each DJL op costs tens of microseconds on small batches, so
 * collapsing about forty ops into one is what makes random-subset iterations cheap. The matrix maps
 * fixed voxel indices into PyTorch's normalised coordinates of the moving image. Proven equal to {@link GatherObjective}
 * by {@code ObjectiveEquivalenceTest}; the loss formulas mirror {@link MeanSquaredError},
 * {@link NormalizedCrossCorrelation} and {@link MutualInformation}.
 */
final class FusedObjective implements LevelObjective {
  // Text blocks keep two spaces of indentation: TorchScript methods sit two spaces into the class.
  private static final String SAMPLE = """
        def forward(self, points: Tensor, matrix: Tensor, image: Tensor, fixed: Tensor, ranges: Tensor) -> Tensor:
          grid = torch.matmul(points, torch.t(matrix))
          n = grid.size(0)
          if grid.size(1) == 3:
            sampled = torch.grid_sampler(image, grid.view([1, 1, 1, n, 3]), 0, 0, True).view([n])
          else:
            sampled = torch.grid_sampler(image, grid.view([1, 1, n, 2]), 0, 0, True).view([n])
          w = torch.prod(torch.le(torch.abs(grid.detach()), 1.0).to(grid.dtype), 1)
          return self.loss(fixed, sampled, w, ranges)
      """;
  private static final String MSE = """
        def loss(self, fixed: Tensor, moving: Tensor, w: Tensor, ranges: Tensor) -> Tensor:
          diff = moving - fixed
          return torch.sum(w * diff * diff) / torch.sum(w)
      """;
  private static final String NCC = """
        def loss(self, fixed: Tensor, moving: Tensor, w: Tensor, ranges: Tensor) -> Tensor:
          total = torch.sum(w)
          f = fixed - torch.sum(w * fixed) / total
          m = moving - torch.sum(w * moving) / total
          return -torch.sum(w * f * m) / torch.sqrt(torch.sum(w * f * f) * torch.sum(w * m * m) + 1e-12)
      """;
  private static final String MI = """
        def window(self, values: Tensor, low: Tensor, high: Tensor) -> Tensor:
          position = torch.clamp((values - low) / (high - low) * (%1$d - 1), 0.0, %1$d - 1.0).unsqueeze(1)
          d = position - torch.arange(%1$d).to(values).unsqueeze(0)
          window = torch.exp(-2.0 * d * d)
          return window / torch.sum(window, 1, keepdim=True)
        def loss(self, fixed: Tensor, moving: Tensor, w: Tensor, ranges: Tensor) -> Tensor:
          wf = self.window(fixed, ranges[0], ranges[1]) * w.unsqueeze(1)
          wm = self.window(moving, ranges[2], ranges[3])
          joint = torch.matmul(torch.t(wf), wm) / torch.sum(w)
          pf = torch.sum(joint, 1, keepdim=True)
          pm = torch.sum(joint, 0, keepdim=True)
          return -torch.sum(joint * (torch.log(joint + 1e-10) - torch.log(pf + 1e-10) - torch.log(pm + 1e-10)))
      """;

  private final TorchScriptModule module;
  private final NDArray moving;
  private final NDArray ranges;
  private final LevelFrames frames;
  private final int dim;

  /** The module computing {@code loss} for an iteration, owned by {@code manager}. */
  static TorchScriptModule compile(SimilarityLoss loss, NDManager manager) {
    return TorchScriptModule.load(className(loss), SAMPLE + lossSource(loss), manager);
  }

  FusedObjective(TorchScriptModule module, Grid fixedLevel, Image movingLevel, SimilarityLoss loss, NDManager scope) {
    this.module = module;
    this.dim = movingLevel.dim();
    long[] shape = movingLevel.tensorShape();
    long[] batched = new long[shape.length + 2];
    batched[0] = 1;
    batched[1] = 1;
    System.arraycopy(shape, 0, batched, 2, shape.length);
    this.moving = scope.create(movingLevel.voxels(), new Shape(batched));
    this.frames = new LevelFrames(fixedLevel.indexToPhysical(),
        TorchAffineTheta.indexToNormalized(movingLevel.grid(), true).after(movingLevel.grid().physicalToIndex()));
    this.ranges = scope.create(loss instanceof MutualInformation mi ? mi.ranges() : new float[4]);
  }

  @Override
  public LevelFrames frames() {
    return frames;
  }

  @Override
  public Step evaluate(SamplePool.Batch batch, float[] matrix, boolean withGradient) {
    NDManager step = batch.points().getManager();
    NDArray g = step.create(matrix, new Shape(dim, dim + 1));
    if (!withGradient) {
      return new Step(Autograd.notRecording(() -> Autograd.scalar(attach(module.forward(batch.points(), g, moving,
          batch.values(), ranges), step))), null);
    }
    Autograd.leaf(g);
    NDArray value = Autograd.recording(() -> attach(module.forward(batch.points(), g, moving, batch.values(), ranges),
        step));
    Autograd.backward(value);
    return new Step(Autograd.scalar(value), g.getGradient().toFloatArray());
  }

  private static NDArray attach(NDArray value, NDManager step) {
    value.attach(step);
    return value;
  }

  private static String lossSource(SimilarityLoss loss) {
    if (loss instanceof MeanSquaredError) {
      return MSE;
    }
    if (loss instanceof NormalizedCrossCorrelation) {
      return NCC;
    }
    if (loss instanceof MutualInformation mi) {
      return String.format(Locale.ROOT, MI, mi.bins());
    }
    throw new IllegalArgumentException("no fused form of " + loss.getClass().getSimpleName());
  }

  private static String className(SimilarityLoss loss) {
    return loss instanceof MutualInformation mi ? "AffineMi" + mi.bins() : "Affine" + loss.getClass().getSimpleName();
  }
}
