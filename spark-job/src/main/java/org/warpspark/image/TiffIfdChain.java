package org.warpspark.image;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.stream.ImageInputStream;

/**
 * Walks a TIFF's chain of image file directories before javax.imageio does: its reader follows the
 * chain without a bound, so a chain that loops back on itself would spin until the heap is full. A
 * chain that revisits a directory, or is longer than {@link #MAX_DIRECTORIES}, is refused.
 */
final class TiffIfdChain {
  static final int MAX_DIRECTORIES = 4096;

  private TiffIfdChain() {}

  /** Checks the chain of a classic TIFF ({@code II*} or {@code MM*}); other content is left alone. */
  static void check(ImageInputStream stream, String source) throws IOException {
    ByteOrder order = stream.getByteOrder();
    try {
      walk(stream, source);
    } finally {
      stream.seek(0);
      stream.setByteOrder(order);
    }
  }

  private static void walk(ImageInputStream stream, String source) throws IOException {
    stream.seek(0);
    int b0 = stream.read();
    int b1 = stream.read();
    if (b0 != b1 || (b0 != 'I' && b0 != 'M')) {
      return; // not a TIFF: its own reader says what it is
    }
    stream.setByteOrder(b0 == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    if (stream.readUnsignedShort() != 42) {
      return; // BigTIFF, which javax.imageio refuses on its own
    }
    Set<Long> seen = new HashSet<>();
    for (long offset = stream.readUnsignedInt(); offset != 0; ) {
      if (!seen.add(offset)) {
        throw new CorruptImageException(source, "its chain of TIFF image file directories (IFD) loops back to "
            + "offset " + offset);
      }
      if (seen.size() > MAX_DIRECTORIES) {
        throw new UnsupportedImageException(source, "has more than " + MAX_DIRECTORIES + " TIFF image file "
            + "directories");
      }
      stream.seek(offset);
      int entries = stream.readUnsignedShort();
      for (int e = 0; e < entries; e++) {
        checkSize(stream, source);
      }
      offset = stream.readUnsignedInt();
    }
  }

  /**
   * Reads one directory entry; a width or height of 0 is refused here, as javax.imageio would fail on
   * it with a division by zero.
   */
  private static void checkSize(ImageInputStream stream, String source) throws IOException {
    int tag = stream.readUnsignedShort();
    int type = stream.readUnsignedShort();
    stream.readUnsignedInt(); // count
    long value = type == SHORT ? stream.readUnsignedShort() : stream.readUnsignedInt();
    if (type == SHORT) {
      stream.skipBytes(2);
    }
    if ((tag == IMAGE_WIDTH || tag == IMAGE_LENGTH) && (type == SHORT || type == LONG) && value == 0) {
      throw new CorruptImageException(source, "its TIFF " + (tag == IMAGE_WIDTH ? "width" : "height") + " is 0");
    }
  }

  private static final int IMAGE_WIDTH = 256;
  private static final int IMAGE_LENGTH = 257;
  private static final int SHORT = 3;
  private static final int LONG = 4;
}
