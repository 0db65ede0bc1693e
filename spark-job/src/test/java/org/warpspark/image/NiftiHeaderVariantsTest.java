package org.warpspark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.warpspark.image.Fixtures.assertVoxelsEqual;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.udfs.spatial.Grid;

/** Headers the writer never produces, built byte by byte: byte orders, NIfTI-2, units, fallbacks. */
class NiftiHeaderVariantsTest {
  private static final float[] TWENTY_FOUR = new float[24];

  static {
    for (int i = 0; i < 24; i++) {
      TWENTY_FOUR[i] = i * 1.5f - 7;
    }
  }

  @TempDir
  Path dir;

  /** sform: spacing (2, 3, 4), axes RAS -> x along A, y along R, z along S; origin (10, 20, 30) RAS. */
  private static NiftiBytes permutedSform(NiftiBytes b) {
    b.sformCode = 1;
    b.srow = new double[] {0, 3, 0, 10, 2, 0, 0, 20, 0, 0, 4, 30};
    b.pixdim = new double[] {1, 2, 3, 4, 1, 1, 1, 1};
    return b;
  }

  private static void assertPermutedGeometry(Grid g) {
    // LPS = diag(-1,-1,1) RAS: index axis 0 runs along RAS +y = LPS -y; axis 1 along RAS +x = LPS -x.
    assertArrayEquals(new double[] {2, 3, 4}, g.spacing(), 1e-12);
    assertArrayEquals(new double[] {-10, -20, 30}, g.origin(), 1e-12);
    assertArrayEquals(new double[] {0, -1, 0, -1, 0, 0, 0, 0, 1}, g.direction(), 1e-12);
  }

  @Test
  void bigEndianNifti1() throws IOException {
    NiftiBytes b = permutedSform(new NiftiBytes());
    b.order = ByteOrder.BIG_ENDIAN;
    Path file = b.floatData(TWENTY_FOUR).writeTo(dir.resolve("be.nii"));

    Image img = ImageFiles.read(file.toString());

    assertPermutedGeometry(img.grid());
    assertArrayEquals(new int[] {4, 3, 2}, img.grid().size());
    assertVoxelsEqual(TWENTY_FOUR, img.voxels());
  }

