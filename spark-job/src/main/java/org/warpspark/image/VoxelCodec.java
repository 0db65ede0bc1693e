package org.warpspark.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts raw voxel bytes of any {@link PixelType} to and from float32, streaming in small chunks
 * so a read never holds the raw bytes and the floats of a whole volume at once.
 */
final class VoxelCodec {
  /** A multiple of every pixel size. */
  private static final int CHUNK_BYTES = 1 << 16;

  private VoxelCodec() {}

  /**
   * Fills {@code out} from {@code in}; a stream that ends early is a {@link CorruptImageException}
   * saying how many bytes were expected and how many were there.
   */
  static void read(InputStream in, PixelType type, ByteOrder order, float[] out, String source) throws IOException {
    int size = type.bytes();
    long expected = (long) out.length * size;
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(order);
    int next = 0;
    while (next < out.length) {
      int want = (int) Math.min(CHUNK_BYTES, (long) (out.length - next) * size);
      int got = in.readNBytes(chunk.array(), 0, want);
      if (got < want) {
        throw new CorruptImageException(source, "truncated voxel data: expected " + expected
            + " bytes, only " + ((long) next * size + got) + " available");
      }
      chunk.position(0).limit(want);
      next = decode(chunk, type, out, next);
    }
  }

  private static int decode(ByteBuffer chunk, PixelType type, float[] out, int next) {
    while (chunk.hasRemaining()) {
      out[next++] = switch (type) {
        case UINT8 -> chunk.get() & 0xFF;
        case INT8 -> chunk.get();
        case INT16 -> chunk.getShort();
        case UINT16 -> chunk.getShort() & 0xFFFF;
        case INT32 -> chunk.getInt();
        case FLOAT32 -> chunk.getFloat();
        case FLOAT64 -> (float) chunk.getDouble();
      };
    }
    return next;
  }

  /** Writes every voxel as {@code type}, rounded and clamped by {@link #storable}. */
  static void write(OutputStream out, float[] voxels, PixelType type, ByteOrder order) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(order);
    for (float v : voxels) {
      if (chunk.remaining() < type.bytes()) {
        out.write(chunk.array(), 0, chunk.position());
        chunk.clear();
      }
      double s = storable(v, type);
      switch (type) {
        case UINT8, INT8 -> chunk.put((byte) (int) s);
        case INT16, UINT16 -> chunk.putShort((short) (int) s);
        case INT32 -> chunk.putInt((int) s);
        case FLOAT32 -> chunk.putFloat(v);
        case FLOAT64 -> chunk.putDouble(v);
      }
    }
    out.write(chunk.array(), 0, chunk.position());
  }

  /**
   * The value {@code v} becomes when stored as {@code type}: integer types round to nearest (ties to
   * even) and clamp to the type's range; float types keep it.
   */
  static double storable(float v, PixelType type) {
    return switch (type) {
      case FLOAT32, FLOAT64 -> v;
      default -> Math.max(minOf(type), Math.min(maxOf(type), Math.rint(v)));
    };
  }

  static double minOf(PixelType type) {
    return switch (type) {
      case UINT8, UINT16 -> 0;
      case INT8 -> Byte.MIN_VALUE;
      case INT16 -> Short.MIN_VALUE;
      case INT32 -> Integer.MIN_VALUE;
      case FLOAT32 -> -Float.MAX_VALUE;
      case FLOAT64 -> -Double.MAX_VALUE;
    };
  }

  static double maxOf(PixelType type) {
    return switch (type) {
      case UINT8 -> 255;
      case INT8 -> Byte.MAX_VALUE;
      case INT16 -> Short.MAX_VALUE;
      case UINT16 -> 65535;
      case INT32 -> Integer.MAX_VALUE;
      case FLOAT32 -> Float.MAX_VALUE;
      case FLOAT64 -> Double.MAX_VALUE;
    };
  }

  /**
   * Refuses to write NaN or infinite voxels into an integer type: there is no honest value to store,
   * and silently writing 0 would hide a bug upstream.
   */
  static void requireStorable(float[] voxels, PixelType type, String target) {
    if (type == PixelType.FLOAT32 || type == PixelType.FLOAT64) {
      return;
    }
    long bad = 0;
    for (float v : voxels) {
      if (!Float.isFinite(v)) {
        bad++;
      }
    }
    if (bad > 0) {
      throw new ImageWriteException(target, bad + " voxels are NaN or infinite and cannot be stored as " + type
          + "; store the image as FLOAT32 instead");
    }
  }
}
