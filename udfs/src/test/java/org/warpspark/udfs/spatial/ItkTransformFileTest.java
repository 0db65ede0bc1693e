package org.warpspark.udfs.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.udfs.testing.ItkTool;

/**
 * ITK itself ({@link ItkTool}) maps points through every transform type we read as we do; the
 * format is also tied to elastix's AffineTransform, whose meaning transformix proves
 * ({@link ElastixTransformixTest}).
 */
class ItkTransformFileTest {
  @TempDir
  Path dir;

  @Test
  void itkMapsPointsThroughEveryTypeWeReadAsWeDo() throws Exception {
    Assumptions.assumeTrue(ItkTool.available(), "ITK (libinsighttoolkit5-dev), cmake and a C++ compiler are not installed");
    double s = Math.sin(0.4);
    String right = (2 / 3.0 * s) + " " + (-1 / 3.0 * s) + " " + (2 / 3.0 * s);
    String[] blocks = {
        "AffineTransform_double_3_3\nParameters: 1.1 0.1 0 -0.1 0.9 0.2 0 0.05 1.2 1 2 3\nFixedParameters: 4 5 6",
        "MatrixOffsetTransformBase_double_2_2\nParameters: 1.1 0.1 -0.1 0.9 1 2\nFixedParameters: 4 5",
        "Euler3DTransform_double_3_3\nParameters: 0.3 -0.4 0.7 1e-05 -2.5 3\nFixedParameters: 1 2 3",
        "Euler3DTransform_double_3_3\nParameters: 0.3 -0.4 0.7 1e-05 -2.5 3\nFixedParameters: 1 2 3 1",
        "Euler2DTransform_double_2_2\nParameters: -0.6 2 -1\nFixedParameters: 4 8",
        "Rigid2DTransform_double_2_2\nParameters: -0.6 2 -1\nFixedParameters: 4 8",
        "Similarity2DTransform_float_2_2\nParameters: 0.8 -0.6 2 -1\nFixedParameters: 4 8",
        "VersorRigid3DTransform_double_3_3\nParameters: " + right + " 0.5 1.5 -2.5\nFixedParameters: 5 6 -7",
        "Similarity3DTransform_double_3_3\nParameters: " + right + " 0.5 1.5 -2.5 1.25\nFixedParameters: 5 6 -7",
        "TranslationTransform_double_3_3\nParameters: 1 -2 3\nFixedParameters: ",
        "IdentityTransform_double_2_2\nParameters: \nFixedParameters: "};
    Random random = new Random(5);
    for (int k = 0; k < blocks.length; k++) {
      Path file = dir.resolve("type" + k + ".tfm");
      Files.writeString(file, HEADER_AND_FIRST + blocks[k] + "\n");
      Affine ours = ItkTransformFile.read(file);
      double[][] points = new double[20][];
      for (int n = 0; n < points.length; n++) {
        points[n] = Fixtures.randomPoint(random, ours.dim());
      }
      double[][] itk = ItkTool.mapPoints(file, points);
      for (int n = 0; n < points.length; n++) {
        assertArrayEquals(itk[n], ours.apply(points[n]), 1e-9, blocks[k] + ", point " + n);
      }
    }
  }

  private static final String HEADER_AND_FIRST = ItkTransformFile.HEADER + "\n#Transform 0\nTransform: ";

  @Test
  void writesTheAffineAboutTheCentre() {
    // A = diag(2, 3), offset (1, 1), centre (1, 2): t = o - c + A c = (2, 5).
    Affine map = Affine.of(new double[] {2, 0, 0, 3}, new double[] {1, 1});
    assertEquals("#Insight Transform File V1.0\n"
        + "#Transform 0\n"
        + "Transform: AffineTransform_double_2_2\n"
        + "Parameters: 2.0 0.0 0.0 3.0 2.0 5.0\n"
        + "FixedParameters: 1.0 2.0\n", ItkTransformFile.format(map, new double[] {1, 2}));
  }

  @Test
  void roundTripIsExactAboutTheOrigin() {
    Random random = new Random(3);
    for (int n = 0; n < 100; n++) {
      Affine map = Fixtures.randomAffine(random, 2 + n % 2);
      Path file = dir.resolve("t" + n + ".tfm");
      ItkTransformFile.write(file, map, new double[map.dim()]);
      assertEquals(map, ItkTransformFile.read(file), "bit-exact");
    }
  }

