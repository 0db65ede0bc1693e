package org.warpspark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/**
 * Our NIfTI reader and writer against an independent implementation, nibabel. Skipped only where
 * nibabel is not installed (CI installs it).
 */
class NiftiNibabelCrossCheckTest {
  private static final double HEADER_TOLERANCE = 1e-5;

  /** Writes int16 7x5x3 raw = i + 10j + 100k - 50 with scl_slope 2, scl_inter -5 and the given RAS affine. */
  private static final String WRITE_SCALED_INT16 = """
      import sys, numpy as np, nibabel as nib
      from nibabel.openers import ImageOpener
      path = sys.argv[1]
      affine = np.array([float(v) for v in sys.argv[2:18]]).reshape(4, 4)
      i, j, k = np.meshgrid(np.arange(7), np.arange(5), np.arange(3), indexing='ij')
      raw = (i + 10 * j + 100 * k - 50).astype(np.int16)
      hdr = nib.Nifti1Header()
      hdr.set_data_shape(raw.shape)
      hdr.set_data_dtype(np.int16)
      hdr.set_sform(affine, code=1)
      hdr.set_qform(np.eye(4), code=1)
      hdr.set_slope_inter(2.0, -5.0)
      with ImageOpener(path, 'wb') as f:
          hdr.write_to(f)
          hdr.data_to_fileobj(raw, f, rescale=False)
      back = nib.load(path)
      assert np.array_equal(back.get_fdata(), raw * 2.0 - 5.0), 'nibabel disagrees with its own file'
      print('slope', float(back.dataobj.slope), float(back.dataobj.inter))
      """;

  /** Writes a big-endian NIfTI-2 float64 image with only a qform (the affine must be a rotation, maybe reflected). */
  private static final String WRITE_BIG_ENDIAN_NIFTI2_QFORM = """
      import sys, numpy as np, nibabel as nib
      path = sys.argv[1]
      affine = np.array([float(v) for v in sys.argv[2:18]]).reshape(4, 4)
      data = np.arange(7 * 5 * 3, dtype='>f8').reshape((7, 5, 3), order='F') * 0.25 - 3
      hdr = nib.Nifti2Header(endianness='>')
      img = nib.Nifti2Image(data, None, hdr)
      img.set_qform(affine, code=1)
      img.set_sform(None, code=0)
      img.set_data_dtype('>f8')
      nib.save(img, path)
      back = nib.load(path)
      print('endian', 1 if back.header.endianness == '>' else 0)
      print('qfac', float(back.header['pixdim'][0]))
      print('codes', int(back.header['sform_code']), int(back.header['qform_code']))
      """;

  /** Loads a file with nibabel and prints what it sees. */
  private static final String DESCRIBE = """
      import sys, numpy as np, nibabel as nib
      img = nib.load(sys.argv[1])
      hdr = img.header
      print('shape', *img.shape)
      print('codes', int(hdr['sform_code']), int(hdr['qform_code']))
      print('sform', *hdr.get_sform().ravel())
      print('qform', *hdr.get_qform().ravel())
      print('dtype', {'uint8': 2, 'int16': 4, 'int32': 8, 'float32': 16, 'float64': 64, 'int8': 256, 'uint16': 512}[str(hdr.get_data_dtype())])
      print('data', *np.asarray(img.dataobj).ravel(order='F'))
      """;

  @TempDir
  Path dir;

  @BeforeEach
  void needNibabel() {
    assumeTrue(Nibabel.available(), "nibabel is not installed at " + Nibabel.PYTHON);
  }

