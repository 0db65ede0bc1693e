package org.warpspark.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.PixelType;
import org.warpspark.image.ReadLimits;
import org.warpspark.image.TransformFiles;
import org.warpspark.udfs.WarpsparkException;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.FixedToMoving;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.ItkMatFile;
import org.warpspark.udfs.spatial.TransformChain;

/** The {@code -t} and {@code -n} arguments, and what a chain refuses, with the file and the cause. */
class ChainArgumentsTest {
  @TempDir
  Path dir;

  @Test
  void parsesFilesAndInverseFlagsAsAntsWritesThem() {
    assertEquals(new ChainArgument("a.mat", false), ChainArgument.parse("a.mat"));
    assertEquals(new ChainArgument("a.mat", true), ChainArgument.parse("[a.mat,1]"));
    assertEquals(new ChainArgument("s3a://b/x.tfm", false), ChainArgument.parse("[ s3a://b/x.tfm , 0 ]"));
    assertThrows(IllegalArgumentException.class, () -> ChainArgument.parse("[a.mat,2]"));
    assertThrows(IllegalArgumentException.class, () -> ChainArgument.parse("[a.mat"));
    IllegalArgumentException secret = assertThrows(IllegalArgumentException.class,
        () -> ChainArgument.parse("[s3a://AKIDSECRET:hunter2@b/x.mat,2]"));
    assertFalse(secret.getMessage().contains("hunter2") || secret.getMessage().contains("AKIDSECRET"),
        secret.getMessage());
    assertEquals(Interpolator.NEAREST_NEIGHBOR, Interpolator.parse("nearestneighbor"));
    assertEquals(Interpolator.BSPLINE, Interpolator.parse("BSpline[3]"));
    assertEquals(Interpolator.GENERIC_LABEL, Interpolator.parse("generic_label"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Interpolator.parse("BSpline[5]"));
    assertTrue(e.getMessage().contains("Linear, NearestNeighbor, GenericLabel and BSpline (cubic)"), e.getMessage());
    assertEquals(Interpolator.GENERIC_LABEL, Interpolator.parse("GenericLabel[Linear]"));
  }

  /**
   * The order antsApplyTransforms gives a chain: with {@code -t scale2.mat -t translate1.mat} output
   * point 3 reads the input at 7 = 2 * 3 + 1 (the first listed acts first on the point), and a
   * composite file's queue [translate, scale] is the same map.
   */
  @Test
  void theFirstListedActsFirstOnAPointAsInAnts() throws Exception {
    Path scale = dir.resolve("scale2.mat");
    Path translate = dir.resolve("translate1.mat");
    ItkMatFile.write(scale, Affine.of(new double[] {2, 0, 0, 2}, new double[] {0, 0}), new double[2]);
    ItkMatFile.write(translate, Affine.of(new double[] {1, 0, 0, 1}, new double[] {1, 0}), new double[2]);
    TransformChain chain = ApplyTransforms.chain(List.of(ChainArgument.parse(scale.toString()),
        ChainArgument.parse(translate.toString())), new Configuration(), ReadLimits.DEFAULT);
    assertEquals(7, chain.apply(new double[] {3, 0})[0], 1e-12);
    assertEquals(List.of(((FixedToMoving.Linear) chain.steps().get(0)).matrix().translation()[0],
        ((FixedToMoving.Linear) chain.steps().get(1)).matrix().translation()[0]), List.of(1.0, 0.0),
        "the queue is [translate, scale], as a composite file of the same map holds it");
    TransformChain inverse = ApplyTransforms.chain(List.of(ChainArgument.parse("[" + translate + ",1]"),
        ChainArgument.parse("[" + scale + ",1]")), new Configuration(), ReadLimits.DEFAULT);
    assertEquals(3, inverse.apply(new double[] {7, 0})[0], 1e-12, "the inverse chain lists the inverses the other way");
  }

  @Test
  void readsAffinesInvertedOnRequest() {
    Affine map = Affine.of(new double[] {1.1, 0.1, -0.05, 0.95}, new double[] {3, -2});
    Path mat = dir.resolve("a.mat");
    ItkMatFile.write(mat, map, new double[] {5, 6});
    FixedToMoving inverse = TransformFiles.read(mat.toString(), true, new Configuration(),
        ReadLimits.DEFAULT).get(0);
    assertTrue(((FixedToMoving.Linear) inverse).matrix().maxAbsDifference(map.inverse()) < 1e-12);
  }

  @Test
  void refusesWithTheFileAndTheCause() throws Exception {
    Configuration conf = new Configuration();
    Grid grid = Grid.of(new int[] {4, 3}, new double[] {1, 1}, new double[] {0, 0});
    Path field = dir.resolve("warp.nii.gz");
    ImageFiles.writeDisplacementField(new DisplacementField(grid, new float[2][12]), field.toString(), conf);
    assertRefused(field.toString(), true, "cannot be inverted");
    assertRefused(Files.writeString(dir.resolve("Composite.h5"), "not HDF5").toString(), false,
        "not a readable HDF5 transform file");
    assertRefused(Files.writeString(dir.resolve("notes.txt"), "hello").toString(), false, "not a transform file");
    assertRefused(Files.writeString(dir.resolve("chained.txt"), "(Transform \"TranslationTransform\")\n"
        + "(NumberOfParameters 2)\n(TransformParameters 1 2)\n(FixedImageDimension 2)\n(MovingImageDimension 2)\n"
        + "(InitialTransformParametersFileName \"/etc/other.txt\")\n").toString(), false, "initial transform");
    assertRefused(dir.resolve("missing.mat").toString(), false, "does not exist");
    WarpsparkException secret = assertThrows(WarpsparkException.class,
        () -> TransformFiles.read("s3a://AKIDSECRET:hunter2@bucket/a.mat", false, conf, ReadLimits.DEFAULT));
    assertFalse(secret.getMessage().contains("hunter2") || secret.getMessage().contains("AKIDSECRET"),
        secret.getMessage());
  }

  @Test
  void refusesADefaultValueThatLabelsCannotHold() {
    Grid grid = Grid.of(new int[] {4, 3}, new double[] {1, 1}, new double[] {0, 0});
    Path labels = dir.resolve("labels.nii.gz");
    ImageFiles.write(new Image(grid, new float[12], PixelType.UINT8), labels.toString());
    Path mat = dir.resolve("a.mat");
    ItkMatFile.write(mat, Affine.identity(2), new double[2]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApplyTransforms.apply(
        new ApplyTransforms.Request(labels.toString(), labels.toString(), List.of(ChainArgument.parse(mat.toString())),
            dir.resolve("out.nii.gz").toString(), Interpolator.NEAREST_NEIGHBOR, -1), new Configuration(),
        ReadLimits.DEFAULT, 1));
    assertTrue(e.getMessage().contains("-1.0 cannot be stored in the UINT8 voxels of the output "
        + dir.resolve("out.nii.gz")), e.getMessage());
  }

  private void assertRefused(String file, boolean inverse, String cause) {
    WarpsparkException e = assertThrows(WarpsparkException.class,
        () -> TransformFiles.read(file, inverse, new Configuration(), ReadLimits.DEFAULT));
    assertTrue(e.getMessage().contains(file) && e.getMessage().contains(cause), e.getMessage());
  }
}
