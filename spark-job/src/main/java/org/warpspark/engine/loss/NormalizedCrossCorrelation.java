package org.warpspark.engine.loss;

import ai.djl.ndarray.NDArray;

/**
 * Negative global normalised cross-correlation, in {@code [-1, 1]} (-1 is a perfect linear match):
 * for same-modality pairs whose intensities differ by gain and offset.
 */
public final class NormalizedCrossCorrelation implements SimilarityLoss {
  private static final double EPSILON = 1e-12;

  @Override
  public NDArray evaluate(NDArray fixed, NDArray moving, NDArray weights) {
    NDArray total = weights.sum();
    NDArray f = fixed.sub(fixed.mul(weights).sum().div(total));
    NDArray m = moving.sub(moving.mul(weights).sum().div(total));
    NDArray covariance = f.mul(m).mul(weights).sum();
    NDArray varianceProduct = f.mul(f).mul(weights).sum().mul(m.mul(m).mul(weights).sum());
    return covariance.div(varianceProduct.add(EPSILON).sqrt()).neg();
  }
}
