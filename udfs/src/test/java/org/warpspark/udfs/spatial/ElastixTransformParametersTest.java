package org.warpspark.udfs.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElastixTransformParametersTest {
  @TempDir
  Path dir;

  @Test
  void writesTheAffineAboutTheCentreAndTheDirectionColumnByColumn() {
    // A = diag(2, 3), offset (1, 1), centre (1, 2): t = o - c + A c = (2, 5).
    Affine map = Affine.of(new double[] {2, 0, 0, 3}, new double[] {1, 1});
    Grid fixed = new Grid(new int[] {5, 3}, new double[] {0.5, 2.0}, new double[] {-1.5, 4.0},
        new double[] {0, -1, 1, 0});
    String text = ElastixTransformParameters.format(map, new double[] {1, 2}, fixed,
        new ElastixTransformParameters.Options("nii.gz", -1000));
    List<String> lines = List.of(text.split("\n"));
    assertTrue(lines.contains("(Transform \"AffineTransform\")"), text);
    assertTrue(lines.contains("(NumberOfParameters 6)"), text);
    assertTrue(lines.contains("(TransformParameters 2.0 0.0 0.0 3.0 2.0 5.0)"), text);
    assertTrue(lines.contains("(CenterOfRotationPoint 1.0 2.0)"), text);
    assertTrue(lines.contains("(Size 5 3)"), text);
    assertTrue(lines.contains("(Index 0 0)"), text);
    // Row-major direction [[0, -1], [1, 0]]: columns (0, 1) then (-1, 0).
    assertTrue(lines.contains("(Direction 0.0 1.0 -1.0 0.0)"), text);
    assertTrue(lines.contains("(DefaultPixelValue -1000.0)"), text);
    assertTrue(lines.contains("(ResultImageFormat \"nii.gz\")"), text);
    assertTrue(lines.contains("(FixedImageDimension 2)"), text);
  }

  @Test
  void readsBackWhatItWrites() {
    Random random = new Random(5);
    for (int d = 2; d <= 3; d++) {
      Grid fixed = d == 2 ? Fixtures.fixed2D() : Fixtures.fixed3D();
      for (int n = 0; n < 20; n++) {
        Affine map = Fixtures.randomAffine(random, d);
        double[] center = Fixtures.randomPoint(random, d);
        String text = ElastixTransformParameters.format(map, center, fixed, ElastixTransformParameters.Options.defaults());
        Map<String, List<String>> parsed = ElastixParameterFile.parse(text, "test");
        Affine back = ElastixTransformParameters.toFixedToMoving(parsed, "test");
        assertTrue(back.maxAbsDifference(map) < 1e-12, () -> back + " vs " + map);
        assertEquals(fixed, ElastixTransformParameters.fixedGrid(parsed, "test"));
      }
    }
  }

  @Test
  void theSyntaxFollowsElastixParser() {
    String text = "// a comment line\n"
        + "\t(Transform \"EulerTransform\")   // trailing comment\n"
        + "(Name \"two words\" 3 \"x\")\n"
        + "\n"
        + "(Numbers\t1 2.5e-3   -4)\n";
    Map<String, List<String>> p = ElastixParameterFile.parse(text, "inline");
    assertEquals(List.of("EulerTransform"), p.get("Transform"));
    assertEquals(List.of("two words", "3", "x"), p.get("Name"));
    assertEquals(List.of("1", "2.5e-3", "-4"), p.get("Numbers"));
    assertEquals(List.of("Transform", "Name", "Numbers"), List.copyOf(p.keySet()));
    assertThrows(TransformFileException.class, () -> ElastixParameterFile.parse("Transform \"x\"", "no brackets"));
    assertThrows(TransformFileException.class, () -> ElastixParameterFile.parse("(A 1)\n(A 2)", "twice"));
    assertThrows(TransformFileException.class, () -> ElastixParameterFile.parse("(A \"1)", "odd quotes"));
    assertThrows(TransformFileException.class, () -> ElastixParameterFile.parse("(Alone)", "no value"));
  }

  @Test
  void eulerFollowsComputeZyx() {
    double[] angles = {0.3, -0.4, 0.7};
    double[] t = {1.5, -2, 3};
    double[] c = {10, -20, 5};
    double[] zyx = Fixtures.rotationZyx(angles[0], angles[1], angles[2]);
    double[] zxy = Linear.multiply(ItkLayouts.rotationZ(angles[2]),
        Linear.multiply(ItkLayouts.rotationX(angles[0]), ItkLayouts.rotationY(angles[1]), 3), 3);
    String params = "(TransformParameters 0.3 -0.4 0.7 1.5 -2 3)\n(CenterOfRotationPoint 10 -20 5)\n"
        + "(FixedImageDimension 3)\n(MovingImageDimension 3)\n(Transform \"EulerTransform\")\n";
    Affine withZyx = read(params + "(ComputeZYX \"true\")\n");
    Affine byDefault = read(params);
    assertTrue(withZyx.maxAbsDifference(Centered.toAffine(zyx, t, c)) < 1e-12, "ZYX is our R = Rz Ry Rx");
    MotionParameters ours = MotionParameters.identity(3);
    System.arraycopy(angles, 0, ours.angles(), 0, 3);
    System.arraycopy(t, 0, ours.translation(), 0, 3);
    assertTrue(withZyx.maxAbsDifference(ours.toAffine(c)) < 1e-12, "same angles as MotionParameters");
    assertTrue(byDefault.maxAbsDifference(Centered.toAffine(zxy, t, c)) < 1e-12, "default is Rz Rx Ry");
  }

  @Test
  void twoDimensionalEulerSimilarityAndTranslation() {
    String grid2 = "(FixedImageDimension 2)\n(MovingImageDimension 2)\n(CenterOfRotationPoint 3 -4)\n";
    Affine euler = read(grid2 + "(Transform \"EulerTransform\")\n(TransformParameters 0.5 1 2)\n");
    MotionParameters p = MotionParameters.identity(2);
    p.angles()[0] = 0.5;
    p.translation()[0] = 1;
    p.translation()[1] = 2;
    assertTrue(euler.maxAbsDifference(p.toAffine(new double[] {3, -4})) < 1e-12);
    Affine similarity = read(grid2 + "(Transform \"SimilarityTransform\")\n(TransformParameters 1.5 0.5 1 2)\n");
    p.logScales()[0] = Math.log(1.5);
    p.logScales()[1] = Math.log(1.5);
    assertTrue(similarity.maxAbsDifference(p.toAffine(new double[] {3, -4})) < 1e-12);
    Affine translation = read("(FixedImageDimension 2)\n(Transform \"TranslationTransform\")\n"
        + "(TransformParameters 1 2)\n");
    assertEquals(Affine.translation(new double[] {1, 2}), translation);
  }

  @Test
  void followsTheInitialTransformChain() throws IOException {
    Grid fixed = Fixtures.fixed3D();
    Random random = new Random(9);
    Affine first = Fixtures.randomAffine(random, 3);
    Affine second = Fixtures.randomAffine(random, 3);
    Path initial = dir.resolve("TransformParameters.0.txt");
    ElastixTransformParameters.write(initial, first, fixed.centre(), fixed, ElastixTransformParameters.Options.defaults());
    String current = ElastixTransformParameters.format(second, fixed);
    Path composed = dir.resolve("TransformParameters.1.txt");
    Files.writeString(composed, current.replace("\"NoInitialTransform\"", "\"TransformParameters.0.txt\""));
    Affine expected = second.after(first);
    Affine actual = ElastixTransformParameters.read(composed);
    assertTrue(actual.maxAbsDifference(expected) < 1e-9, () -> actual + " vs " + expected);

    Path added = dir.resolve("TransformParameters.add.txt");
    Files.writeString(added, current.replace("\"NoInitialTransform\"", "\"" + initial.toAbsolutePath() + "\"")
        .replace("\"Compose\"", "\"Add\""));
    double[] x = {3, -7, 11};
    double[] sum = new double[3];
    for (int i = 0; i < 3; i++) {
      sum[i] = first.apply(x)[i] + second.apply(x)[i] - x[i];
    }
    assertArrayEquals(sum, ElastixTransformParameters.read(added).apply(x), 1e-9, "Add: T0(x) + T1(x) - x");

    Map<String, List<String>> chained = ElastixParameterFile.parse(Files.readString(composed), "chained");
    assertThrows(TransformFileException.class, () -> ElastixTransformParameters.toFixedToMoving(chained, "chained"));
  }

  @Test
  void refusesWhatIsNotAPhysicalAffine() {
    String base = "(FixedImageDimension 3)\n(CenterOfRotationPoint 0 0 0)\n";
    TransformFileException bspline = assertThrows(TransformFileException.class,
        () -> read(base + "(Transform \"BSplineTransform\")\n(TransformParameters 1 2 3)\n"));
    assertTrue(bspline.getMessage().contains("unsupported"), bspline.getMessage());
    assertThrows(TransformFileException.class, () -> read(base + "(UseDirectionCosines \"false\")\n"
        + "(Transform \"TranslationTransform\")\n(TransformParameters 1 2 3)\n"));
    assertThrows(TransformFileException.class, () -> read(base
        + "(Transform \"TranslationTransform\")\n(NumberOfParameters 4)\n(TransformParameters 1 2 3)\n"));
    assertThrows(TransformFileException.class, () -> read("(FixedImageDimension 3)\n"
        + "(Transform \"AffineTransform\")\n(TransformParameters 1 0 0 0 1 0 0 0 1 0 0 0)\n"));
    assertThrows(TransformFileException.class, () -> read(base
        + "(Transform \"EulerTransform\")\n(TransformParameters 0.1 0.2 0.3 1 2)\n"));
  }

  private static Affine read(String text) {
    return ElastixTransformParameters.toFixedToMoving(ElastixParameterFile.parse(text, "inline"), "inline");
  }
}
