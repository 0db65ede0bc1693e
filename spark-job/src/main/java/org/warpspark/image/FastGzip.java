package org.warpspark.image;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The gzip stream our {@code .nii.gz} files are written with: deflate's fastest level. A brain's
 * warped image (1M voxels of one byte) compresses six times faster than at the default level (12
 * against 70 ms) into a file 6 % larger, and float fields barely compress at any level. Every gzip
 * reader reads it.
 */
final class FastGzip extends GZIPOutputStream {
  private static final int BUFFER_BYTES = 1 << 16;

  FastGzip(OutputStream out) throws IOException {
    super(out, BUFFER_BYTES);
    def.setLevel(Deflater.BEST_SPEED);
  }
}
