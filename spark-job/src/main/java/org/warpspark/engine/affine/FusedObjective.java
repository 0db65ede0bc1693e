package org.warpspark.engine.affine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.warpspark.engine.loss.MutualInformation;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.loss.TorchScriptLosses;
import org.warpspark.engine.sample.BatchRows;
import org.warpspark.engine.sample.SampleStack;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.torch.TorchScriptModule;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.TorchAffineTheta;

/**
 * The fast objective: one TorchScript call per iteration for a whole batch of registrations does the
 * window gathering, the matrix products, PyTorch's fused {@code grid_sampler} (bilinear/trilinear,
 * zero padding, {@code align_corners=True}) and each member's loss, and autograd runs its backward in
 * C++. Each DJL op costs tens of microseconds on small batches, so collapsing about forty ops (times
 * the batch) into one is what makes random-subset iterations cheap. Each matrix maps fixed voxel
 * indices into PyTorch's normalised coordinates of its moving image. Windows shorter than the longest
 * are padded with samples of weight 0. Proven equal to {@link GatherObjective} by
 * {@code ObjectiveTest}; the losses are {@link TorchScriptLosses}'.
 */
final class FusedObjective implements LevelObjective {
  /**
   * Samples per module call: a batch's windows beyond this are split over several calls, because
   * tensors of tens of megabytes per iteration went to fresh pages on every call (MI over 32 windows
   * of 8192 samples took 0.9 s per call, 8 windows per call 31 ms).
   */
  private static final long CALL_SAMPLES = 1 << 16;
  private static final String SAMPLE = """
        def forward(self, pool: Tensor, values: Tensor, windows: Tensor, matrix: Tensor, image: Tensor,
                    ranges: Tensor) -> Tensor:
          n = int(torch.max(windows[:, 2]))
          b = windows.size(0)
          size = pool.size(1)
          offsets = torch.arange(n, device=pool.device).unsqueeze(0)
          rows = (torch.clamp(windows[:, 1:2] + offsets, 0, size - 1) + windows[:, 0:1] * size).view([-1])
          points = torch.index_select(pool.view([-1, pool.size(2)]), 0, rows).view([b, n, -1])
          fixed = torch.index_select(values.view([-1]), 0, rows).view([b, n])
          grid = torch.matmul(points, torch.transpose(matrix, 1, 2))
          if grid.size(2) == 3:
            sampled = torch.grid_sampler(image, grid.view([b, 1, 1, n, 3]), 0, 0, True).view([b, n])
          else:
            sampled = torch.grid_sampler(image, grid.view([b, 1, n, 2]), 0, 0, True).view([b, n])
          inside = torch.prod(torch.le(torch.abs(grid.detach()), 1.0).to(grid.dtype), 2)
          w = inside * torch.lt(offsets, windows[:, 2:3]).to(grid.dtype)
          return self.loss(fixed, sampled, w, ranges)
      """;

  private final TorchScriptModule module;
  private final BatchRows moving;
  private final BatchRows ranges;
  private final List<LevelFrames> frames;
  private final int dim;

  /** The module computing {@code loss} for an iteration, owned by {@code manager}. */
  static TorchScriptModule compile(SimilarityLoss loss, NDManager manager) {
    TorchScriptLosses.Source source = TorchScriptLosses.of(loss);
    return TorchScriptModule.load("Affine" + source.name(), SAMPLE + source.text(), manager);
  }

