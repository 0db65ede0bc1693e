package org.warpspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.apply.ApplyTransforms;
import org.warpspark.apply.ChainArgument;
import org.warpspark.apply.Interpolator;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.PixelType;
import org.warpspark.image.ReadLimits;
import org.warpspark.image.PointFiles;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.ItkMatFile;
import org.warpspark.udfs.spatial.ItkTransformFile;
import org.warpspark.udfs.spatial.MotionParameters;
import org.warpspark.udfs.testing.ItkTool;

/**
 * ITK's {@code ResampleImageFilter} (Debian's ITK 5.2, through {@link ItkTool}) is the reference for
 * applying a chain: an affine from a {@code .mat}, a displacement field on a grid of its own, and the
 * inverse of a {@code .tfm} affine, between grids with oblique directions, in 2D and 3D.
 */
class ApplyItkTest {
  private static final float OUTSIDE = -5;

  @TempDir
  Path dir;

  @Test
  void aChainOfAffinesAndAFieldResamplesAsItkDoes() throws Exception {
    Assumptions.assumeTrue(ItkTool.available(), "ITK (libinsighttoolkit5-dev), cmake and a C++ compiler are not installed");
    for (int d = 2; d <= 3; d++) {
      Case c = new Case(d);
      compareWithItk(d, c, c.chain, "");
      compareWithItk(d, c, List.of(c.chain.get(0), c.chain.get(2)), "affines alone");
      Path composite = dir.resolve("Composite" + d + ".h5");
      // As antsRegistration's Composite.h5: the field acts first on a point, then the affine.
      ItkTool.compose(d, composite, List.of(c.chain.get(1), c.chain.get(0)));
      compareWithItk(d, c, List.of(composite.toString(), c.chain.get(2)), "ITK's composite .h5 of the field and affine");
      assertPointsMapAsItkDoes(d, composite);
      assertFlattenedChainsResampleAsTheChain(d, c);
    }
  }

  /**
   * A chain flattened by {@code --composite} or ANTs' {@code -o [FILE,1]} (into our .h5, a field on the
   * reference grid, or for affines a .mat) makes ITK resample as the chain itself does.
   */
  private void assertFlattenedChainsResampleAsTheChain(int d, Case c) throws Exception {
    List<String> affines = List.of(c.chain.get(0), c.chain.get(2));
    Path h5 = dir.resolve("flat" + d + ".h5");
    Path field = dir.resolve("flat" + d + ".nii.gz");
    Path mat = dir.resolve("flat" + d + ".mat");
    flatten(c.chain, List.of("--composite", "-o", h5.toString()));
    flatten(c.chain, List.of("-r", c.reference.toString(), "-o", "[" + field + ",1]"));
    flatten(affines, List.of("-o", mat.toString(), "--composite"));
    Object[][] cases = {{c.chain, h5}, {c.chain, field}, {affines, mat}};
    for (int k = 0; k < cases.length; k++) {
      @SuppressWarnings("unchecked")
      List<String> chain = (List<String>) cases[k][0];
      Path flat = (Path) cases[k][1];
      Path viaChain = dir.resolve("viaChain" + d + "_" + k + ".nii.gz");
      Path viaFlat = dir.resolve("viaFlat" + d + "_" + k + ".nii.gz");
      ItkTool.resample(d, c.image, c.reference, viaChain, "Linear", OUTSIDE, chain);
      ItkTool.resample(d, c.image, c.reference, viaFlat, "Linear", OUTSIDE, List.of(flat.toString()));
      compare(ImageFiles.read(viaFlat.toString()), ImageFiles.read(viaChain.toString()), false,
          d + "D ITK through our flattened " + flat.getFileName());
    }
  }

  private static void flatten(List<String> chain, List<String> options) {
    List<String> args = new ArrayList<>(List.of("apply"));
    chain.forEach(t -> args.addAll(List.of("-t", t)));
    args.addAll(options);
    assertEquals(0, WarpsparkCli.commandLine().execute(args.toArray(String[]::new)), args.toString());
  }

