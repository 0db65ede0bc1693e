package org.warpspark.engine.loss;

import ai.djl.ndarray.NDArray;

/**
 * How unlike the fixed samples the warped moving samples are; lower is better. Inputs are {@code (N)}
 * arrays: fixed intensities, moving intensities (carrying the graph) and weights in {@code [0, 1]}
 * (fixed mask times "the point fell inside the moving image"), so points outside the overlap do not
 * count. The result is a scalar; it is NaN when no weight is left (no overlap).
 */
public interface SimilarityLoss {
  NDArray evaluate(NDArray fixed, NDArray moving, NDArray weights);
}
