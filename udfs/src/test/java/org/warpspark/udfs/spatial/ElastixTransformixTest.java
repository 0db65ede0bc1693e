package org.warpspark.udfs.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our parameter files against real transformix: {@code -def all} writes {@code T(x) - x} at every voxel
 * of the output grid, which must equal {@code fixedToMoving(x) - x} at our fixed voxels; the resampled
 * moving image (linear in physical position) must equal that linear function at {@code fixedToMoving(x)}.
 * The fixed and moving grids both have rotated direction cosines, so a transposed {@code Direction} or
 * {@code TransformMatrix} would fail. elastix's SimilarityTransform is off by default in its CMake and
 * absent from Debian's build, so its layout is only unit-tested ({@link ElastixTransformParametersTest}).
 */
class ElastixTransformixTest {
  private static final double DISPLACEMENT_TOL_MM = 1e-3;
  private static final double DEFAULT_PIXEL = -1000;

  @TempDir
  Path dir;

  @BeforeAll
  static void requireTransformix() {
    Assumptions.assumeTrue(Peers.transformixAvailable(), "transformix is not installed");
  }

  @ParameterizedTest(name = "{0}D")
  @ValueSource(ints = {3, 2})
  void affineFileMovesPointsAndResamplesLikeOurMap(int d) throws IOException, InterruptedException {
    Grid fixed = d == 3
        ? new Grid(new int[] {9, 8, 7}, new double[] {1.2, 0.9, 1.5}, new double[] {-20.5, 13.25, 40.0},
            Fixtures.rotationZyx(0.3, -0.25, 0.6))
        : Fixtures.fixed2D();
    Affine fixedToMoving = Fixtures.mildFixedToMoving(fixed);
    // Thin along its last axis, so that part of the fixed grid maps outside the moving image.
    Grid moving = d == 3
        ? Fixtures.movingAround(fixed, fixedToMoving, new int[] {15, 14, 5}, new double[] {1.0, 1.1, 1.3},
            Fixtures.rotationZyx(-0.35, 0.2, -0.5))
        : Fixtures.movingAround(fixed, fixedToMoving, new int[] {13, 4}, new double[] {0.9, 1.2},
            Fixtures.rotation2D(-0.7));
    double[] gradient = d == 3 ? new double[] {2.0, -0.5, 1.25} : new double[] {1.5, -0.75};
    double[] values = new double[(int) moving.voxelCount()];
    for (int v = 0; v < values.length; v++) {
      values[v] = linear(gradient, moving.indexToPhysical().apply(Fixtures.index(moving.size(), v)));
    }
    MetaImages.writeFloat(dir.resolve("moving.mha"), moving, values);
    double[] center = fixed.centre();
    center[0] += 1.5;
    center[1] -= 2.0;
    Path parameters = dir.resolve("TransformParameters.txt");
    ElastixTransformParameters.write(parameters, fixedToMoving, center, fixed,
        new ElastixTransformParameters.Options("mha", DEFAULT_PIXEL));

    Path out = transformix(parameters, true);

    MetaImages.Image field = MetaImages.read(out.resolve("deformationField.mha"));
    assertSameGrid(fixed, field.grid());
    assertDisplacements(fixed, fixedToMoving, field);

    MetaImages.Image result = MetaImages.read(out.resolve("result.mha"));
    assertSameGrid(fixed, result.grid());
    int inside = 0;
    int outside = 0;
    for (int v = 0; v < fixed.voxelCount(); v++) {
      double[] movingPoint = fixedToMoving.apply(fixed.indexToPhysical().apply(Fixtures.index(fixed.size(), v)));
      double[] movingIndex = moving.physicalToIndex().apply(movingPoint);
      if (within(movingIndex, moving.size(), 1e-3)) {
        inside++;
        assertEquals(linear(gradient, movingPoint), result.values()[v], 1e-3, "voxel " + v);
      } else if (!within(movingIndex, moving.size(), -1)) {
        outside++;
        assertEquals(DEFAULT_PIXEL, result.values()[v], "voxel " + v + " maps outside the moving image");
      }
    }
    assertTrue(inside > fixed.voxelCount() / 5, "inside: " + inside);
    assertTrue(outside > 0, "no fixed voxel maps outside the moving image");
  }

