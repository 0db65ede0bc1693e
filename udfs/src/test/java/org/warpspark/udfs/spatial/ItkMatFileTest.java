package org.warpspark.udfs.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.udfs.testing.ItkTool;

/** ITK's own reader and writer (Debian's ITK 5.2, {@link ItkTool}) are the reference for {@code .mat}. */
class ItkMatFileTest {
  @TempDir
  Path dir;

  @Test
  void itkMapsPointsThroughOurFilesAsWeDo() throws Exception {
    assumeItk();
    Random random = new Random(11);
    for (int d = 2; d <= 3; d++) {
      Affine map = Fixtures.randomAffine(random, d);
      double[] center = Fixtures.randomPoint(random, d);
      Path file = dir.resolve("ours" + d + ".mat");
      ItkMatFile.write(file, map, center);
      double[][] points = points(random, d, 50);
      double[][] itk = ItkTool.mapPoints(file, points);
      for (int n = 0; n < points.length; n++) {
        assertArrayEquals(map.apply(points[n]), itk[n], 1e-9, d + "D point " + n);
      }
    }
  }

  @Test
  void readsWhatItkWritesInDoublesAndFloats() throws Exception {
    assumeItk();
    Random random = new Random(12);
    for (int d = 2; d <= 3; d++) {
      Affine map = Fixtures.randomAffine(random, d);
      double[] center = Fixtures.randomPoint(random, d);
      Path text = dir.resolve("itk" + d + ".tfm");
      ItkTransformFile.write(text, map, center);
      Path doubles = dir.resolve("itk" + d + ".mat");
      Path floats = dir.resolve("itk" + d + "_float.mat");
      ItkTool.convert(text, doubles, false);
      ItkTool.convert(text, floats, true);
      assertEquals("AffineTransform_double_" + d + "_" + d,
          ItkMatFile.entries(Files.readAllBytes(doubles), "d").get(0).type());
      assertEquals("AffineTransform_float_" + d + "_" + d,
          ItkMatFile.entries(Files.readAllBytes(floats), "f").get(0).type());
      assertTrue(ItkMatFile.read(doubles).maxAbsDifference(map) < 1e-12, "doubles are exact");
      double[][] points = points(random, d, 50);
      double[][] itk = ItkTool.mapPoints(floats, points);
      Affine ours = ItkMatFile.read(floats);
      for (int n = 0; n < points.length; n++) {
        assertArrayEquals(itk[n], ours.apply(points[n]), 1e-9, "float file, " + d + "D point " + n);
        assertArrayEquals(map.apply(points[n]), ours.apply(points[n]), 1e-3, "float precision, point " + n);
      }
    }
  }

  @Test
  void refusesTheCompositeThatItksWriterFlattens() throws Exception {
    assumeItk();
    Path text = dir.resolve("composite.tfm");
    Files.writeString(text, "#Insight Transform File V1.0\n"
        + "#Transform 0\nTransform: CompositeTransform_double_3_3\n"
        + "#Transform 1\nTransform: TranslationTransform_double_3_3\nParameters: 10 0 0\nFixedParameters: \n"
        + "#Transform 2\nTransform: Euler3DTransform_double_3_3\nParameters: 0.1 -0.2 0.3 1 2 3\n"
        + "FixedParameters: 4 5 6 0\n");
    Path mat = dir.resolve("composite.mat");
    ItkTool.convert(text, mat, false);
    TransformFileException e = assertThrows(TransformFileException.class, () -> ItkMatFile.read(mat));
    assertTrue(e.getMessage().contains("components are not in the file"), e.getMessage());
    double[][] points = points(new Random(13), 3, 20);
    double[][] itk = ItkTool.mapPoints(text, points);
    Affine ours = ItkTransformFile.read(text);
    for (int n = 0; n < points.length; n++) {
      assertArrayEquals(itk[n], ours.apply(points[n]), 1e-9, "the composite .tfm, point " + n);
    }
  }

  @Test
  void roundTripIsBitExactAndBigEndianFilesReadTheSame() {
    Random random = new Random(14);
    for (int n = 0; n < 50; n++) {
      int d = 2 + n % 2;
      Affine map = Fixtures.randomAffine(random, d);
      double[] center = Fixtures.randomPoint(random, d);
      byte[] bytes = ItkMatFile.format(map, center);
      ItkTransformFile.Entry entry = ItkMatFile.entries(bytes, "t").get(0);
      assertArrayEquals(ItkTransformFile.affineParameters(map, center), entry.parameters(), 0);
      assertArrayEquals(center, entry.fixedParameters(), 0);
      assertEquals(ItkTransformFile.parse(ItkTransformFile.format(map, center), "tfm"), ItkMatFile.parse(bytes, "mat"));
      assertEquals(ItkMatFile.parse(bytes, "little"), ItkMatFile.parse(bigEndian(bytes), "big"));
    }
  }

  @Test
  void refusesBrokenFilesNamingThemAndTheCause() throws IOException {
    byte[] good = ItkMatFile.format(Affine.identity(3), new double[3]);
    assertRefused(Arrays.copyOf(good, good.length - 4), "ends before");
    assertRefused(Arrays.copyOf(good, 12), "truncated");
    assertRefused(Arrays.copyOf(good, good.length - (20 + "fixed\0".length() + 3 * 8)), "no variable of fixed parameters");
    byte[] matrix = good.clone();
    ByteBuffer.wrap(matrix).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 4).putInt(8, 3);
    assertRefused(matrix, "n x 1 vectors");
    byte[] complex = good.clone();
    ByteBuffer.wrap(complex).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 1);
    assertRefused(complex, "complex");
    byte[] integers = good.clone();
    ByteBuffer.wrap(integers).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 20);
    assertRefused(integers, "type code");
    byte[] unknown = good.clone();
    unknown[20] = 'B';
    assertRefused(unknown, "unsupported transform type");
    Path file = dir.resolve("broken.mat");
    Files.write(file, Arrays.copyOf(good, 12));
    TransformFileException e = assertThrows(TransformFileException.class, () -> ItkMatFile.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  private static void assertRefused(byte[] bytes, String cause) {
    TransformFileException e = assertThrows(TransformFileException.class, () -> ItkMatFile.parse(bytes, "x.mat"));
    assertTrue(e.getMessage().startsWith("x.mat") && e.getMessage().contains(cause), e.getMessage());
  }

  /** The same variables with every header integer and number byte-swapped. */
  private static byte[] bigEndian(byte[] little) {
    ByteBuffer in = ByteBuffer.wrap(little).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.allocate(little.length).order(ByteOrder.BIG_ENDIAN);
    while (in.hasRemaining()) {
      int type = in.getInt();
      int rows = in.getInt();
      int cols = in.getInt();
      int imag = in.getInt();
      int nameLength = in.getInt();
      out.putInt(type + 1000).putInt(rows).putInt(cols).putInt(imag).putInt(nameLength);
      byte[] name = new byte[nameLength];
      in.get(name);
      out.put(name);
      for (int i = 0; i < rows; i++) {
        out.putDouble(in.getDouble());
      }
    }
    return out.array();
  }

  private static double[][] points(Random random, int d, int count) {
    double[][] points = new double[count][];
    for (int n = 0; n < count; n++) {
      points[n] = Fixtures.randomPoint(random, d);
    }
    return points;
  }

  private static void assumeItk() {
    Assumptions.assumeTrue(ItkTool.available(), "ITK (libinsighttoolkit5-dev), cmake and a C++ compiler are not installed");
  }
}
