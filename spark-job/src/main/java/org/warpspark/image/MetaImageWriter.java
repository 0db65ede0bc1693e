package org.warpspark.image;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.warpspark.udfs.spatial.Grid;

/**
 * Writes MetaImage: one {@code .mha} ({@code ElementDataFile = LOCAL}), or for a {@code .mhd} name
 * the header plus a data file beside it ({@code name.raw}, or {@code name.zraw} when compressed, as
 * ITK names them). Little-endian, {@code ElementType} from {@link Image#storedAs()} (integer types
 * rounded and clamped), optionally zlib-compressed with {@code CompressedDataSize}. Numbers are
 * written in Java's shortest round-trip form, so geometry survives a round trip exactly;
 * {@code TransformMatrix} is written column by column as ITK does (see {@link MetaImageReader}).
 */
final class MetaImageWriter {
  private MetaImageWriter() {}

  static void write(Image image, HadoopFile file, boolean compress) throws IOException {
    VoxelCodec.requireStorable(image.voxels(), image.storedAs(), file.name());
    if (file.fileName().toLowerCase(Locale.ROOT).endsWith(".mhd")) {
      writeSeparate(image, file, compress);
    } else {
      writeLocal(image, file, compress);
    }
  }

  private static void writeLocal(Image image, HadoopFile file, boolean compress) throws IOException {
    // The header must state CompressedDataSize before the data, so compressed data is built first.
    byte[] compressed = compress ? deflated(image) : null;
    try (OutputStream out = file.create()) {
      out.write(headerText(image, compressed == null ? -1 : compressed.length, MetaImageHeader.LOCAL));
      if (compressed == null) {
        VoxelCodec.write(out, image.voxels(), image.storedAs(), ByteOrder.LITTLE_ENDIAN);
      } else {
        out.write(compressed);
      }
    }
  }

  private static void writeSeparate(Image image, HadoopFile file, boolean compress) throws IOException {
    String base = file.fileName().substring(0, file.fileName().length() - ".mhd".length());
    String dataName = base + (compress ? ".zraw" : ".raw");
    long written;
    try (CountingOutputStream counted = new CountingOutputStream(file.sibling(dataName).create())) {
      writeVoxels(counted, image, compress);
      written = counted.count;
    }
    try (OutputStream out = file.create()) {
      out.write(headerText(image, compress ? written : -1, dataName));
    }
  }

  private static byte[] deflated(Image image) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    writeVoxels(bytes, image, true);
    return bytes.toByteArray();
  }

  /** Writes the voxels, deflated when asked; leaves {@code out} open. */
  private static void writeVoxels(OutputStream out, Image image, boolean compress) throws IOException {
    if (!compress) {
      VoxelCodec.write(out, image.voxels(), image.storedAs(), ByteOrder.LITTLE_ENDIAN);
      return;
    }
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    try {
      DeflaterOutputStream deflating = new DeflaterOutputStream(out, deflater, 1 << 16);
      VoxelCodec.write(deflating, image.voxels(), image.storedAs(), ByteOrder.LITTLE_ENDIAN);
      deflating.finish();
    } finally {
      deflater.end();
    }
  }

  static byte[] headerText(Image image, long compressedSize, String elementDataFile) {
    Grid grid = image.grid();
    StringBuilder h = new StringBuilder();
    line(h, "ObjectType", "Image");
    line(h, "NDims", String.valueOf(grid.dim()));
    line(h, "BinaryData", "True");
    line(h, "BinaryDataByteOrderMSB", "False");
    line(h, "CompressedData", compressedSize >= 0 ? "True" : "False");
    if (compressedSize >= 0) {
      line(h, "CompressedDataSize", String.valueOf(compressedSize));
    }
    line(h, "TransformMatrix", numbers(columnMajor(grid.direction(), grid.dim())));
    line(h, "Offset", numbers(grid.origin()));
    line(h, "CenterOfRotation", numbers(new double[grid.dim()]));
    line(h, "ElementSpacing", numbers(grid.spacing()));
    int[] size = grid.size();
    StringBuilder dims = new StringBuilder();
    for (int s : size) {
      dims.append(dims.length() == 0 ? "" : " ").append(s);
    }
    line(h, "DimSize", dims.toString());
    line(h, "ElementType", MetaImageFields.elementTypeName(image.storedAs()));
    // MetaIO requires ElementDataFile to be the last field.
    line(h, "ElementDataFile", elementDataFile);
    return h.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The file's order: direction column 0 (index axis 0's direction), then column 1, ... */
  static double[] columnMajor(double[] rowMajor, int d) {
    double[] m = new double[d * d];
    for (int r = 0; r < d; r++) {
      for (int c = 0; c < d; c++) {
        m[c * d + r] = rowMajor[r * d + c];
      }
    }
    return m;
  }

  private static String numbers(double[] values) {
    StringBuilder sb = new StringBuilder();
    for (double v : values) {
      sb.append(sb.length() == 0 ? "" : " ").append(v);
    }
    return sb.toString();
  }

  private static void line(StringBuilder h, String key, String value) {
    h.append(key).append(" = ").append(value).append('\n');
  }

  /** Counts bytes on their way to the file, for {@code CompressedDataSize}. */
  private static final class CountingOutputStream extends FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