  @ParameterizedTest(name = "ComputeZYX {0}")
  @ValueSource(strings = {"false", "true"})
  void eulerFilesReadAsTransformixAppliesThem(String computeZyx) throws IOException, InterruptedException {
    checkHandWritten("(Transform \"EulerTransform\")\n(NumberOfParameters 6)\n"
        + "(TransformParameters 0.3 -0.45 0.8 2.5 -1.25 4)\n(ComputeZYX \"" + computeZyx + "\")\n");
  }

  @Test
  void translationFileReadsAsTransformixAppliesIt() throws IOException, InterruptedException {
    checkHandWritten("(Transform \"TranslationTransform\")\n(NumberOfParameters 3)\n"
        + "(TransformParameters 2.5 -1.25 4)\n");
  }

  /**
   * A cubic B-spline on a control grid of its own (rotated otherwise than the fixed grid, so a
   * transposed {@code GridDirection} would fail), covering part of the fixed grid: inside its valid
   * region the voxels move as transformix moves them, outside they stay where they are.
   */
  @Test
  void bsplineFileMovesPointsAsTransformixDoes() throws IOException, InterruptedException {
    Grid fixed = Fixtures.fixed3D();
    int[] size = {6, 6, 6};
    double[] spacing = {3, 3.5, 4};
    double[] direction = Fixtures.rotationZyx(0.2, 0.1, -0.35);
    Grid atZero = new Grid(size, spacing, new double[3], direction);
    double[] origin = new double[3];
    for (int a = 0; a < 3; a++) {
      origin[a] = fixed.centre()[a] - atZero.centre()[a] + 1.5;
    }
    java.util.Random random = new java.util.Random(9);
    StringBuilder parameters = new StringBuilder();
    for (int i = 0; i < 3 * 216; i++) {
      parameters.append(' ').append(String.format(java.util.Locale.ROOT, "%.6f", 4 * random.nextDouble() - 2));
    }
    String lines = "(Transform \"BSplineTransform\")\n(NumberOfParameters 648)\n(TransformParameters" + parameters
        + ")\n(GridSize 6 6 6)\n(GridIndex 0 0 0)\n(GridSpacing 3 3.5 4)\n(GridOrigin " + join(origin)
        + ")\n(GridDirection " + join(ElastixTransformParameters.columnMajor(direction, 3))
        + ")\n(BSplineTransformSplineOrder 3)\n(UseCyclicTransform \"false\")\n";
    Path file = handWritten(fixed, lines);
    BSplineTransform ours = ((FixedToMoving.Spline) ElastixTransformParameters.ownTransform(
        ElastixParameterFile.parse(Files.readString(file), file.toString()), file.toString(), 1000)).transform();
    MetaImages.Image field = MetaImages.read(transformix(file, false).resolve("deformationField.mha"));
    assertSameGrid(fixed, field.grid());
    int moved = 0;
    int still = 0;
    for (int v = 0; v < fixed.voxelCount(); v++) {
      double length = 0;
      double[] x = fixed.indexToPhysical().apply(Fixtures.index(fixed.size(), v));
      double[] y = ours.apply(x);
      for (int a = 0; a < 3; a++) {
        double theirs = field.values()[v * 3 + a];
        assertEquals(theirs, y[a] - x[a], 1e-4, "voxel " + v + " axis " + a);
        length += theirs * theirs;
      }
      moved += length > 1e-6 ? 1 : 0;
      still += length == 0 ? 1 : 0;
    }
    assertTrue(moved > fixed.voxelCount() / 3 && still > 0, moved + " voxels moved, " + still + " stayed");
  }

