package org.warpspark.engine.affine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.sample.FixedVoxels;
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
  private final NDManager scope;

  GatherObjective(Grid fixedLevel, Image movingLevel, SimilarityLoss loss, NDManager scope) {
    this.moving = scope.create(movingLevel.voxels(), new Shape(movingLevel.tensorShape()));
    this.frames = new LevelFrames(fixedLevel.indexToPhysical(), movingLevel.grid().physicalToIndex());
    this.loss = loss;
    this.scope = scope;
  }

  @Override
  public LevelFrames frames() {
    return frames;
  }

  @Override
  public Step evaluate(FixedVoxels.Draw draw, float[] matrix, boolean withGradient) {
    int d = (int) moving.getShape().dimension();
    try (NDManager step = scope.newSubManager()) {
      NDArray points = step.create(draw.points(), new Shape(draw.count(), d + 1));
      NDArray fixedValues = step.create(draw.values());
      NDArray g = step.create(matrix, new Shape(d, d + 1));
      if (!withGradient) {
        return new Step(Autograd.notRecording(() -> Autograd.scalar(lossAt(points, fixedValues, g))), null);
      }
      Autograd.leaf(g);
      NDArray value = Autograd.recording(() -> lossAt(points, fixedValues, g));
      Autograd.backward(value);
      return new Step(Autograd.scalar(value), g.getGradient().toFloatArray());
    }
  }

  private NDArray lossAt(NDArray points, NDArray fixedValues, NDArray matrix) {
    NDArray movingIndex = points.matMul(matrix.transpose());
    NDArray sampled = LinearSampler.sample(moving, movingIndex, Padding.ZERO);
    NDArray inside = LinearSampler.inside(movingIndex, LinearSampler.indexSize(moving), DataType.FLOAT32);
    return loss.evaluate(fixedValues, sampled, inside);
  }
}
