package org.warpspark.image;

/** Voxel storage types on disk. In memory every image is float32; this records what to write back. */
public enum PixelType {
  UINT8(1), INT8(1), INT16(2), UINT16(2), INT32(4), FLOAT32(4), FLOAT64(8);

  private final int bytes;

  PixelType(int bytes) {
    this.bytes = bytes;
  }

  public int bytes() {
    return bytes;
  }

  /** Whether {@code v} is stored as itself, not rounded or clamped (float types hold every value). */
  public boolean holdsExactly(float v) {
    return this == FLOAT32 || this == FLOAT64 || VoxelCodec.storable(v, this) == v;
  }
}
