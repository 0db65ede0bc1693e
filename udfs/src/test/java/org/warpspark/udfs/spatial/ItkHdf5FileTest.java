package org.warpspark.udfs.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.udfs.testing.ItkTool;

/** ITK's own HDF5 writer (Debian's ITK 5.2, {@link ItkTool}) makes the files; ITK maps points through them. */
class ItkHdf5FileTest {
  @TempDir
  Path dir;

  @Test
  void readsWhatItkWritesAndMapsPointsAsItkDoes() throws Exception {
    Assumptions.assumeTrue(ItkTool.available(), "ITK (libinsighttoolkit5-dev), cmake and a C++ compiler are not installed");
    Random random = new Random(21);
    String composite = "#Insight Transform File V1.0\n#Transform 0\nTransform: CompositeTransform_double_3_3\n"
        + "#Transform 1\nTransform: TranslationTransform_double_3_3\nParameters: 10 0 -4\nFixedParameters: \n"
        + "#Transform 2\nTransform: Euler3DTransform_double_3_3\nParameters: 0.1 -0.2 0.3 1 2 3\n"
        + "FixedParameters: 4 5 6 0\n";
    Affine affine = Fixtures.randomAffine(random, 2);
    String[] texts = {composite, ItkTransformFile.format(affine, Fixtures.randomPoint(random, 2))};
    for (int k = 0; k < texts.length; k++) {
      Path tfm = Files.writeString(dir.resolve("t" + k + ".tfm"), texts[k]);
      for (boolean floats : new boolean[] {false, true}) {
        Path h5 = dir.resolve("t" + k + floats + ".h5");
        ItkTool.convert(tfm, h5, floats);
        List<FixedToMoving> steps = ItkHdf5File.read(Files.readAllBytes(h5), h5.toString(), 1_000_000);
        assertEquals(k == 0 ? 2 : 1, steps.size(), "a composite's queue, or the one transform");
        TransformChain chain = new TransformChain(steps);
        double[][] points = new double[30][];
        for (int n = 0; n < points.length; n++) {
          points[n] = Fixtures.randomPoint(random, chain.dim());
        }
        double[][] itk = ItkTool.mapPoints(h5, points);
        for (int n = 0; n < points.length; n++) {
          assertArrayEquals(itk[n], chain.apply(points[n]), 1e-9, h5 + " point " + n);
        }
      }
    }
  }

  /**
   * Ours written, ITK reads: a composite of affine, field, affine and B-spline maps points as our chain
   * does, in 2D and 3D.
   */
  @Test
  void itkReadsWhatWeWriteAndMapsPointsAsWeDo() throws Exception {
    Assumptions.assumeTrue(ItkTool.available(), "ITK (libinsighttoolkit5-dev), cmake and a C++ compiler are not installed");
    Random random = new Random(5);
    for (Grid grid : new Grid[] {Fixtures.fixed2D(), Fixtures.fixed3D()}) {
      int d = grid.dim();
      DisplacementField field = DisplacementField.of(grid, x -> {
        double[] y = x.clone();
        for (int a = 0; a < d; a++) {
          y[a] += 3 * Math.sin(0.2 * x[(a + 1) % d]) + random.nextGaussian();
        }
        return y;
      });
      List<FixedToMoving> queue = List.of(new FixedToMoving.Linear(Fixtures.randomAffine(random, d)),
          new FixedToMoving.Dense(field), new FixedToMoving.Linear(Fixtures.randomAffine(random, d)),
          new FixedToMoving.Spline(spline(grid, random)));
      Path h5 = dir.resolve("ours" + d + ".h5");
      try (var out = Files.newOutputStream(h5)) {
        ItkHdf5File.write(queue, out);
      }
      List<FixedToMoving> back = ItkHdf5File.read(Files.readAllBytes(h5), h5.toString(), 1000);
      assertEquals(queue.get(0), back.get(0), "jHDF reads back the same queue");
      assertEquals(queue.get(2), back.get(2));
      BSplineTransform spline = ((FixedToMoving.Spline) queue.get(3)).transform();
      BSplineTransform splineBack = ((FixedToMoving.Spline) back.get(3)).transform();
      assertEquals(spline.controlGrid(), splineBack.controlGrid());
      for (int a = 0; a < d; a++) {
        assertArrayEquals(spline.coefficients(a), splineBack.coefficients(a));
      }
      DisplacementField read = ((FixedToMoving.Dense) back.get(1)).field();
      assertEquals(grid, read.grid());
      for (int a = 0; a < d; a++) {
        assertArrayEquals(field.components()[a], read.components()[a]);
      }
      TransformChain chain = new TransformChain(queue);
      Affine last = ((FixedToMoving.Linear) queue.get(2)).matrix();
      double[][] points = new double[200][];
      for (int n = 0; n < points.length; n++) {
        // Most points land in the field's grid after the last affine (the B-spline, acting first, moves them
        // a little); some outside, where it is zero.
        double[] index = new double[d];
        for (int a = 0; a < d; a++) {
          index[a] = Fixtures.uniform(random, -1.5, grid.size()[a] + 0.5);
        }
        points[n] = last.inverse().apply(grid.indexToPhysical().apply(index));
      }
      double[][] itk = ItkTool.mapPoints(h5, points);
      for (int n = 0; n < points.length; n++) {
        assertArrayEquals(itk[n], chain.apply(points[n]), 1e-6, h5 + " point " + n);
      }
    }
  }