  private static String join(double[] values) {
    return Arrays.stream(values).mapToObj(v -> String.format(java.util.Locale.ROOT, "%.9f", v))
        .collect(Collectors.joining(" "));
  }

  /** One of our files for {@code fixed} with its transform lines replaced by {@code transformLines}. */
  private Path handWritten(Grid fixed, String transformLines) throws IOException {
    String ours = ElastixTransformParameters.format(Affine.identity(fixed.dim()), fixed);
    String text = Arrays.stream(ours.split("\n"))
        .filter(l -> !l.startsWith("(Transform ") && !l.startsWith("(NumberOfParameters ")
            && !l.startsWith("(TransformParameters "))
        .collect(Collectors.joining("\n", transformLines, "\n"));
    return Files.writeString(dir.resolve("TransformParameters.txt"), text);
  }

  /** Replaces the transform lines of one of our files by {@code transformLines}, then compares reader and transformix. */
  private void checkHandWritten(String transformLines) throws IOException, InterruptedException {
    Grid fixed = Fixtures.fixed3D();
    Path parameters = handWritten(fixed, transformLines);
    Affine fixedToMoving = ElastixTransformParameters.read(parameters);
    assertTrue(fixedToMoving.maxAbsDifference(Affine.identity(3)) > 0.1, "the fixture must move");
    MetaImages.Image field = MetaImages.read(transformix(parameters, false).resolve("deformationField.mha"));
    assertSameGrid(fixed, field.grid());
    assertDisplacements(fixed, fixedToMoving, field);
  }

  private Path transformix(Path parameters, boolean withImage) throws IOException, InterruptedException {
    Path out = Files.createDirectories(dir.resolve("out"));
    List<String> command = new ArrayList<>(List.of(Peers.TRANSFORMIX.toString(), "-def", "all", "-out",
        out.toString(), "-tp", parameters.toString()));
    if (withImage) {
      command.addAll(List.of("-in", dir.resolve("moving.mha").toString()));
    }
    Peers.run(command, dir);
    return out;
  }

  private static void assertDisplacements(Grid fixed, Affine fixedToMoving, MetaImages.Image field) {
    int d = fixed.dim();
    assertEquals(d, field.channels());
    for (int v = 0; v < fixed.voxelCount(); v++) {
      double[] x = fixed.indexToPhysical().apply(Fixtures.index(fixed.size(), v));
      double[] expected = fixedToMoving.apply(x);
      for (int a = 0; a < d; a++) {
        expected[a] -= x[a];
      }
      double[] actual = Arrays.copyOfRange(field.values(), v * d, v * d + d);
      int voxel = v;
      assertTrue(Fixtures.maxAbsDifference(expected, actual) < DISPLACEMENT_TOL_MM,
          () -> "voxel " + voxel + ": transformix " + Arrays.toString(actual) + ", ours " + Arrays.toString(expected));
    }
  }

  /** MetaImage headers carry about 6 significant digits. */
  private static void assertSameGrid(Grid expected, Grid actual) {
    assertArrayEquals(expected.size(), actual.size());
    assertArrayEquals(expected.spacing(), actual.spacing(), 1e-5);
    assertArrayEquals(expected.origin(), actual.origin(), 1e-4);
    assertArrayEquals(expected.direction(), actual.direction(), 1e-5);
  }

  /** Whether {@code index} lies at least {@code margin} voxels inside {@code [0, size - 1]} (negative: outside by that much). */
  private static boolean within(double[] index, int[] size, double margin) {
    for (int a = 0; a < index.length; a++) {
      if (index[a] < margin || index[a] > size[a] - 1 - margin) {
        return false;
      }
    }
    return true;
  }

  private static double linear(double[] gradient, double[] p) {
    double s = 10;
    for (int i = 0; i < p.length; i++) {
      s += gradient[i] * p[i];
    }
    return s;
  }
}
