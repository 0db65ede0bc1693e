package org.warpspark.engine.affine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.sample.SamplePool;
import org.warpspark.engine.sample.LinearSampler;
import org.warpspark.engine.sample.Padding;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.udfs.spatial.Grid;

/**
 * The reference objective: our gather-based {@link LinearSampler} and a {@link SimilarityLoss} built
 * from DJL ops, differentiated by autograd. The matrix maps fixed voxel indices to moving ones.
 */
final class GatherObjective implements LevelObjective {
  private final NDArray moving;
  private final LevelFrames frames;
  private final SimilarityLoss loss;

  GatherObjective(Grid fixedLevel, Image movingLevel, SimilarityLoss loss, NDManager scope) {
    this.moving = scope.create(movingLevel.voxels(), new Shape(movingLevel.tensorShape()));
    this.frames = new LevelFrames(fixedLevel.indexToPhysical(), movingLevel.grid().physicalToIndex());
    this.loss = loss;
  }

  @Override
  public LevelFrames frames() {
    return frames;
  }

  @Override
  public Step evaluate(SamplePool.Batch batch, float[] matrix, boolean withGradient) {
    int d = moving.getShape().dimension();
    NDArray g = batch.points().getManager().create(matrix, new Shape(d, d + 1));
    if (!withGradient) {
      return new Step(Autograd.notRecording(() -> Autograd.scalar(lossAt(batch.points(), batch.values(), g))), null);
    }
    Autograd.leaf(g);
    NDArray value = Autograd.recording(() -> lossAt(batch.points(), batch.values(), g));
    Autograd.backward(value);
    return new Step(Autograd.scalar(value), g.getGradient().toFloatArray());
  }

  private NDArray lossAt(NDArray points, NDArray fixedValues, NDArray matrix) {
    NDArray movingIndex = points.matMul(matrix.transpose());
    NDArray sampled = LinearSampler.sample(moving, movingIndex, Padding.ZERO);
    NDArray inside = LinearSampler.inside(movingIndex, LinearSampler.indexSize(moving), DataType.FLOAT32);
    return loss.evaluate(fixedValues, sampled, inside);
  }
}