  /** A B-spline whose control grid (1.5 times the grid's spacing, rotated) covers {@code grid} with a margin. */
  private static BSplineTransform spline(Grid grid, Random random) {
    int d = grid.dim();
    int[] size = new int[d];
    double[] spacing = new double[d];
    for (int a = 0; a < d; a++) {
      spacing[a] = 1.5 * grid.spacing()[a];
      size[a] = (int) Math.ceil(grid.size()[a] / 1.5) + 4;
    }
    Grid atZero = new Grid(size, spacing, new double[d], grid.direction());
    double[] origin = new double[d];
    for (int a = 0; a < d; a++) {
      origin[a] = grid.centre()[a] - atZero.centre()[a];
    }
    Grid control = new Grid(size, spacing, origin, grid.direction());
    double[][] c = new double[d][(int) control.voxelCount()];
    for (double[] axis : c) {
      for (int i = 0; i < axis.length; i++) {
        axis[i] = random.nextGaussian() * 0.4;
      }
    }
    return new BSplineTransform(control, c);
  }

  @Test
  void checksumsAreLookup3() {
    byte[] text = "Four score and seven years ago".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals(0xdeadbeef, Lookup3.hash(new byte[0], 0, 0));
    assertEquals(0x17770551, Lookup3.hash(text, 0, text.length));
  }

  /** As ITK 4.13 and earlier wrote: "Tranform..." keys; here also fixed-length strings and floats. */
  @Test
  void readsTheOldSpellingFixedLengthStringsAndFloats() {
    Path file = dir.resolve("old.h5");
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      WritableGroup g = hdf.putGroup("TransformGroup").putGroup("0");
      g.putDataset("TransformType", new String[] {"AffineTransform_float_2_2"});
      g.putDataset("TranformParameters", new float[] {2, 0, 0, 3, 2, 5});
      g.putDataset("TranformFixedParameters", new float[] {1, 2});
    }
    List<FixedToMoving> steps = ItkHdf5File.read(bytes(file), "old.h5", 10);
    // A = diag(2, 3), centre (1, 2), t = (2, 5): the offset is c + t - A c = (1, 1).
    assertEquals(new FixedToMoving.Linear(Affine.of(new double[] {2, 0, 0, 3}, new double[] {1, 1})), steps.get(0));
  }

  @Test
  void readsAFieldAndRefusesBrokenOnes() {
    // A 2 x 1 field of 2 mm voxels at (10, 20), direction swapped (x along y): u = (1, 2) then (3, 4).
    double[] fixed = {2, 1, 10, 20, 2, 2, 0, 1, 1, 0};
    FixedToMoving.Dense field = (FixedToMoving.Dense) ItkHdf5File.read(
        fieldFile("f.h5", fixed, new double[] {1, 2, 3, 4}), "f.h5", 10).get(0);
    assertEquals(new Grid(new int[] {2, 1}, new double[] {2, 2}, new double[] {10, 20}, new double[] {0, 1, 1, 0}),
        field.field().grid());
    assertArrayEquals(new float[] {1, 3}, field.field().components()[0]);
    assertArrayEquals(new float[] {2, 4}, field.field().components()[1]);
    assertRefused(fieldFile("short.h5", fixed, new double[] {1, 2, 3}), "3 parameters for a field of 2 voxels");
    assertRefused(fieldFile("big.h5", new double[] {2000, 1, 10, 20, 2, 2, 0, 1, 1, 0}, new double[4]),
        "over the limit of 10");
    Path empty = dir.resolve("empty.h5");
    try (WritableHdfFile hdf = HdfFile.write(empty)) {
      hdf.putGroup("Other");
    }
    assertRefused(bytes(empty), "no /TransformGroup group");
    assertRefused("plain text".getBytes(), "not a readable HDF5 transform file");
  }

  private byte[] fieldFile(String name, double[] fixed, double[] parameters) {
    Path file = dir.resolve(name);
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      WritableGroup g = hdf.putGroup("TransformGroup").putGroup("0");
      g.putDataset("TransformType", new String[] {"DisplacementFieldTransform_double_2_2"});
      g.putDataset("TransformParameters", parameters);
      g.putDataset("TransformFixedParameters", fixed);
    }
    return bytes(file);
  }

  private static void assertRefused(byte[] bytes, String cause) {
    TransformFileException e = assertThrows(TransformFileException.class, () -> ItkHdf5File.read(bytes, "x.h5", 10));
    assertTrue(e.getMessage().startsWith("x.h5") && e.getMessage().contains(cause), e.getMessage());
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