  @Test
  void nifti2InBothByteOrdersAndGzipped() throws IOException {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      NiftiBytes b = permutedSform(new NiftiBytes());
      b.version = 2;
      b.order = order;
      Path file = b.floatData(TWENTY_FOUR).writeTo(dir.resolve("v2-" + order + ".nii.gz"));

      Image img = ImageFiles.read(file.toString());

      assertPermutedGeometry(img.grid());
      assertVoxelsEqual(TWENTY_FOUR, img.voxels());
    }
  }

  @Test
  void sformWinsOverQformWhenBothAreSet() throws IOException {
    NiftiBytes b = permutedSform(new NiftiBytes());
    b.qformCode = 1;
    b.qoffset = new double[] {-99, -99, -99};
    Path file = b.floatData(TWENTY_FOUR).writeTo(dir.resolve("both.nii"));

    assertPermutedGeometry(ImageFiles.read(file.toString()).grid());
  }

  @Test
  void shearedSformFallsBackToQform() throws IOException {
    NiftiBytes b = new NiftiBytes();
    b.sformCode = 1;
    b.srow = new double[] {1, 0.5, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
    b.qformCode = 1;
    b.qoffset = new double[] {1, 2, 3};
    b.pixdim = new double[] {1, 2, 2, 2, 1, 1, 1, 1};
    Path file = b.floatData(TWENTY_FOUR).writeTo(dir.resolve("shear.nii"));

    Grid g = ImageFiles.read(file.toString()).grid();

    assertArrayEquals(new double[] {-1, -2, 3}, g.origin(), 1e-12);
    assertArrayEquals(new double[] {2, 2, 2}, g.spacing(), 1e-12);
    assertArrayEquals(new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1}, g.direction(), 1e-12);
  }

  @Test
  void qformQuaternionAndQfacFollowNifti1h() throws IOException {
    // 90 degrees about z: (b, c, d) = (0, 0, sin 45deg); qfac -1 flips the third axis.
    NiftiBytes b = new NiftiBytes();
    b.qformCode = 1;
    b.quatern = new double[] {0, 0, Math.sqrt(0.5)};
    b.qoffset = new double[] {5, 6, 7};
    b.pixdim = new double[] {-1, 0.5, 0.25, 3, 1, 1, 1, 1};
    Path file = b.floatData(TWENTY_FOUR).writeTo(dir.resolve("q.nii"));

    Grid g = ImageFiles.read(file.toString()).grid();

    // RAS columns: axis 0 -> +y (A), axis 1 -> -x (R->L), axis 2 -> -z; LPS negates x and y rows.
    assertArrayEquals(new double[] {0.5, 0.25, 3}, g.spacing(), 1e-6);
    assertArrayEquals(new double[] {0, 1, 0, -1, 0, 0, 0, 0, -1}, g.direction(), 1e-6);
    assertArrayEquals(new double[] {-5, -6, 7}, g.origin(), 1e-6);
  }

  @Test
  void noTransformUsesPixdimWithIdentityLpsDirectionLikeItk() throws IOException {
    NiftiBytes b = new NiftiBytes();
    b.pixdim = new double[] {0, 0.8, -1.2, 2.5, 1, 1, 1, 1};
    Path file = b.floatData(TWENTY_FOUR).writeTo(dir.resolve("plain.nii"));

    Grid g = ImageFiles.read(file.toString()).grid();

    assertArrayEquals(new double[] {0.8, 1.2, 2.5}, g.spacing(), 1e-6);
    assertArrayEquals(new double[3], g.origin());
    assertArrayEquals(new double[] {1, 0, 0, 0, -1, 0, 0, 0, 1}, g.direction());
  }

  @Test
  void micronsAndMetresAreConvertedToMillimetres() throws IOException {
    NiftiBytes b = permutedSform(new NiftiBytes());
    b.xyztUnits = 3;
    Path file = b.floatData(TWENTY_FOUR).writeTo(dir.resolve("um.nii"));
    Grid g = ImageFiles.read(file.toString()).grid();
    assertArrayEquals(new double[] {0.002, 0.003, 0.004}, g.spacing(), 1e-12);
    assertArrayEquals(new double[] {-0.01, -0.02, 0.03}, g.origin(), 1e-12);

    b.xyztUnits = 1 | 8;
    file = b.writeTo(dir.resolve("m.nii"));
    assertArrayEquals(new double[] {2000, 3000, 4000}, ImageFiles.read(file.toString()).grid().spacing(), 1e-9);
  }

  @Test
  void scalingIsAppliedAndPromotesToFloat() throws IOException {
    NiftiBytes b = new NiftiBytes();
    b.dim = new long[] {2, 3, 2, 1, 1, 1, 1, 1};
    b.datatype = 4;
    b.sclSlope = 2;
    b.sclInter = -5;
    ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    for (short v : new short[] {-32768, -1, 0, 1, 100, 32767}) {
      data.putShort(v);
    }
    b.data = data.array();
    Path file = b.writeTo(dir.resolve("scaled.nii"));

    Image img = ImageFiles.read(file.toString());

    assertEquals(PixelType.FLOAT32, img.storedAs());
    assertVoxelsEqual(new float[] {-65541, -7, -5, -3, 195, 65529}, img.voxels());
  }

  @Test
  void slopeZeroMeansNoScalingAndKeepsTheStoredType() throws IOException {
    NiftiBytes b = new NiftiBytes();
    b.dim = new long[] {2, 2, 1, 1, 1, 1, 1, 1};
    b.datatype = 2;
    b.sclSlope = 0;
    b.sclInter = 40;
    b.data = new byte[] {7, (byte) 200};
    Image img = ImageFiles.read(b.writeTo(dir.resolve("u8.nii")).toString());
    assertEquals(PixelType.UINT8, img.storedAs());
    assertVoxelsEqual(new float[] {7, 200}, img.voxels());
  }

  @Test
  void voxOffsetPastExtensionsIsHonoured() throws IOException {
    NiftiBytes b = new NiftiBytes();
    b.voxOffset = 400;
    Path file = b.floatData(TWENTY_FOUR).writeTo(dir.resolve("ext.nii"));
    assertVoxelsEqual(TWENTY_FOUR, ImageFiles.read(file.toString()).voxels());
  }

  @Test
  void singleSliceInThePlaneReadsAs2d() throws IOException {
    NiftiBytes b = new NiftiBytes();
    b.dim = new long[] {3, 4, 6, 1, 1, 1, 1, 1};
    b.sformCode = 1;
    // Axis 0 along RAS -y (LPS +y), axis 1 along RAS +x (LPS -x): a 90-degree in-plane rotation.
    b.srow = new double[] {0, 1.5, 0, 3, -0.5, 0, 0, 4, 0, 0, 2, -8};
    Path file = b.floatData(TWENTY_FOUR).writeTo(dir.resolve("slice.nii"));

    Grid g = ImageFiles.read(file.toString()).grid();

    assertEquals(2, g.dim());
    assertArrayEquals(new int[] {4, 6}, g.size());
    assertArrayEquals(new double[] {0.5, 1.5}, g.spacing(), 1e-12);
    assertArrayEquals(new double[] {-3, -4}, g.origin(), 1e-12);
    assertArrayEquals(new double[] {0, -1, 1, 0}, g.direction(), 1e-12);
  }

  @Test
  void obliqueSingleSliceStays3dSoNoGeometryIsLost() throws IOException {
    Grid oblique = new Grid(new int[] {4, 6, 1}, new double[] {1, 1, 1}, new double[3], Fixtures.obliqueRotation());
    Path file = dir.resolve("oblique.nii");
    ImageFiles.write(new Image(oblique, TWENTY_FOUR, PixelType.FLOAT32), file.toString());

    Grid g = ImageFiles.read(file.toString()).grid();

    assertEquals(3, g.dim());
    Fixtures.assertGridClose(oblique, g, 1e-6);
  }

  @Test
  void trailingUnitDimensionsAreIgnored() throws IOException {
    NiftiBytes b = new NiftiBytes();
    b.dim = new long[] {5, 4, 3, 2, 1, 1, 1, 1};
    Path file = b.floatData(TWENTY_FOUR).writeTo(dir.resolve("5d.nii"));
    assertArrayEquals(new int[] {4, 3, 2}, ImageFiles.read(file.toString()).grid().size());
  }
}
