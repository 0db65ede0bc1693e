package org.warpspark.engine.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Constants of linear interpolation on a {@code d}-dimensional image: for each of the {@code 2^d}
 * cell corners its offset bits per axis, and the per-axis limits and strides. Made in the points'
 * manager, so they live exactly as long as the step that uses them.
 */
final class CornerTable {
  private final NDArray bits;
  private final NDArray sign;
  private final NDArray offset;
  private final NDArray lastVoxel;
  private final NDArray lastIndex;
  private final NDArray strides;

  CornerTable(long[] size, NDManager manager, DataType type) {
    int d = size.length;
    int corners = 1 << d;
    long[] bitValues = new long[corners * d];
    float[] signValues = new float[corners * d];
    float[] offsetValues = new float[corners * d];
    for (int c = 0; c < corners; c++) {
      for (int a = 0; a < d; a++) {
        int bit = (c >> a) & 1;
        bitValues[c * d + a] = bit;
        signValues[c * d + a] = 2 * bit - 1;
        offsetValues[c * d + a] = 1 - bit;
      }
    }
    long[] last = new long[d];
    float[] lastFloat = new float[d];
    long[] strideValues = new long[d];
    long stride = 1;
    for (int a = 0; a < d; a++) {
      last[a] = size[a] - 1;
      lastFloat[a] = size[a] - 1;
      strideValues[a] = stride;
      stride *= size[a];
    }
    Shape table = new Shape(corners, d);
    bits = manager.create(bitValues, table);
    sign = manager.create(signValues, table).toType(type, false);
    offset = manager.create(offsetValues, table).toType(type, false);
    lastVoxel = manager.create(last);
    lastIndex = manager.create(lastFloat).toType(type, false);
    strides = manager.create(strideValues);
  }

  /** {@code (2^d, d)} int64: 0 or 1, the corner's offset from the cell's lower voxel. */
  NDArray bits() {
    return bits;
  }

  /** {@code (2^d, d)}: +1 where the weight grows with the fractional position, -1 where it shrinks. */
  NDArray sign() {
    return sign;
  }

  /** {@code (2^d, d)}: 1 - bit, so a corner's axis weight is {@code offset + sign * frac}. */
  NDArray offset() {
    return offset;
  }

  /** {@code (d)} int64: the last voxel index per axis. */
  NDArray lastVoxel() {
    return lastVoxel;
  }

  /** {@code (d)} in the points' type: the last voxel index per axis, for clamping coordinates. */
  NDArray lastIndex() {
    return lastIndex;
  }

  /** {@code (d)} int64: how far apart neighbours along each axis are in the flattened image. */
  NDArray strides() {
    return strides;
  }
}
