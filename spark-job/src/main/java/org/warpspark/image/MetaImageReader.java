package org.warpspark.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.warpspark.udfs.spatial.Grid;

/**
 * Reads MetaImage: {@code .mha} with {@code ElementDataFile = LOCAL}, or a header naming a single data
 * file resolved against the header's folder ({@code .mhd} + {@code .raw}); raw or
 * {@code CompressedData = True} (zlib, or gzip when the data starts with its magic).
 *
 * <p>Geometry follows ITK's MetaImageIO: {@code Offset} is the origin, {@code ElementSpacing} the
 * spacing, and {@code TransformMatrix} lists the direction matrix column by column: its values
 * {@code k*NDims .. k*NDims+NDims-1} are the physical direction of index axis {@code k}
 * ({@code itkMetaImageIO.cxx} calls {@code SetDirection(k, ...)} with them, and ImageFileReader stores
 * that as column {@code k}). A negative spacing is made positive by flipping its direction column,
 * as ImageFileReader does.
 *
 * <p>Uncompressed data must have exactly the length {@code DimSize} and {@code ElementType} imply
 * (unless {@code HeaderSize = -1}); compressed data must inflate to exactly that length.
 */
final class MetaImageReader {
  private static final int INFLATE_BUFFER_BYTES = 1 << 16;

  private MetaImageReader() {}

  static Image read(HadoopFile file, ReadLimits limits) throws IOException {
    String source = file.name();
    long headerFileLength = file.requireExists();
    try (InputStream headerStream = file.open()) {
      MetaImageHeader header = MetaImageHeader.read(headerStream, limits, source);
      long count = limits.requireVoxelsWithinLimit(source, header.dimSize());
      Grid grid = gridOf(header, source);
      long dataBytes = count * header.elementType().bytes();
      if (header.isLocal()) {
        long available = headerFileLength - header.headerBytes();
        return readData(headerStream, available, header, grid, dataBytes, source);
      }
      HadoopFile dataFile = dataFileOf(file, header);
      long dataFileLength = requireDataFile(dataFile, source);
      try (InputStream dataStream = dataFile.open()) {
        return readData(dataStream, dataFileLength, header, grid, dataBytes, source);
      }
    }
  }

  /** The geometry alone, from the header: no voxel data is read. */
  static Grid readGrid(HadoopFile file, ReadLimits limits) throws IOException {
    String source = file.name();
    file.requireExists();
    try (InputStream headerStream = file.open()) {
      MetaImageHeader header = MetaImageHeader.read(headerStream, limits, source);
      limits.requireVoxelsWithinLimit(source, header.dimSize());
      return gridOf(header, source);
    }
  }

  /**
   * The data file a header names: a file beside the header, by its bare name. A path, a {@code ..}, a
   * URI or the header's own name are refused before anything is opened, so that a header cannot make
   * us read a file the user did not name or send a request.
   */
  private static HadoopFile dataFileOf(HadoopFile headerFile, MetaImageHeader header) throws IOException {
    String name = header.elementDataFile();
    if (name.isEmpty() || name.toUpperCase(Locale.ROOT).startsWith("LIST") || name.contains("%")) {
      throw new UnsupportedImageException(headerFile.name(), "MetaImage ElementDataFile '" + name
          + "' is not supported; use LOCAL or a single data file");
    }
    if (name.contains("/") || name.contains("\\") || name.contains(":") || name.equals("..") || name.equals(".")
        || name.equals(headerFile.fileName())) {
      throw new UnsupportedImageException(headerFile.name(), "MetaImage ElementDataFile '" + name + "' must name a "
          + "data file beside the header by its bare name (no folder, no '..', no URI, not the header itself)");
    }
    return headerFile.sibling(name);
  }

  private static long requireDataFile(HadoopFile dataFile, String source) throws IOException {
    try {
      return dataFile.requireExists();
    } catch (ImageNotFoundException e) {
      throw new ImageNotFoundException(source, "its data file " + dataFile.name() + " does not exist", e);
    }
  }

  /** Reads the voxels from {@code in}, which holds {@code available} bytes from its current position. */
  private static Image readData(InputStream in, long available, MetaImageHeader header, Grid grid, long dataBytes,
      String source) throws IOException {
    float[] voxels;
    if (header.compressed()) {
      voxels = readCompressed(in, available, header, grid, source);
    } else {
      long skip = header.headerSize() == -1 ? available - dataBytes : header.headerSize();
      long left = available - skip;
      if (skip < 0 || left != dataBytes) {
        throw new CorruptImageException(source, "DimSize " + Arrays.toString(header.dimSize()) + " of "
            + header.elementType() + " needs " + dataBytes + " bytes of voxel data but " + Math.max(0, left)
            + " are available" + (header.isLocal() ? "" : " in its data file " + header.elementDataFile())
            + (left < dataBytes ? " (truncated)" : ""));
      }
      in.skipNBytes(skip);
      voxels = new float[(int) grid.voxelCount()];
      VoxelCodec.read(in, header.elementType(), header.byteOrder(), voxels, source);
    }
    return new Image(grid, voxels, header.elementType());
  }

  private static float[] readCompressed(InputStream in, long available, MetaImageHeader header, Grid grid,
      String source) throws IOException {
    if (header.headerSize() != 0) {
      throw new UnsupportedImageException(source, "MetaImage HeaderSize with CompressedData is not supported");
    }
    if (header.compressedDataSize() > available) {
      throw new CorruptImageException(source, "truncated compressed data: CompressedDataSize is "
          + header.compressedDataSize() + " bytes, only " + available + " available");
    }
    // MetaIO writes zlib streams but inflates gzip too, so accept both.
    boolean gzip = NiftiReader.startsWithGzipMagic(in);
    Inflater inflater = new Inflater();
    try (InputStream inflated = gzip ? new GZIPInputStream(in, INFLATE_BUFFER_BYTES)
        : new InflaterInputStream(in, inflater, INFLATE_BUFFER_BYTES)) {
      float[] voxels = new float[(int) grid.voxelCount()];
      VoxelCodec.read(inflated, header.elementType(), header.byteOrder(), voxels, source);
      if (inflated.read() >= 0) {
        throw new CorruptImageException(source, "compressed data inflates to more bytes than DimSize "
            + Arrays.toString(header.dimSize()) + " of " + header.elementType() + " needs");
      }
      return voxels;
    } finally {
      inflater.end();
    }
  }

  static Grid gridOf(MetaImageHeader header, String source) {
    int d = header.nDims();
    double[] spacing = header.spacing().clone();
    double[] direction = new double[d * d];
    for (int axis = 0; axis < d; axis++) {
      double sign = spacing[axis] < 0 ? -1 : 1;
      spacing[axis] = Math.abs(spacing[axis]);
      for (int row = 0; row < d; row++) {
        double value = header.transformMatrix()[axis * d + row];
        direction[row * d + axis] = sign < 0 ? -value + 0.0 : value;
      }
    }
    if (!Grid.isOrthonormal(direction, d, Grid.ORTHONORMAL_TOLERANCE)) {
      throw new UnsupportedImageException(source, "MetaImage TransformMatrix " + Arrays.toString(header.transformMatrix())
          + " is not orthonormal; grids need direction cosines");
    }
    int[] size = new int[d];
    for (int i = 0; i < d; i++) {
      size[i] = (int) header.dimSize()[i];
    }
    try {
      return new Grid(size, spacing, header.origin(), direction);
    } catch (IllegalArgumentException e) {
      throw new CorruptImageException(source, "MetaImage geometry is not a valid grid: " + e.getMessage(), e);
    }
  }
}