  /** The RAS affine of Fixtures' rotation with spacing (0.7, 1.3, 2.9) and origin (12.5, -33.25, 7.125). */
  private static double[] rasAffine(double[] rotation) {
    double[] spacing = {0.7, 1.3, 2.9};
    double[] origin = {12.5, -33.25, 7.125};
    double[] a = new double[16];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        a[r * 4 + c] = rotation[r * 3 + c] * spacing[c];
      }
      a[r * 4 + 3] = origin[r];
    }
    a[15] = 1;
    return a;
  }

  /** What that RAS affine must read as: LPS = diag(-1,-1,1) RAS, split into origin, spacing, direction. */
  private static Grid expectedLpsGrid(double[] rotation) {
    double[] direction = rotation.clone();
    for (int i = 0; i < 6; i++) {
      direction[i] = -direction[i];
    }
    return new Grid(new int[] {7, 5, 3}, new double[] {0.7, 1.3, 2.9}, new double[] {-12.5, 33.25, 7.125}, direction);
  }

  private static String[] args(String path, double[] affine) {
    String[] args = new String[17];
    args[0] = path;
    for (int i = 0; i < 16; i++) {
      args[i + 1] = Double.toString(affine[i]);
    }
    return args;
  }

  @Test
  void readsNibabelsScaledInt16WithRotatedSform() throws IOException {
    String file = dir.resolve("from-nibabel.nii.gz").toString();
    double[] rotation = Fixtures.obliqueRotation();
    Map<String, double[]> out = Nibabel.run(WRITE_SCALED_INT16, args(file, rasAffine(rotation)));
    assertArrayEquals(new double[] {2, -5}, out.get("slope"), "nibabel must see the scaling");

    Image img = ImageFiles.read(file);

    Fixtures.assertGridClose(expectedLpsGrid(rotation), img.grid(), HEADER_TOLERANCE);
    assertEquals(PixelType.FLOAT32, img.storedAs());
    float[] expected = new float[7 * 5 * 3];
    for (int k = 0; k < 3; k++) {
      for (int j = 0; j < 5; j++) {
        for (int i = 0; i < 7; i++) {
          expected[i + 7 * (j + 5 * k)] = 2 * (i + 10 * j + 100 * k - 50) - 5;
        }
      }
    }
    Fixtures.assertVoxelsEqual(expected, img.voxels());
  }

  @Test
  void readsNibabelsBigEndianNifti2WithReflectedQformOnly() throws IOException {
    String file = dir.resolve("be2.nii").toString();
    double[] reflected = Fixtures.obliqueRotation();
    for (int r = 0; r < 3; r++) {
      reflected[r * 3 + 1] = -reflected[r * 3 + 1];
    }
    Map<String, double[]> out = Nibabel.run(WRITE_BIG_ENDIAN_NIFTI2_QFORM, args(file, rasAffine(reflected)));
    assertEquals(1, out.get("endian")[0]);
    assertEquals(-1, out.get("qfac")[0]);
    assertArrayEquals(new double[] {0, 1}, out.get("codes"), "only the qform may be set");

    Image img = ImageFiles.read(file);

    // The qform stores float64 in NIfTI-2, but nibabel's quaternion fit is only good to ~1e-7.
    Fixtures.assertGridClose(expectedLpsGrid(reflected), img.grid(), HEADER_TOLERANCE);
    assertEquals(PixelType.FLOAT64, img.storedAs());
    for (int n = 0; n < 7 * 5 * 3; n++) {
      assertEquals(n * 0.25f - 3, img.voxels()[n], "voxel " + n);
    }
  }

  @Test
  void nibabelReadsOurVolumesInEveryOrientation() throws IOException {
    for (double[] direction : Fixtures.directionsForQform()) {
      Grid grid = new Grid(new int[] {7, 5, 3}, new double[] {0.7, 1.3, 2.9}, new double[] {-12.5, 33.25, 7.125},
          direction);
      String file = dir.resolve("ours.nii.gz").toString();
      Image image = Fixtures.image(grid, PixelType.INT16);
      ImageFiles.write(image, file);

      Map<String, double[]> seen = Nibabel.run(DESCRIBE, file);

      assertArrayEquals(new double[] {7, 5, 3}, seen.get("shape"));
      assertArrayEquals(new double[] {1, 1}, seen.get("codes"));
      assertEquals(4, seen.get("dtype")[0]);
      double[] expectedRas = rasOf(grid);
      assertArrayEquals(expectedRas, seen.get("sform"), HEADER_TOLERANCE, "sform");
      assertArrayEquals(expectedRas, seen.get("qform"), HEADER_TOLERANCE, "qform");
      assertVoxelsSeen(image.voxels(), seen.get("data"));
    }
  }

  @Test
  void nibabelReadsOur2dImageWithItsInPlaneGeometry() throws IOException {
    String file = dir.resolve("ours2d.nii").toString();
    Grid grid = Fixtures.grid2d();
    Image image = Fixtures.image(grid, PixelType.UINT16);
    ImageFiles.write(image, file);

    Map<String, double[]> seen = Nibabel.run(DESCRIBE, file);

    assertArrayEquals(new double[] {7, 5}, seen.get("shape"));
    double[] d = grid.direction();
    double[] s = grid.spacing();
    double[] o = grid.origin();
    double[] expectedRas = {
        -d[0] * s[0], -d[1] * s[1], 0, -o[0],
        -d[2] * s[0], -d[3] * s[1], 0, -o[1],
        0, 0, 1, 0,
        0, 0, 0, 1};
    assertArrayEquals(expectedRas, seen.get("sform"), HEADER_TOLERANCE, "sform");
    assertArrayEquals(expectedRas, seen.get("qform"), HEADER_TOLERANCE, "qform");
    assertVoxelsSeen(image.voxels(), seen.get("data"));
  }

  /** {@code diag(-1,-1,1,1) * indexToPhysical}: the RAS affine a NIfTI reader should see. */
  private static double[] rasOf(Grid grid) {
    double[] m = grid.indexToPhysical().rowMajor();
    Affine lpsToRas = Affine.of(new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1}, new double[3]);
    return lpsToRas.after(Affine.ofRowMajor(m)).rowMajor();
  }

  private static void assertVoxelsSeen(float[] expected, double[] seen) {
    assertEquals(expected.length, seen.length, "voxel count");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], seen[i], 0.0, "voxel " + i);
    }
  }
}
