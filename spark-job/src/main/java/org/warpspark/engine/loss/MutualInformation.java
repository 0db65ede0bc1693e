package org.warpspark.engine.loss;

import ai.djl.ndarray.NDArray;

/**
 * Negative Mattes-style mutual information for multi-modal pairs. Each intensity is spread over
 * {@code bins} histogram bins by a Gaussian Parzen window (width half a bin), which keeps the joint
 * histogram, and so the loss, differentiable in the moving intensities. Intensities are mapped to
 * bins with the fixed and moving ranges given at construction (clamped outside them).
 */
public final class MutualInformation implements SimilarityLoss {
  private static final double EPSILON = 1e-10;
  private final int bins;
  private final double fixedMin;
  private final double fixedMax;
  private final double movingMin;
  private final double movingMax;

  public MutualInformation(int bins, double fixedMin, double fixedMax, double movingMin, double movingMax) {
    if (bins < 4) {
      throw new IllegalArgumentException("mutual information needs at least 4 bins, got " + bins);
    }
    this.bins = bins;
    this.fixedMin = fixedMin;
    this.fixedMax = fixedMax > fixedMin ? fixedMax : fixedMin + 1;
    this.movingMin = movingMin;
    this.movingMax = movingMax > movingMin ? movingMax : movingMin + 1;
  }

  public int bins() {
    return bins;
  }

  /** {@code fixedMin, fixedMax, movingMin, movingMax} as used (an empty range widened to 1). */
  public float[] ranges() {
    return new float[] {(float) fixedMin, (float) fixedMax, (float) movingMin, (float) movingMax};
  }

  @Override
  public NDArray evaluate(NDArray fixed, NDArray moving, NDArray weights) {
    NDArray fixedWindows = parzen(fixed, fixedMin, fixedMax).mul(weights.expandDims(1));
    NDArray movingWindows = parzen(moving, movingMin, movingMax);
    NDArray joint = fixedWindows.transpose().matMul(movingWindows).div(weights.sum());
    NDArray fixedMarginal = joint.sum(new int[] {1}, true);
    NDArray movingMarginal = joint.sum(new int[] {0}, true);
    NDArray logRatio = joint.add(EPSILON).log().sub(fixedMarginal.add(EPSILON).log())
        .sub(movingMarginal.add(EPSILON).log());
    return joint.mul(logRatio).sum().neg();
  }

  /** {@code (N) -> (N, bins)}: each row a normalised Gaussian window around the sample's bin position. */
  private NDArray parzen(NDArray values, double min, double max) {
    NDArray position = values.sub(min).div(max - min).mul(bins - 1).clip(0, bins - 1).expandDims(1);
    NDArray centres = values.getManager().arange(0, bins, 1, values.getDataType()).expandDims(0);
    NDArray d = position.sub(centres);
    NDArray window = d.mul(d).mul(-2.0).exp(); // sigma = 0.5 bin
    return window.div(window.sum(new int[] {1}, true));
  }
}