  /**
   * A CSV point list through ITK's composite of an affine and a field, by ITK and by {@code apply}
   * (LPS, and the same points given as RAS with {@code --ras}); other columns come back as they were.
   */
  private void assertPointsMapAsItkDoes(int d, Path composite) throws Exception {
    java.util.Random random = new java.util.Random(d);
    double[][] points = new double[200][d];
    StringBuilder lps = new StringBuilder(d == 3 ? "x,y,z,label\n" : "label,x,y\n");
    StringBuilder ras = new StringBuilder(lps);
    for (int n = 0; n < points.length; n++) {
      for (int a = 0; a < d; a++) {
        points[n][a] = -30 + 60 * random.nextDouble();
      }
      String z = d == 3 ? "," + points[n][2] : "";
      lps.append(d == 3 ? points[n][0] + "," + points[n][1] + z + ",p" + n : "p" + n + "," + points[n][0] + ","
          + points[n][1]).append('\n');
      ras.append(d == 3 ? -points[n][0] + "," + -points[n][1] + z + ",p" + n : "p" + n + "," + -points[n][0] + ","
          + -points[n][1]).append('\n');
    }
    double[][] itk = ItkTool.mapPoints(composite, points);
    for (boolean isRas : new boolean[] {false, true}) {
      Path in = java.nio.file.Files.writeString(dir.resolve("points" + d + isRas + ".csv"), (isRas ? ras : lps).toString());
      Path out = dir.resolve("moved" + d + isRas + ".csv");
      List<String> args = new ArrayList<>(List.of("apply", "-i", in.toString(), "-t", composite.toString(), "-o",
          out.toString()));
      if (isRas) {
        args.add("--ras");
      }
      assertEquals(0, WarpsparkCli.commandLine().execute(args.toArray(String[]::new)));
      PointFiles.Points moved = PointFiles.read(out.toString(), new Configuration(), d);
      assertEquals(points.length, moved.rows().size());
      double sign = isRas ? -1 : 1;
      for (int n = 0; n < points.length; n++) {
        double[] ours = moved.coordinates(n);
        for (int a = 0; a < d; a++) {
          assertEquals(itk[n][a], a < 2 ? sign * ours[a] : ours[a], 1e-4, d + "D point " + n + " axis " + a);
        }
        assertTrue(java.util.Arrays.asList(moved.rows().get(n)).contains("p" + n), "the label column is kept");
      }
    }
  }

  private void compareWithItk(int d, Case c, List<String> chain, String label) throws Exception {
    // ITK 5.2 has no label-vote interpolator (ANTs keeps its own); GenericLabelTest checks ours.
    for (Interpolator interpolator : List.of(Interpolator.LINEAR, Interpolator.NEAREST_NEIGHBOR,
        Interpolator.BSPLINE)) {
      boolean labels = interpolator == Interpolator.NEAREST_NEIGHBOR;
      Path input = labels ? c.labels : c.image;
      Path ours = dir.resolve("ours" + d + interpolator + chain.size() + ".nii.gz");
      Path itk = dir.resolve("itk" + d + interpolator + chain.size() + ".nii.gz");
      if (labels) {
        List<String> args = new ArrayList<>(List.of("apply", "-d", Integer.toString(d), "-i", input.toString(), "-r",
            c.reference.toString(), "-o", ours.toString(), "-n", "NearestNeighbor", "-f", Float.toString(OUTSIDE)));
        chain.forEach(t -> args.addAll(List.of("-t", t)));
        assertEquals(0, WarpsparkCli.commandLine().execute(args.toArray(String[]::new)));
      } else {
        ApplyTransforms.apply(new ApplyTransforms.Request(input.toString(), c.reference.toString(),
            chain.stream().map(ChainArgument::parse).toList(), ours.toString(), interpolator, OUTSIDE),
            new Configuration(), ReadLimits.DEFAULT, 2);
      }
      ItkTool.resample(d, input, c.reference, itk, interpolator.antsName(), OUTSIDE, chain);
      compare(ImageFiles.read(ours.toString()), ImageFiles.read(itk.toString()), labels,
          d + "D " + interpolator + " " + label);
    }
  }

  private static void compare(Image ours, Image itk, boolean labels, String what) {
    assertEquals(itk.grid().size().length, ours.grid().size().length, what);
    assertTrue(itk.grid().sameGeometry(ours.grid(), 1e-4), what + ": grids " + itk.grid() + " " + ours.grid());
    float[] a = ours.voxels();
    float[] b = itk.voxels();
    int differentSide = 0;
    int differentLabel = 0;
    int inside = 0;
    double sumSquares = 0;
    for (int i = 0; i < a.length; i++) {
      boolean outA = a[i] == OUTSIDE;
      boolean outB = b[i] == OUTSIDE;
      if (outA != outB) {
        differentSide++;
      } else if (!outA) {
        inside++;
        sumSquares += (a[i] - b[i]) * (double) (a[i] - b[i]);
        differentLabel += a[i] != b[i] ? 1 : 0;
      }
    }
    assertTrue(inside > a.length / 3, what + ": most of the output maps inside the input, " + inside + " of " + a.length);
    assertTrue(inside < a.length, what + ": some of the output maps outside the input");
    // Single voxels may differ where a point lands on a border or a rounding tie within float32 precision.
    assertTrue(differentSide <= a.length / 10_000, what + ": " + differentSide + " voxels inside one and outside the other");
    if (labels) {
      assertTrue(differentLabel <= a.length / 10_000, what + ": " + differentLabel + " voxels with another label");
      assertEquals(PixelType.INT16, ours.storedAs(), what + ": labels keep their type");
    } else {
      double rms = Math.sqrt(sumSquares / inside);
      assertTrue(rms < 1e-3, what + ": RMS difference " + rms + " on a range of " + RANGE);
    }
  }

