package org.warpspark.engine.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Bilinear (2D) and trilinear (3D) sampling built from differentiable DJL ops: the gradient reaches
 * both the image values (through {@code take}) and the sampling coordinates (through the
 * interpolation weights, which are linear in the coordinates' fractional parts). Integer indexing
 * alone would have no path back to the coordinates.
 *
 * <p>Images are tensors in the layout of {@link org.warpspark.udfs.spatial} (index axes reversed);
 * points are {@code (N, d)} continuous voxel indices with column 0 = index axis 0 (x). Voxel centres
 * sit at integer indices, which is PyTorch's {@code align_corners=True}. Every result belongs to the
 * points' manager, so a per-step scope that owns the points frees all of a step's temporaries even
 * when the image lives longer.
 */
public final class LinearSampler {
  private LinearSampler() {}

  /**
   * Interpolated values at {@code points}, shape {@code (N)}. All {@code 2^d} corners are handled in one
   * batch of ops (a constant table of corner offsets), because on small batches each native op costs
   * far more than its arithmetic: a per-axis formulation took three times as many ops.
   */
  public static NDArray sample(NDArray image, NDArray points, Padding padding) {
    long[] size = indexSize(image, points);
    CornerTable corners = new CornerTable(size, points.getManager(), points.getDataType());
    NDArray p = padding == Padding.BORDER ? points.maximum(0).minimum(corners.lastIndex()) : points;
    NDArray lower = p.floor();
    // Per corner and axis the weight is frac (corner bit 1) or 1 - frac (bit 0): offset + sign * frac.
    NDArray weights = p.sub(lower).expandDims(1).mul(corners.sign()).add(corners.offset()).prod(new int[] {2});
    NDArray index = lower.toType(DataType.INT64, false).expandDims(1).add(corners.bits());
    if (padding == Padding.ZERO) {
      NDArray valid = index.gte(0).logicalAnd(index.lte(corners.lastVoxel()));
      weights = weights.mul(valid.toType(weights.getDataType(), false).prod(new int[] {2}));
    }
    NDArray flatIndex = index.maximum(0).minimum(corners.lastVoxel()).mul(corners.strides()).sum(new int[] {2});
    NDArray values = flatView(image, points).take(points.getManager(), flatIndex);
    return values.mul(weights).sum(new int[] {1});
  }

  /** Nearest-voxel values (for label maps), 0 outside the image; not differentiable in the points. */
  public static NDArray sampleNearest(NDArray image, NDArray points) {
    long[] size = indexSize(image, points);
    NDArray flatIndex = null;
    NDArray inside = null;
    long stride = 1;
    for (int a = 0; a < size.length; a++) {
      NDArray c = points.get(new NDIndex(":, {}", a)).add(0.5).floor().toType(DataType.INT64, false);
      NDArray valid = c.gte(0).logicalAnd(c.lte(size[a] - 1));
      NDArray offset = c.clip(0, size[a] - 1).mul(stride);
      flatIndex = flatIndex == null ? offset : flatIndex.add(offset);
      inside = inside == null ? valid : inside.logicalAnd(valid);
      stride *= size[a];
    }
    NDArray values = flatView(image, points).take(points.getManager(), flatIndex);
    return values.mul(inside.toType(values.getDataType(), false));
  }

  /** 1 where a point lies within the image's voxel centres ({@code 0 <= p <= size-1} on every axis), else 0. */
  public static NDArray inside(NDArray points, long[] indexSize, DataType type) {
    float[] last = new float[indexSize.length];
    for (int a = 0; a < last.length; a++) {
      last[a] = indexSize[a] - 1;
    }
    NDArray upper = points.getManager().create(last).toType(points.getDataType(), false);
    return points.gte(0).logicalAnd(points.lte(upper)).toType(type, false).prod(new int[] {1});
  }

  private static NDArray flatView(NDArray image, NDArray points) {
    NDArray flat = image.reshape(-1);
    flat.attach(points.getManager());
    return flat;
  }

  /** The image's size per index axis (tensor shape reversed). */
  public static long[] indexSize(NDArray image) {
    Shape shape = image.getShape();
    int d = shape.dimension();
    long[] size = new long[d];
    for (int a = 0; a < d; a++) {
      size[a] = shape.get(d - 1 - a);
    }
    return size;
  }

  private static long[] indexSize(NDArray image, NDArray points) {
    long[] size = indexSize(image);
    Shape p = points.getShape();
    if (p.dimension() != 2 || p.get(1) != size.length) {
      throw new IllegalArgumentException("points must be (N, " + size.length + ") for a " + size.length
          + "D image, got " + p);
    }
    return size;
  }
}
