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
  private static final int ENTRY_BYTES = 12;

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
      stream.skipBytes((long) entries * ENTRY_BYTES);
      offset = stream.readUnsignedInt();
    }
  }
}
