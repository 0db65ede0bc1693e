package org.warpspark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.warpspark.image.Fixtures.assertVoxelsEqual;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.warpspark.image.ImageFiles.Compression;
import org.warpspark.udfs.spatial.Grid;

/** MetaImage round trips (exact, since the header is text) and headers written by hand as ITK reads them. */
class MetaImageTest {
  @TempDir
  Path dir;

  static Stream<Arguments> everyTypeLayoutAndCompression() {
    return Stream.of(PixelType.values()).flatMap(t -> Stream.of(".mha", ".mhd").flatMap(suffix -> Stream.of(
        Compression.values()).flatMap(c -> Stream.of(
            Arguments.of(t, suffix, c, Fixtures.grid3d()), Arguments.of(t, suffix, c, Fixtures.grid2d())))));
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @MethodSource("everyTypeLayoutAndCompression")
  void roundTripIsExact(PixelType type, String suffix, Compression compression, Grid grid) {
    Image written = Fixtures.image(grid, type);
    String file = dir.resolve("img" + suffix).toString();

    ImageFiles.write(written, file, new Configuration(), compression);
    Image read = ImageFiles.read(file);

    assertEquals(grid, read.grid());
    assertEquals(type, read.storedAs());
    assertVoxelsEqual(written.voxels(), read.voxels());
  }

  @Test
  void mhdWritesItsDataBesideItAndNamesItRelatively() throws IOException {
    ImageFiles.write(Fixtures.image(Fixtures.grid3d(), PixelType.INT16), dir.resolve("a.mhd").toString());
    ImageFiles.write(Fixtures.image(Fixtures.grid3d(), PixelType.INT16), dir.resolve("b.mhd").toString(),
        new Configuration(), Compression.ZLIB);

    assertEquals(7 * 5 * 3 * 2, Files.size(dir.resolve("a.raw")));
    assertTrue(Files.readString(dir.resolve("a.mhd")).endsWith("ElementDataFile = a.raw\n"));
    assertTrue(Files.exists(dir.resolve("b.zraw")));
    String header = Files.readString(dir.resolve("b.mhd"));
    assertTrue(header.contains("CompressedDataSize = " + Files.size(dir.resolve("b.zraw")) + "\n"), header);
  }

  @Test
  void transformMatrixIsWrittenColumnByColumnAsItkDoes() throws IOException {
    // Direction columns (index axes' directions): axis 0 -> (0, 1, 0), axis 1 -> (-1, 0, 0), axis 2 -> (0, 0, 1).
    Grid grid = new Grid(new int[] {2, 2, 2}, new double[] {1, 1, 1}, new double[3],
        new double[] {0, -1, 0, 1, 0, 0, 0, 0, 1});
    Path file = dir.resolve("rot.mha");
    ImageFiles.write(new Image(grid, new float[8], PixelType.UINT8), file.toString());

    String header = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    assertTrue(header.contains("TransformMatrix = 0.0 1.0 0.0 -1.0 0.0 0.0 0.0 0.0 1.0\n"), header);
  }

  /** A header as ITK writes it; ITK's MetaImageIO reads value k*3+r as row r of direction column k. */
  private static String itkHeader(String transformMatrix, String elementType, String msb, String extra) {
    return "ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = " + msb + "\n"
        + "CompressedData = False\nTransformMatrix = " + transformMatrix + "\nOffset = 1.5 -2 3.25\n"
        + "CenterOfRotation = 0 0 0\nAnatomicalOrientation = RAI\nElementSpacing = 0.5 0.75 2\n"
        + "DimSize = 3 2 2\n" + extra + "ElementType = " + elementType + "\nElementDataFile = LOCAL\n";
  }

  private Path write(String name, String header, byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(data);
    return Files.write(dir.resolve(name), out.toByteArray());
  }

  private static byte[] shorts(ByteOrder order, int... values) {
    ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(order);
    for (int v : values) {
      b.putShort((short) v);
    }
    return b.array();
  }

  @Test
  void readsItkStyleHeaderWithRotationAndBigEndianData() throws IOException {
    byte[] data = shorts(ByteOrder.BIG_ENDIAN, -300, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 30000);
    Path file = write("itk.mha", itkHeader("0 1 0 -1 0 0 0 0 1", "MET_SHORT", "True", ""), data);

    Image img = ImageFiles.read(file.toString());

    Grid g = img.grid();
    assertArrayEquals(new int[] {3, 2, 2}, g.size());
    assertArrayEquals(new double[] {0.5, 0.75, 2}, g.spacing());
    assertArrayEquals(new double[] {1.5, -2, 3.25}, g.origin());
    // Row-major direction whose column 0 is (0, 1, 0) and column 1 is (-1, 0, 0).
    assertArrayEquals(new double[] {0, -1, 0, 1, 0, 0, 0, 0, 1}, g.direction());
    assertEquals(PixelType.INT16, img.storedAs());
    assertVoxelsEqual(new float[] {-300, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 30000}, img.voxels());
  }

  @Test
  void synonymsAndDefaultsFollowMetaIo() throws IOException {
    String header = "NDims = 2\nDimSize = 2 2\nPosition = 9 9\nOrigin = 4 5\nRotation = 1 0 0 1\n"
        + "ElementByteOrderMSB = False\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n";
    Image img = ImageFiles.read(write("syn.mha", header, new byte[] {1, 2, 3, (byte) 250}).toString());

    assertArrayEquals(new double[] {4, 5}, img.grid().origin());
    assertArrayEquals(new double[] {1, 1}, img.grid().spacing());
    assertVoxelsEqual(new float[] {1, 2, 3, 250}, img.voxels());
  }

  @Test
  void negativeSpacingFlipsItsDirectionColumnLikeItk() throws IOException {
    String header = itkHeader("1 0 0 0 1 0 0 0 1", "MET_UCHAR", "False", "").replace(
        "ElementSpacing = 0.5 0.75 2", "ElementSpacing = 0.5 -0.75 2");
    Grid g = ImageFiles.read(write("neg.mha", header, new byte[12]).toString()).grid();

    assertArrayEquals(new double[] {0.5, 0.75, 2}, g.spacing());
    assertArrayEquals(new double[] {1, 0, 0, 0, -1, 0, 0, 0, 1}, g.direction());
  }

  @Test
  void readsZlibAndGzipCompressedData() throws IOException {
    byte[] raw = shorts(ByteOrder.LITTLE_ENDIAN, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    for (boolean gzip : new boolean[] {false, true}) {
      ByteArrayOutputStream packed = new ByteArrayOutputStream();
      try (var out = gzip ? new GZIPOutputStream(packed) : new DeflaterOutputStream(packed)) {
        out.write(raw);
      }
      String header = itkHeader("1 0 0 0 1 0 0 0 1", "MET_SHORT", "False",
          "CompressedDataSize = " + packed.size() + "\n").replace("CompressedData = False", "CompressedData = True");
      Image img = ImageFiles.read(write("z" + gzip + ".mha", header, packed.toByteArray()).toString());
      assertVoxelsEqual(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, img.voxels());
    }
  }

  @Test
  void externalDataFileWithHeaderSizeIsSkippedToItsVoxels() throws IOException {
    byte[] raw = new byte[16 + 12];
    for (int i = 0; i < 12; i++) {
      raw[16 + i] = (byte) (i * 20);
    }
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("sub/data.bin"), raw);
    String header = itkHeader("1 0 0 0 1 0 0 0 1", "MET_UCHAR", "False", "HeaderSize = 16\n")
        .replace("ElementDataFile = LOCAL", "ElementDataFile = data.bin");
    Path mhd = Files.writeString(dir.resolve("sub/h.mhd"), header);

    Image img = ImageFiles.read(mhd.toString());

    assertEquals(220, img.voxels()[11]);
    String headerAtEnd = header.replace("HeaderSize = 16", "HeaderSize = -1");
    assertEquals(220, ImageFiles.read(Files.writeString(dir.resolve("sub/e.mhd"), headerAtEnd).toString()).voxels()[11]);
  }
}
