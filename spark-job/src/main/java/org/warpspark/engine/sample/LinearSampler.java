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

  /** Interpolated values at {@code points}, shape {@code (N)}. */
  public static NDArray sample(NDArray image, NDArray points, Padding padding) {
    long[] size = indexSize(image, points);
    int d = size.length;
    long n = points.getShape().get(0);
    NDArray weights = null;
    NDArray flatIndex = null;
    long stride = 1;
    for (int a = 0; a < d; a++) {
      NDArray c = points.get(new NDIndex(":, {}", a));
      if (padding == Padding.BORDER) {
        c = c.clip(0, size[a] - 1);
      }
      NDArray lower = c.floor();
      NDArray frac = c.sub(lower);
      NDArray axisWeights = frac.neg().add(1).stack(frac, 1);
      NDArray corner = lower.toType(DataType.INT64, false);
      NDArray corners = corner.stack(corner.add(1), 1);
      if (padding == Padding.ZERO) {
        NDArray valid = corners.gte(0).logicalAnd(corners.lte(size[a] - 1));
        axisWeights = axisWeights.mul(valid.toType(axisWeights.getDataType(), false));
      }
      NDArray offsets = corners.clip(0, size[a] - 1).mul(stride);
      // Axis a becomes the slowest-varying corner axis so the corner order is (z, y, x) like the tensor.
      weights = weights == null ? axisWeights : outerProduct(axisWeights, weights, n);
      flatIndex = flatIndex == null ? offsets : outerSum(offsets, flatIndex, n);
      stride *= size[a];
    }
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
    NDArray all = null;
    for (int a = 0; a < indexSize.length; a++) {
      NDArray c = points.get(new NDIndex(":, {}", a));
      NDArray ok = c.gte(0).logicalAnd(c.lte(indexSize[a] - 1));
      all = all == null ? ok : all.logicalAnd(ok);
    }
    return all.toType(type, false);
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

  /** {@code (N, 2) x (N, m) -> (N, 2m)} products; the new axis varies slowest. */
  private static NDArray outerProduct(NDArray axis, NDArray previous, long n) {
    return axis.reshape(n, 2, 1).mul(previous.reshape(n, 1, -1)).reshape(n, -1);
  }

  /** {@code (N, 2) + (N, m) -> (N, 2m)} sums; the new axis varies slowest. */
  private static NDArray outerSum(NDArray axis, NDArray previous, long n) {
    return axis.reshape(n, 2, 1).add(previous.reshape(n, 1, -1)).reshape(n, -1);
  }
}