  /** The input image's values span about this much. */
  private static final double RANGE = 160;

  /** Input image and labels, a reference grid and the chain's files, on oblique grids. */
  private final class Case {
    final Path image;
    final Path labels;
    final Path reference;
    final List<String> chain;

    Case(int d) {
      Grid in = grid(d, d == 3 ? new int[] {40, 36, 30} : new int[] {64, 56}, new double[] {1.1, 0.9, 1.3},
          new double[] {-20, -15, -18}, 0.35);
      Grid ref = grid(d, d == 3 ? new int[] {36, 32, 28} : new int[] {60, 60}, new double[] {1.2, 1.15, 1.25},
          new double[] {-22, -12, -15}, -0.2);
      Grid fieldGrid = grid(d, d == 3 ? new int[] {18, 16, 14} : new int[] {30, 28}, new double[] {2.5, 2.4, 2.6},
          new double[] {-25, -20, -20}, 0.1);
      float[] values = new float[(int) in.voxelCount()];
      float[] labelValues = new float[values.length];
      double[] index = new double[d];
      for (int i = 0; i < values.length; i++) {
        in.index(i, index);
        double[] p = in.indexToPhysical().apply(index);
        double z = d == 3 ? p[2] : 0;
        values[i] = (float) (80 + 50 * Math.sin(p[0] / 5) * Math.cos(p[1] / 7) + 30 * Math.sin(z / 4));
        labelValues[i] = (float) (Math.floorMod((int) Math.floor(p[0] / 6) + 3 * (int) Math.floor(p[1] / 5)
            + 5 * (int) Math.floor(z / 7), 11));
      }
      image = dir.resolve("image" + d + ".nii.gz");
      labels = dir.resolve("labels" + d + ".nii.gz");
      reference = dir.resolve("reference" + d + ".nii.gz");
      ImageFiles.write(new Image(in, values, PixelType.FLOAT32), image.toString());
      ImageFiles.write(new Image(in, labelValues, PixelType.INT16), labels.toString());
      ImageFiles.write(new Image(ref, new float[(int) ref.voxelCount()], PixelType.UINT8), reference.toString());

      MotionParameters a = MotionParameters.identity(d);
      a.angles()[0] = 0.08;
      a.translation()[0] = 1.5;
      a.logScales()[d - 1] = 0.04;
      Path mat = dir.resolve("a" + d + ".mat");
      ItkMatFile.write(mat, a.toAffine(in.centre()), in.centre());
      MotionParameters b = MotionParameters.identity(d);
      b.angles()[d == 3 ? 2 : 0] = -0.05;
      b.translation()[1] = -2;
      b.shears()[0] = 0.03;
      Path tfm = dir.resolve("b" + d + ".tfm");
      ItkTransformFile.write(tfm, b.toAffine(ref.centre()), ref.centre());

      float[][] u = new float[d][(int) fieldGrid.voxelCount()];
      for (int i = 0; i < u[0].length; i++) {
        fieldGrid.index(i, index);
        double[] p = fieldGrid.indexToPhysical().apply(index);
        for (int c = 0; c < d; c++) {
          u[c][i] = (float) (2.5 * Math.sin(p[(c + 1) % d] / 9 + c));
        }
      }
      Path field = dir.resolve("field" + d + ".nii.gz");
      ImageFiles.writeDisplacementField(new DisplacementField(fieldGrid, u), field.toString(), new Configuration());
      chain = List.of(mat.toString(), field.toString(), "[" + tfm + ",1]");
    }
  }

  /** A grid rotated by {@code angle} (about z, then about x in 3D): oblique, so axis mix-ups show. */
  private static Grid grid(int d, int[] size, double[] spacing, double[] origin, double angle) {
    MotionParameters r = MotionParameters.identity(d);
    r.angles()[0] = angle;
    if (d == 3) {
      r.angles()[2] = angle / 2;
    }
    Affine rotation = r.toAffine(new double[d]);
    return new Grid(size, java.util.Arrays.copyOf(spacing, d), java.util.Arrays.copyOf(origin, d), rotation.linear());
  }
}