  /** Members' moving images share one shape; each has its fixed level grid and its loss's ranges. */
  FusedObjective(TorchScriptModule module, List<Grid> fixedLevels, List<Image> movingLevels,
      List<SimilarityLoss> losses, NDManager scope) {
    this.module = module;
    this.dim = movingLevels.get(0).dim();
    int members = movingLevels.size();
    long[] shape = movingLevels.get(0).tensorShape();
    long[] batched = new long[shape.length + 2];
    batched[0] = members;
    batched[1] = 1;
    System.arraycopy(shape, 0, batched, 2, shape.length);
    int voxels = movingLevels.get(0).voxels().length;
    float[] stacked = new float[Math.multiplyExact(members, voxels)];
    float[] r = new float[4 * members];
    for (int m = 0; m < members; m++) {
      System.arraycopy(movingLevels.get(m).voxels(), 0, stacked, m * voxels, voxels);
      if (losses.get(m) instanceof MutualInformation mi) {
        System.arraycopy(mi.ranges(), 0, r, 4 * m, 4);
      }
    }
    this.moving = new BatchRows(scope.create(stacked, new Shape(batched)));
    this.ranges = new BatchRows(scope.create(r, new Shape(members, 4)));
    this.frames = IntStream.range(0, members)
        .mapToObj(m -> new LevelFrames(fixedLevels.get(m).indexToPhysical(),
            TorchAffineTheta.indexToNormalized(movingLevels.get(m).grid(), true)
                .after(movingLevels.get(m).grid().physicalToIndex())))
        .toList();
  }

  @Override
  public LevelFrames frames(int member) {
    return frames.get(member);
  }

  @Override
  public Steps evaluate(SampleStack samples, int[] members, NDArray windows, float[][] matrices,
      boolean withGradient) {
    long[] rows = windows.toLongArray();
    long longest = 1;
    for (int k = 0; k < members.length; k++) {
      longest = Math.max(longest, rows[3 * k + 2]);
    }
    int perCall = (int) Math.max(1, CALL_SAMPLES / longest);
    NDArray[] running = {windows, moving.of(members), ranges.of(members)};
    double[] losses = new double[members.length];
    float[][] gradients = withGradient ? new float[members.length][] : null;
    for (int from = 0; from < members.length; from += perCall) {
      int to = Math.min(members.length, from + perCall);
      Steps part = call(samples, running, from, to, Arrays.copyOfRange(matrices, from, to), withGradient,
          windows.getManager());
      System.arraycopy(part.losses(), 0, losses, from, to - from);
      if (withGradient) {
        System.arraycopy(part.gradientsToMatrix(), 0, gradients, from, to - from);
      }
    }
    return new Steps(losses, gradients);
  }

  /**
   * One module call for the running members {@code from} to {@code to}: their rows of the per-member
   * inputs ({@code running}: windows, moving images, ranges; views, no copies), and the whole stack.
   */
  private Steps call(SampleStack samples, NDArray[] running, int from, int to, float[][] matrices,
      boolean withGradient, NDManager step) {
    int count = to - from;
    int width = dim * (dim + 1);
    float[] flat = new float[count * width];
    for (int k = 0; k < count; k++) {
      System.arraycopy(matrices[k], 0, flat, k * width, width);
    }
    NDArray g = step.create(flat, new Shape(count, dim, dim + 1));
    NDArray[] part = new NDArray[running.length];
    for (int i = 0; i < running.length; i++) {
      part[i] = count == running[i].getShape().get(0) ? running[i]
          : attach(running[i].get(new NDIndex("{}:{}", from, to)), step);
    }
    NDArray[] inputs = {samples.points(), samples.values(), part[0], g, part[1], part[2]};
    if (!withGradient) {
      return new Steps(Autograd.values(Autograd.notRecording(() -> attach(module.forward(inputs), step))), null);
    }
    Autograd.leaf(g);
    NDArray losses = Autograd.recording(() -> attach(module.forward(inputs), step));
    Autograd.backward(Autograd.recording(() -> attach(losses.sum(), step)));
    float[] gradient = g.getGradient().toFloatArray();
    float[][] gradients = new float[count][];
    for (int k = 0; k < count; k++) {
      gradients[k] = Arrays.copyOfRange(gradient, k * width, (k + 1) * width);
    }
    return new Steps(Autograd.values(losses), gradients);
  }

  private static NDArray attach(NDArray value, NDManager step) {
    value.attach(step);
    return value;
  }
}
