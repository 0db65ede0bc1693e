package org.warpspark.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/**
 * Reads single-file NIfTI-1 and NIfTI-2 ({@code .nii}, gzipped or not, told by content), in either
 * byte order. Voxels are rescaled by {@code scl_slope}/{@code scl_inter} (a slope of 0 or NaN means
 * none); a rescaled image reports {@code storedAs = FLOAT32}, since its values no longer fit the
 * stored integer type. Geometry: see {@link NiftiGeometry}. Images with more than one volume
 * ({@code dim[4..7] > 1}) and 1D images are refused.
 */
final class NiftiReader {
  private static final int GZIP_BUFFER_BYTES = 1 << 16;
  private static final int INTENT_DISPLACEMENT = 1006;
  private static final int INTENT_VECTOR = NiftiDisplacementFieldWriter.INTENT_VECTOR;

  private NiftiReader() {}

  static Image read(HadoopFile file, ReadLimits limits) throws IOException {
    String source = file.name();
    long fileLength = file.requireExists();
    try (InputStream raw = file.open()) {
      Header h = header(raw, limits, source, false);
      long dataBytes = h.grid().voxelCount() * h.type().bytes();
      if (!h.gzipped() && fileLength - h.offset() < dataBytes) {
        throw new CorruptImageException(source, "truncated voxel data: expected " + dataBytes + " bytes at offset "
            + h.offset() + ", only " + Math.max(0, fileLength - h.offset()) + " available");
      }
      skipTo(h.in(), h.offset() - h.headerBytes(), source);
      float[] voxels = new float[(int) h.grid().voxelCount()];
      VoxelCodec.read(h.in(), h.type(), h.header().byteOrder(), voxels, source);
      if (h.gzipped()) {
        checkTrailer(h.in(), dataBytes);
      }
      boolean rescaled = rescale(voxels, h.header().sclSlope(), h.header().sclInter(), source);
      return new Image(h.grid(), voxels, rescaled ? PixelType.FLOAT32 : h.type());
    }
  }

  /**
   * Reads a gzip stream to its end, where {@link GZIPInputStream} checks the CRC-32 and length of what
   * it decompressed (a mismatch throws, and the file is reported corrupt). Whatever follows the
   * voxels (further volumes) is read only up to a bound, so a file cannot make this spin.
   */
  private static void checkTrailer(InputStream in, long dataBytes) throws IOException {
    long budget = 4 * dataBytes + (1 << 20);
    byte[] sink = new byte[GZIP_BUFFER_BYTES];
    for (int n = in.read(sink); n >= 0 && budget > 0; n = in.read(sink)) {
      budget -= n;
    }
  }

  /** The geometry alone, from the header: no voxel data is read. */
  static Grid readGrid(HadoopFile file, ReadLimits limits) throws IOException {
    file.requireExists();
    try (InputStream raw = file.open()) {
      return header(raw, limits, file.name(), false).grid();
    }
  }

  /** A parsed, checked header and the stream positioned just after it. */
  private record Header(InputStream in, boolean gzipped, int headerBytes, NiftiHeader header, int intentCode,
      PixelType type, long offset, Grid grid) {}

  /** {@code vectors}: a 5-D vector image (one vector per voxel) is accepted, its grid the spatial axes. */
  private static Header header(InputStream raw, ReadLimits limits, String source, boolean vectors) throws IOException {
    boolean gzipped = startsWithGzipMagic(raw);
    InputStream in = gzipped ? new GZIPInputStream(raw, GZIP_BUFFER_BYTES) : raw;
    byte[] headerBytes = readHeaderBytes(in, source);
    NiftiHeader header = NiftiHeader.parse(headerBytes, source);
    PixelType type = header.pixelType(source);
    int[] size3 = spatialSize(header, limits, source, vectors);
    long offset = header.dataOffset(source);
    limits.requireHeaderWithinLimit(source, offset);
    return new Header(in, gzipped, headerBytes.length, header, NiftiHeader.intentCode(headerBytes), type, offset,
        NiftiGeometry.gridOf(header, size3, source));
  }

