package org.warpspark.engine.affine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.stream.IntStream;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.sample.SampleStack;
import org.warpspark.engine.sample.LinearSampler;
import org.warpspark.engine.sample.Padding;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.udfs.spatial.Grid;

/**
 * The reference objective: our gather-based {@link LinearSampler} and a {@link SimilarityLoss} built
 * from DJL ops, differentiated by autograd. Each matrix maps fixed voxel indices to moving ones.
 */
final class GatherObjective implements LevelObjective {
  private final List<NDArray> moving;
  private final List<LevelFrames> frames;
  private final List<SimilarityLoss> losses;

  GatherObjective(List<Grid> fixedLevels, List<Image> movingLevels, List<SimilarityLoss> losses, NDManager scope) {
    this.moving = movingLevels.stream()
        .map(image -> scope.create(image.voxels(), new Shape(image.tensorShape()))).toList();
    this.frames = IntStream.range(0, movingLevels.size())
        .mapToObj(m -> new LevelFrames(fixedLevels.get(m).indexToPhysical(),
            movingLevels.get(m).grid().physicalToIndex()))
        .toList();
    this.losses = List.copyOf(losses);
  }

  @Override
  public LevelFrames frames(int member) {
    return frames.get(member);
  }

  /** One member after another: the reference is for correctness, not speed. */
  @Override
  public Steps evaluate(SampleStack samples, int[] members, NDArray windows, float[][] matrices,
      boolean withGradient) {
    long[] rows = windows.toLongArray();
    NDArray points = samples.points();
    NDArray values = samples.values();
    double[] lossValues = new double[members.length];
    float[][] gradients = withGradient ? new float[members.length][] : null;
    for (int k = 0; k < members.length; k++) {
      NDIndex window = new NDIndex("{}, {}:{}", rows[3 * k], rows[3 * k + 1], rows[3 * k + 1] + rows[3 * k + 2]);
      NDArray p = points.get(window);
      NDArray v = values.get(window);
      p.attach(windows.getManager()); // the step's scope, like everything computed from them
      v.attach(windows.getManager());
      int m = members[k];
      int d = moving.get(m).getShape().dimension();
      NDArray g = windows.getManager().create(matrices[k], new Shape(d, d + 1));
      if (!withGradient) {
        lossValues[k] = Autograd.notRecording(() -> Autograd.scalar(lossAt(m, p, v, g)));
        continue;
      }
      Autograd.leaf(g);
      NDArray value = Autograd.recording(() -> lossAt(m, p, v, g));
      Autograd.backward(value);
      lossValues[k] = Autograd.scalar(value);
      gradients[k] = g.getGradient().toFloatArray();
    }
    return new Steps(lossValues, gradients);
  }

  private NDArray lossAt(int member, NDArray points, NDArray fixedValues, NDArray matrix) {
    NDArray image = moving.get(member);
    NDArray movingIndex = points.matMul(matrix.transpose());
    NDArray sampled = LinearSampler.sample(image, movingIndex, Padding.ZERO);
    NDArray inside = LinearSampler.inside(movingIndex, LinearSampler.indexSize(image), DataType.FLOAT32);
    return losses.get(member).evaluate(fixedValues, sampled, inside);
  }
}
