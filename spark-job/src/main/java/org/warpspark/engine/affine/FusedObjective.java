package org.warpspark.engine.affine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.warpspark.engine.loss.MutualInformation;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.loss.TorchScriptLosses;
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
 * by {@code ObjectiveTest}; the losses are {@link TorchScriptLosses}'.
 */
final class FusedObjective implements LevelObjective {
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

  private final TorchScriptModule module;
  private final NDArray moving;
  private final NDArray ranges;
  private final LevelFrames frames;
  private final int dim;

  /** The module computing {@code loss} for an iteration, owned by {@code manager}. */
  static TorchScriptModule compile(SimilarityLoss loss, NDManager manager) {
    TorchScriptLosses.Source source = TorchScriptLosses.of(loss);
    return TorchScriptModule.load("Affine" + source.name(), SAMPLE + source.text(), manager);
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
}