  /**
   * A displacement field as ITK and ANTs write it: {@code dim = [5, nx, ny, nz, 1, d]} ({@code nz = 1}
   * in 2D), one whole component volume after another. Components are LPS millimetres as ITK stores
   * them under {@code intent_code} 1007 (vector) or none; under 1006 ({@code NIFTI_INTENT_DISPVECT}) they
   * are RAS, as ITK 5.4 reads them, and x and y are negated.
   */
  static DisplacementField readDisplacementField(HadoopFile file, ReadLimits limits) throws IOException {
    String source = file.name();
    long fileLength = file.requireExists();
    try (InputStream raw = file.open()) {
      Header h = header(raw, limits, source, true);
      long[] dim = h.header().dim();
      int d = h.grid().dim();
      long components = dim[0] >= 5 ? dim[5] : 1;
      if (dim[0] < 5 || components != d) {
        throw new UnsupportedImageException(source, "is not a " + d + "D displacement field: dim = "
            + Arrays.toString(Arrays.copyOfRange(dim, 1, (int) dim[0] + 1)) + ", expected [nx, ny, nz, 1, " + d
            + "] (one " + d + "-vector per voxel)");
      }
      int intent = h.intentCode();
      if (intent != 0 && intent != INTENT_VECTOR && intent != INTENT_DISPLACEMENT) {
        throw new UnsupportedImageException(source, "intent_code " + intent + " is not a displacement field's "
            + "(1007 vector, 1006 displacement, or none)");
      }
      int n = Math.toIntExact(h.grid().voxelCount());
      long dataBytes = (long) d * n * h.type().bytes();
      if (!h.gzipped() && fileLength - h.offset() < dataBytes) {
        throw new CorruptImageException(source, "truncated vector data: expected " + dataBytes + " bytes at offset "
            + h.offset() + ", only " + Math.max(0, fileLength - h.offset()) + " available");
      }
      skipTo(h.in(), h.offset() - h.headerBytes(), source);
      float[][] u = new float[d][n];
      for (int c = 0; c < d; c++) {
        VoxelCodec.read(h.in(), h.type(), h.header().byteOrder(), u[c], source);
        rescale(u[c], h.header().sclSlope(), h.header().sclInter(), source);
        for (float v : u[c]) {
          if (!Float.isFinite(v)) {
            throw new CorruptImageException(source, "displacement field holds a non-finite value");
          }
        }
      }
      if (intent == INTENT_DISPLACEMENT) {
        for (int c = 0; c < 2; c++) {
          for (int i = 0; i < n; i++) {
            u[c][i] = -u[c][i];
          }
        }
      }
      if (h.gzipped()) {
        checkTrailer(h.in(), dataBytes);
      }
      return new DisplacementField(h.grid(), u);
    }
  }

  /** Peeks at the first two bytes of a stream that supports mark/reset. */
  static boolean startsWithGzipMagic(InputStream in) throws IOException {
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b;
  }

  private static byte[] readHeaderBytes(InputStream in, String source) throws IOException {
    byte[] first4 = in.readNBytes(4);
    if (first4.length < 4) {
      throw new CorruptImageException(source, "file is only " + first4.length + " bytes, too short for a NIfTI header");
    }
    int length = NiftiHeader.headerLength(first4, source);
    byte[] header = Arrays.copyOf(first4, length);
    int got = in.readNBytes(header, 4, length - 4);
    if (got < length - 4) {
      throw new CorruptImageException(source, "truncated header: expected " + length + " bytes, only "
          + (4 + got) + " available");
    }
    return header;
  }

  /**
   * {@code (nx, ny, nz)}, after refusing 1D, several volumes (a vector axis, dim[5], is allowed with
   * {@code vectors}), and more voxels than the limit; the
   * limit check comes before anything is allocated.
   */
  private static int[] spatialSize(NiftiHeader h, ReadLimits limits, String source, boolean vectors) {
    if (h.dim()[0] == 1) {
      throw new UnsupportedImageException(source, "1D NIfTI images are not supported");
    }
    for (int axis = 4; axis <= h.dim()[0]; axis++) {
      if (vectors && axis == 5) {
        continue;
      }
      if (h.dim()[axis] > 1) {
        throw new UnsupportedImageException(source, "has more than one volume (dim = "
            + Arrays.toString(Arrays.copyOfRange(h.dim(), 1, (int) h.dim()[0] + 1))
            + "); only single-volume 2D and 3D images are supported");
      }
    }
    long[] size = {h.size(1), h.size(2), h.size(3)};
    limits.requireVoxelsWithinLimit(source, size);
    return new int[] {(int) size[0], (int) size[1], (int) size[2]};
  }

  private static void skipTo(InputStream in, long bytes, String source) throws IOException {
    long skipped = 0;
    while (skipped < bytes) {
      long n = in.skip(bytes - skipped);
      if (n <= 0) {
        if (in.read() < 0) {
          throw new CorruptImageException(source, "file ends inside its header extensions, before vox_offset");
        }
        n = 1;
      }
      skipped += n;
    }
  }

  /**
   * Applies {@code v * slope + inter}; returns whether that changed anything. A scaling that takes
   * finite voxels beyond float32's range is the header's fault, and is named as such.
   */
  static boolean rescale(float[] voxels, double slope, double inter, String source) {
    if (slope == 0 || !Double.isFinite(slope)) {
      return false;
    }
    double intercept = Double.isFinite(inter) ? inter : 0;
    if (slope == 1 && intercept == 0) {
      return false;
    }
    long overflowed = 0;
    for (int i = 0; i < voxels.length; i++) {
      float scaled = (float) (voxels[i] * slope + intercept);
      if (Float.isFinite(voxels[i]) && !Float.isFinite(scaled)) {
        overflowed++;
      }
      voxels[i] = scaled;
    }
    if (overflowed > 0) {
      throw new CorruptImageException(source, "scl_slope " + slope + " and scl_inter " + inter + " take "
          + overflowed + " of " + voxels.length + " voxels beyond the float32 range");
    }
    return true;
  }
}
