package org.warpspark.udfs.spatial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Minimal MetaImage ({@code .mha}) files for the transformix tests. {@code TransformMatrix} holds the
 * direction column by column: ITK's {@code itkMetaImageIO.cxx} reads entry {@code i d + j} as
 * component {@code j} of axis {@code i}'s direction, and writes it the same way.
 */
final class MetaImages {
  private MetaImages() {}

  /** An image read back: its grid, channels per voxel, and the values (channels fastest, then axis 0). */
  record Image(Grid grid, int channels, double[] values) {}

  static void writeFloat(Path file, Grid grid, double[] values) throws IOException {
    int d = grid.dim();
    StringBuilder h = new StringBuilder();
    h.append("ObjectType = Image\n");
    h.append("NDims = ").append(d).append('\n');
    h.append("BinaryData = True\n");
    h.append("BinaryDataByteOrderMSB = False\n");
    h.append("CompressedData = False\n");
    h.append("TransformMatrix =").append(join(ElastixTransformParameters.columnMajor(grid.direction(), d))).append('\n');
    h.append("Offset =").append(join(grid.origin())).append('\n');
    h.append("CenterOfRotation =").append(join(new double[d])).append('\n');
    h.append("ElementSpacing =").append(join(grid.spacing())).append('\n');
    h.append("DimSize =");
    for (int s : grid.size()) {
      h.append(' ').append(s);
    }
    h.append('\n');
    h.append("ElementType = MET_FLOAT\n");
    h.append("ElementDataFile = LOCAL\n");
    ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      data.putFloat((float) v);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
    out.write(data.array());
    Files.write(file, out.toByteArray());
  }

  static Image read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Map<String, String> header = new LinkedHashMap<>();
    int pos = 0;
    while (true) {
      int end = pos;
      while (bytes[end] != '\n') {
        end++;
      }
      String line = new String(bytes, pos, end - pos, StandardCharsets.US_ASCII).strip();
      pos = end + 1;
      int eq = line.indexOf('=');
      String key = line.substring(0, eq).strip();
      header.put(key, line.substring(eq + 1).strip());
      if (key.equals("ElementDataFile")) {
        break;
      }
    }
    if (!header.get("ElementDataFile").equals("LOCAL")) {
      throw new IOException(file + ": data is not LOCAL: " + header);
    }
    int d = Integer.parseInt(header.get("NDims"));
    int[] size = Arrays.stream(header.get("DimSize").split("\\s+")).mapToInt(Integer::parseInt).toArray();
    double[] spacing = numbers(header.getOrDefault("ElementSpacing", header.get("ElementSize")));
    double[] origin = numbers(header.getOrDefault("Offset", header.getOrDefault("Origin", header.get("Position"))));
    double[] direction = ElastixTransformParameters.rowMajorFromColumnMajor(numbers(header.get("TransformMatrix")), d);
    int channels = Integer.parseInt(header.getOrDefault("ElementNumberOfChannels", "1"));
    String type = header.get("ElementType");
    int width = switch (type) {
      case "MET_FLOAT" -> 4;
      case "MET_DOUBLE" -> 8;
      default -> throw new IOException(file + ": unsupported ElementType " + type);
    };
    Grid grid = new Grid(size, spacing, origin, direction);
    int count = Math.toIntExact(grid.voxelCount() * channels);
    byte[] raw = Arrays.copyOfRange(bytes, pos, bytes.length);
    if (Boolean.parseBoolean(header.getOrDefault("CompressedData", "False").toLowerCase())) {
      raw = inflate(raw, count * width, file);
    }
    ByteBuffer data = ByteBuffer.wrap(raw).order(
        Boolean.parseBoolean(header.getOrDefault("BinaryDataByteOrderMSB", "False").toLowerCase())
            ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      values[i] = width == 4 ? data.getFloat() : data.getDouble();
    }
    return new Image(grid, channels, values);
  }

  private static byte[] inflate(byte[] raw, int length, Path file) throws IOException {
    Inflater inflater = new Inflater();
    inflater.setInput(raw);
    byte[] out = new byte[length];
    try {
      int n = 0;
      while (n < length && !inflater.finished()) {
        n += inflater.inflate(out, n, length - n);
      }
    } catch (DataFormatException e) {
      throw new IOException(file + ": bad compressed data", e);
    } finally {
      inflater.end();
    }
    return out;
  }

  private static double[] numbers(String s) {
    return Arrays.stream(s.split("\\s+")).mapToDouble(Double::parseDouble).toArray();
  }

  private static String join(double[] v) {
    StringBuilder b = new StringBuilder();
    for (double x : v) {
      b.append(' ').append(x);
    }
    return b.toString();
  }
}
