package org.warpspark.engine.loss;

import ai.djl.ndarray.NDArray;

/** Weighted mean of squared intensity differences: for same-modality pairs with matching intensities. */
public final class MeanSquaredError implements SimilarityLoss {
  @Override
  public NDArray evaluate(NDArray fixed, NDArray moving, NDArray weights) {
    NDArray diff = moving.sub(fixed);
    return diff.mul(diff).mul(weights).sum().div(weights.sum());
  }
}
