package org.warpspark.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of a MetaImage text header that warpspark uses. {@code transformMatrix} is kept as the
 * file lists it: ITK reads it as the direction matrix in <b>column-major</b> order (the first
 * {@code NDims} values are the physical direction of index axis 0), see {@link MetaImageReader}.
 *
 * @param headerSize bytes to skip in the data file before the voxels; -1 means the voxels are its last bytes
 * @param compressedDataSize length of the compressed stream, or -1 when the header does not say
 * @param elementDataFile {@code LOCAL} (data follows the header) or a file name, relative to the header's folder
 * @param headerBytes how many bytes the header itself took, including its last newline
 */
record MetaImageHeader(
    long[] dimSize,
    double[] spacing,
    double[] origin,
    double[] transformMatrix,
    PixelType elementType,
    ByteOrder byteOrder,
    boolean compressed,
    long compressedDataSize,
    long headerSize,
    String elementDataFile,
    long headerBytes) {

  static final String LOCAL = "LOCAL";

  int nDims() {
    return dimSize.length;
  }

  boolean isLocal() {
    return elementDataFile.equalsIgnoreCase(LOCAL);
  }

  /**
   * Reads header lines up to and including {@code ElementDataFile}, which MetaIO requires to be the
   * last field; the stream is left at the first byte after that line. Refuses more than
   * {@code limits.maxHeaderBytes()} bytes and binary bytes, so a non-MetaImage file fails fast.
   */
  static MetaImageHeader read(InputStream in, ReadLimits limits, String source) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    long consumed = 0;
    int lineNumber = 0;
    while (!fields.containsKey("elementdatafile")) {
      String line = readLine(in, consumed, limits, source);
      if (line == null) {
        throw new CorruptImageException(source, "MetaImage header ends after " + lineNumber
            + " lines without an ElementDataFile field");
      }
      consumed += line.getBytes(StandardCharsets.ISO_8859_1).length + 1;
      lineNumber++;
      addField(fields, line.strip(), lineNumber, source);
    }
    return MetaImageFields.parse(fields, consumed, source);
  }

  /** One line without its terminator, or null at end of stream before any byte. */
  private static String readLine(InputStream in, long consumed, ReadLimits limits, String source) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      limits.requireHeaderWithinLimit(source, consumed + line.size() + 1);
      if (b < 0x20 && b != '\t' && b != '\r') {
        throw new CorruptImageException(source, "not a MetaImage header: binary byte 0x"
            + Integer.toHexString(b) + " at offset " + (consumed + line.size()));
      }
      line.write(b);
    }
    if (b < 0 && line.size() == 0) {
      return null;
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static void addField(Map<String, String> fields, String line, int lineNumber, String source) {
    if (line.isEmpty()) {
      return;
    }
    int eq = line.indexOf('=');
    if (eq <= 0) {
      String shown = line.length() > 60 ? line.substring(0, 60) + "..." : line;
      throw new CorruptImageException(source, "not a MetaImage header: line " + lineNumber
          + " is not 'Key = Value': " + shown);
    }
    fields.put(line.substring(0, eq).strip().toLowerCase(Locale.ROOT), line.substring(eq + 1).strip());
  }
}