  @Test
  void roundTripKeepsEveryWrittenNumberAboutAnyCentre() {
    Random random = new Random(4);
    for (int n = 0; n < 100; n++) {
      int d = 2 + n % 2;
      Affine map = Fixtures.randomAffine(random, d);
      double[] center = Fixtures.randomPoint(random, d);
      String text = ItkTransformFile.format(map, center);
      ItkTransformFile.Entry entry = ItkTransformFile.entries(text, "t").get(0);
      assertArrayEquals(center, entry.fixedParameters(), 0, "centre bit-exact");
      assertArrayEquals(map.linear(), Arrays.copyOf(entry.parameters(), d * d), 0, "matrix bit-exact");
      assertArrayEquals(Centered.translation(map, center), Arrays.copyOfRange(entry.parameters(), d * d, d * d + d), 0,
          "translation bit-exact");
      assertTrue(ItkTransformFile.parse(text, "t").maxAbsDifference(map) < 1e-12);
    }
  }

  @Test
  void sameNumbersAsElastixAffineTransform() {
    Grid fixed = Fixtures.fixed3D();
    Affine map = Fixtures.mildFixedToMoving(fixed);
    double[] center = {1.25, -3.5, 20};
    ItkTransformFile.Entry itk = ItkTransformFile.entries(ItkTransformFile.format(map, center), "itk").get(0);
    Map<String, List<String>> elastix = ElastixParameterFile.parse(
        ElastixTransformParameters.format(map, center, fixed, ElastixTransformParameters.Options.defaults()), "elx");
    assertArrayEquals(itk.parameters(), numbers(elastix.get("TransformParameters")), 0);
    assertArrayEquals(itk.fixedParameters(), numbers(elastix.get("CenterOfRotationPoint")), 0);
  }

  @Test
  void readsItkStyleNumbersAndEulerFlags() {
    double[] c = {1, 2, 3};
    double[] t = {1e-05, -2.5, 3};
    String euler = "#Insight Transform File V1.0\n#Transform 0\nTransform: Euler3DTransform_double_3_3\n"
        + "Parameters: 0.3 -0.4 0.7 1e-05 -2.5 3\nFixedParameters: 1 2 3";
    double[] zxy = Linear.multiply(ItkLayouts.rotationZ(0.7),
        Linear.multiply(ItkLayouts.rotationX(0.3), ItkLayouts.rotationY(-0.4), 3), 3);
    double[] zyx = Fixtures.rotationZyx(0.3, -0.4, 0.7);
    assertTrue(ItkTransformFile.parse(euler, "old").maxAbsDifference(Centered.toAffine(zxy, t, c)) < 1e-12);
    assertTrue(ItkTransformFile.parse(euler + " 0\n", "flag 0").maxAbsDifference(Centered.toAffine(zxy, t, c)) < 1e-12);
    assertTrue(ItkTransformFile.parse(euler + " 1\n", "flag 1").maxAbsDifference(Centered.toAffine(zyx, t, c)) < 1e-12);
  }

