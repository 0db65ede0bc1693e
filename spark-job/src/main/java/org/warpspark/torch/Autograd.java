package org.warpspark.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Reverse-mode gradients that are safe when several threads optimise at once. Grad mode is a
 * per-thread libtorch flag (new Spark task threads start with it on, the engine's loader thread with
 * it off), so it is switched on only around a forward pass and restored afterwards.
 */
public final class Autograd {
  private Autograd() {}

  /** Runs {@code forward} with graph recording on for this thread, then restores the previous mode. */
  public static <T> T recording(Supplier<T> forward) {
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
    try {
      return forward.get();
    } finally {
      JniUtils.setGradMode(previous);
    }
  }

  /** Runs {@code work} with graph recording off for this thread (inference, updates, resampling). */
  public static <T> T notRecording(Supplier<T> work) {
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return work.get();
    } finally {
      JniUtils.setGradMode(previous);
    }
  }

  /** A fresh leaf that will receive a gradient; a new leaf per step avoids accumulating old gradients. */
  public static NDArray leaf(NDArray values) {
    values.setRequiresGradient(true);
    return values;
  }

  /** The value of a one-element array of any floating type (reductions of 0-d arrays may promote to float64). */
  public static double scalar(NDArray value) {
    return values(value)[0];
  }

  /** The values of an array of any floating type, in double precision. */
  public static double[] values(NDArray value) {
    return value.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
  }

  /** Back-propagates a scalar; afterwards each leaf's {@code getGradient()} holds d(scalar)/d(leaf). */
  public static void backward(NDArray scalar) {
    if (scalar.getShape().size() != 1) {
      throw new IllegalArgumentException("backward needs a scalar, got shape " + scalar.getShape());
    }
    try (NDArray seed = scalar.onesLike()) {
      JniUtils.backward((PtNDArray) scalar, (PtNDArray) seed, false, false);
    }
  }
}
