package org.warpspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.PixelType;
import org.warpspark.testing.Transformix;
import org.warpspark.udfs.spatial.BSplineTransform;
import org.warpspark.udfs.spatial.ElastixTransformParameters;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.MotionParameters;

/**
 * An elastix chain as elastix writes one: a B-spline file whose {@code InitialTransformParametersFileName}
 * names an affine file. Listed as {@code -t AFFINE -t BSPLINE} (elastix applies the initial transform
 * first), {@code apply} resamples as transformix does with the B-spline file alone; listed otherwise,
 * or without the affine, it is refused with the order to use, and the affine is never opened.
 */
class ElastixChainTest {
  @TempDir
  Path dir;

  @Test
  void theInitialTransformIsListedRightBeforeItsFileAndTransformixAgrees() throws Exception {
    assumeTrue(Transformix.available(), "Debian's elastix package is not installed");
    MotionParameters tilt = MotionParameters.identity(3);
    tilt.angles()[0] = 0.12;
    tilt.angles()[2] = -0.08;
    Grid fixed = new Grid(new int[] {30, 26, 20}, new double[] {1.2, 1.1, 1.4}, new double[] {-18, -14, -13},
        tilt.toAffine(new double[3]).linear());
    Grid movingGrid = Grid.of(new int[] {40, 36, 30}, new double[] {1, 1, 1}, new double[] {-20, -18, -15});
    float[] values = new float[(int) movingGrid.voxelCount()];
    double[] index = new double[3];
    for (int i = 0; i < values.length; i++) {
      movingGrid.index(i, index);
      double[] p = movingGrid.indexToPhysical().apply(index);
      values[i] = (float) (100 + 50 * Math.sin(p[0] / 5) * Math.cos(p[1] / 6) + 20 * Math.sin(p[2] / 4));
    }
    String moving = dir.resolve("moving.nii.gz").toString();
    ImageFiles.write(Image.of(movingGrid, values), moving);
    String reference = dir.resolve("fixed.nii.gz").toString();
    ImageFiles.write(new Image(fixed, new float[(int) fixed.voxelCount()], PixelType.UINT8), reference);

    MotionParameters a = MotionParameters.identity(3);
    a.angles()[1] = 0.15;
    a.translation()[0] = 2;
    Path affine = Files.writeString(dir.resolve("TransformParameters.0.txt"),
        ElastixTransformParameters.format(a.toAffine(fixed.centre()), fixed));
    Path bspline = Files.writeString(dir.resolve("TransformParameters.1.txt"), bsplineAfter(affine.toString(), fixed));

    Path ours = dir.resolve("ours.nii.gz");
    assertEquals(0, apply("-i", moving, "-r", reference, "-t", affine.toString(), "-t", bspline.toString(), "-o",
        ours.toString()).code);
    Image theirs = Transformix.resample(moving, bspline, dir.resolve("transformix"));
    Transformix.Agreement agreement = Transformix.agreement(ImageFiles.read(ours.toString()), theirs);
    assertTrue(agreement.compared() > fixed.voxelCount() / 2, "compared " + agreement.compared());
    assertTrue(agreement.rms() < 2e-3 * agreement.range(), "RMS difference " + agreement.rms() + " of intensity range "
        + agreement.range());

    String order = "-t " + affine + " -t " + bspline;
    for (String[] chain : new String[][] {{bspline.toString()}, {bspline.toString(), affine.toString()}}) {
      String[] args = {"-i", moving, "-r", reference, "-o", dir.resolve("refused.nii.gz").toString()};
      for (String t : chain) {
        args = append(append(args, "-t"), t);
      }
      Outcome refused = apply(args);
      assertTrue(refused.code != 0 && refused.err.contains(order), Arrays.toString(chain) + ": " + refused.err);
    }

    // elastix writes the name as it was given: relative to the file's folder is found too.
    Path relative = Files.writeString(dir.resolve("TransformParameters.2.txt"), bsplineAfter(
        "TransformParameters.0.txt", fixed));
    assertEquals(0, apply("-i", moving, "-r", reference, "-t", affine.toString(), "-t", relative.toString(), "-o",
        dir.resolve("relative.nii.gz").toString()).code);
    // A name no input may have (a scheme the run does not read) is refused before any file system is asked.
    Path elsewhere = Files.writeString(dir.resolve("TransformParameters.3.txt"), bsplineAfter("har:/h/x.txt", fixed));
    Outcome refused = apply("-i", moving, "-r", reference, "-t", "har:/h/x.txt", "-t", elsewhere.toString(), "-o",
        dir.resolve("elsewhere.nii.gz").toString());
    assertTrue(refused.code != 0 && refused.err.contains("names its initial transform har:/h/x.txt"), refused.err);
  }

  /**
   * A cubic B-spline (a 7 x 6 x 6 control grid of 6 mm about the fixed centre, random displacements of
   * up to 2.5 mm) composed after {@code initial}, resampling onto {@code fixed}.
   */
  private static String bsplineAfter(String initial, Grid fixed) {
    int[] size = {7, 6, 6};
    Random random = new Random(12);
    double[][] c = new double[3][7 * 6 * 6];
    for (double[] axis : c) {
      for (int i = 0; i < axis.length; i++) {
        axis[i] = 5 * random.nextDouble() - 2.5;
      }
    }
    double[] origin = new double[3];
    for (int x = 0; x < 3; x++) {
      origin[x] = fixed.centre()[x] - 6 * (size[x] - 1) / 2.0;
    }
    BSplineTransform spline = new BSplineTransform(Grid.of(size, new double[] {6, 6, 6}, origin), c);
    return ElastixTransformParameters.formatBSpline(spline, initial, fixed,
        ElastixTransformParameters.Options.defaults());
  }

  private record Outcome(int code, String err) {}

  private static Outcome apply(String... args) {
    StringWriter err = new StringWriter();
    int code = WarpsparkCli.commandLine().setErr(new PrintWriter(err)).execute(append(new String[] {"apply"}, args));
    return new Outcome(code, err.toString());
  }

  private static String[] append(String[] a, String... more) {
    String[] out = Arrays.copyOf(a, a.length + more.length);
    System.arraycopy(more, 0, out, a.length, more.length);
    return out;
  }

}