  @Test
  void readsVersorAndSimilarityTransforms() {
    // 0.8 rad about the unit axis n: the versor's right part is n sin(0.4).
    double[] n = {2 / 3.0, -1 / 3.0, 2 / 3.0};
    double s = Math.sin(0.4);
    String right = (n[0] * s) + " " + (n[1] * s) + " " + (n[2] * s);
    double[] rotation = rodrigues(n, 0.8);
    double[] c = {5, 6, -7};
    double[] t = {0.5, 1.5, -2.5};
    Affine versor = ItkTransformFile.parse("Transform: VersorRigid3DTransform_double_3_3\nParameters: " + right
        + " 0.5 1.5 -2.5\nFixedParameters: 5 6 -7\n", "versor");
    assertTrue(versor.maxAbsDifference(Centered.toAffine(rotation, t, c)) < 1e-12);
    Affine similarity = ItkTransformFile.parse("Transform: Similarity3DTransform_double_3_3\nParameters: " + right
        + " 0.5 1.5 -2.5 1.25\nFixedParameters: 5 6 -7\n", "similarity");
    double[] scaled = rotation.clone();
    for (int i = 0; i < 9; i++) {
      scaled[i] *= 1.25;
    }
    assertTrue(similarity.maxAbsDifference(Centered.toAffine(scaled, t, c)) < 1e-12);

    MotionParameters p = MotionParameters.identity(2);
    p.angles()[0] = -0.6;
    p.translation()[0] = 2;
    p.translation()[1] = -1;
    double[] c2 = {4, 8};
    for (String type : new String[] {"Rigid2DTransform", "Euler2DTransform"}) {
      Affine rigid = ItkTransformFile.parse("Transform: " + type + "_double_2_2\nParameters: -0.6 2 -1\n"
          + "FixedParameters: 4 8\n", type);
      assertTrue(rigid.maxAbsDifference(p.toAffine(c2)) < 1e-12, type);
    }
    p.logScales()[0] = Math.log(0.8);
    p.logScales()[1] = Math.log(0.8);
    Affine similarity2 = ItkTransformFile.parse("Transform: Similarity2DTransform_float_2_2\n"
        + "Parameters: 0.8 -0.6 2 -1\nFixedParameters: 4 8\n", "similarity2");
    assertTrue(similarity2.maxAbsDifference(p.toAffine(c2)) < 1e-12);
  }

  @Test
  void compositeAppliesTheLastComponentFirst() {
    String text = "#Insight Transform File V1.0\n"
        + "#Transform 0\nTransform: CompositeTransform_double_3_3\n"
        + "#Transform 1\nTransform: TranslationTransform_double_3_3\nParameters: 10 0 0\nFixedParameters: \n"
        + "#Transform 2\nTransform: MatrixOffsetTransformBase_double_3_3\n"
        + "Parameters: 2 0 0 0 2 0 0 0 2 0 0 0\nFixedParameters: 0 0 0\n";
    // (x -> x + 10 e0) o (x -> 2 x): 1 -> 2 -> 12.
    assertArrayEquals(new double[] {12, 2, 2}, ItkTransformFile.parse(text, "composite").apply(new double[] {1, 1, 1}),
        0);
  }

  @Test
  void refusesWithReasons() {
    TransformFileException unsupported = assertThrows(TransformFileException.class, () -> ItkTransformFile.parse(
        "Transform: BSplineTransform_double_3_3\nParameters: 1\nFixedParameters: 1\n", "bspline"));
    assertTrue(unsupported.getMessage().contains("unsupported"), unsupported.getMessage());
    assertThrows(TransformFileException.class, () -> ItkTransformFile.parse(
        "Transform: AffineTransform_double_2_2\nParameters: 1 0 0 1 0 0\n", "no fixed parameters"));
    assertThrows(TransformFileException.class, () -> ItkTransformFile.parse(
        "Transform: AffineTransform_double_2_2\nParameters: 1 0 0 1 0 nan\nFixedParameters: 0 0\n", "nan"));
    assertThrows(TransformFileException.class, () -> ItkTransformFile.parse(
        "Transform: AffineTransform_double_3_2\nParameters: 1 0 0 0 1 0 0 0\nFixedParameters: 0 0 0\n", "3 to 2"));
    assertThrows(TransformFileException.class, () -> ItkTransformFile.parse(
        "Transform: TranslationTransform_double_2_2\nParameters: 1 2\nFixedParameters:\n"
            + "Transform: TranslationTransform_double_2_2\nParameters: 1 2\nFixedParameters:\n", "two"));
    assertThrows(TransformFileException.class, () -> ItkTransformFile.parse(
        "Transform: Euler3DTransform_double_2_2\nParameters: 1 2 3\nFixedParameters: 0 0\n", "euler 3D in 2D"));
    assertThrows(TransformFileException.class, () -> ItkTransformFile.parse("no colon here\n", "syntax"));
  }

  private static double[] rodrigues(double[] n, double angle) {
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    double[] r = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        r[i * 3 + j] = (i == j ? c : 0) + (1 - c) * n[i] * n[j];
      }
    }
    r[1] -= s * n[2];
    r[2] += s * n[1];
    r[3] += s * n[2];
    r[5] -= s * n[0];
    r[6] -= s * n[1];
    r[7] += s * n[0];
    return r;
  }

  private static double[] numbers(List<String> values) {
    return values.stream().mapToDouble(Double::parseDouble).toArray();
  }
}
