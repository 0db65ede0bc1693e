package org.warpspark.udfs.spatial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our theta against real PyTorch ({@code /usr/bin/python3}, torch CPU, float64): {@code affine_grid} must
 * put at each fixed voxel the normalised moving coordinates of {@code fixedToMoving(x)}, and
 * {@code grid_sample} of a moving image that is linear in physical position must equal that linear
 * function at {@code fixedToMoving(x)} wherever the point lies inside the moving image.
 */
class TorchAffineThetaPyTorchTest {
  private static final String SCRIPT = String.join("\n",
      "import sys, torch",
      "import torch.nn.functional as F",
      "tok = open(sys.argv[1]).read().split()",
      "d, ac = int(tok[0]), tok[1] == '1'",
      "pos = 2",
      "def take(n, cast):",
      "    global pos",
      "    out = [cast(t) for t in tok[pos:pos + n]]",
      "    pos += n",
      "    return out",
      "fixed = take(d, int)",
      "moving = take(d, int)",
      "theta = torch.tensor(take(d * (d + 1), float), dtype=torch.float64).reshape(1, d, d + 1)",
      "count = 1",
      "for s in moving:",
      "    count *= s",
      "image = torch.tensor(take(count, float), dtype=torch.float64).reshape([1, 1] + moving[::-1])",
      "grid = F.affine_grid(theta, [1, 1] + fixed[::-1], align_corners=ac)",
      "sampled = F.grid_sample(image, grid, mode='bilinear', padding_mode='zeros', align_corners=ac)",
      "print(' '.join(repr(v) for v in grid.reshape(-1).tolist()))",
      "print(' '.join(repr(v) for v in sampled.reshape(-1).tolist()))",
      "");

  @TempDir
  Path dir;

  @BeforeAll
  static void requireTorch() {
    Assumptions.assumeTrue(Peers.torchAvailable(), "/usr/bin/python3 with torch is not installed");
  }

  static Stream<Arguments> cases() {
    Grid fixed3 = Fixtures.fixed3D();
    Affine motion3 = Fixtures.mildFixedToMoving(fixed3);
    Grid moving3 = Fixtures.movingAround(fixed3, motion3, new int[] {13, 15, 9}, new double[] {1.1, 0.9, 1.7},
        Fixtures.moving3D().direction());
    Grid fixed2 = Fixtures.fixed2D();
    Affine motion2 = Fixtures.mildFixedToMoving(fixed2);
    Grid moving2 = Fixtures.movingAround(fixed2, motion2, new int[] {11, 15}, new double[] {1.3, 0.6},
        Fixtures.moving2D().direction());
    Grid slice = new Grid(new int[] {8, 5, 1}, new double[] {0.9, 1.4, 3.0}, new double[] {5.5, -8.0, 12.0},
        Fixtures.rotationZyx(0, 0, 0.35));
    Affine inPlane = Affine.of(Fixtures.rotationZyx(0, 0, 0.1), new double[] {0.5, -0.25, 0});
    Grid sliceMoving = Fixtures.movingAround(slice, inPlane, new int[] {11, 9, 3}, new double[] {0.8, 1.1, 3.0},
        Fixtures.rotationZyx(0, 0, -0.2));
    return Stream.of(true, false).flatMap(ac -> Stream.of(
        Arguments.of("3D rotated, flipped, anisotropic", fixed3, moving3, motion3, ac),
        Arguments.of("2D rotated, anisotropic", fixed2, moving2, motion2, ac),
        Arguments.of("3D single slice", slice, sliceMoving, inPlane, ac)));
  }

  @ParameterizedTest(name = "{0}, alignCorners={4}")
  @MethodSource("cases")
  void affineGridAndGridSampleAgreeWithOurTheta(String name, Grid fixed, Grid moving, Affine fixedToMoving,
      boolean alignCorners) throws IOException, InterruptedException {
    int d = fixed.dim();
    double[] gradient = d == 2 ? new double[] {1.5, -0.75} : new double[] {2.0, -0.5, 1.25};
    double constant = 10;
    TorchAffineTheta theta = TorchAffineTheta.fromFixedToMoving(fixedToMoving, fixed, moving, alignCorners);

    double[] movingValues = new double[(int) moving.voxelCount()];
    for (int v = 0; v < movingValues.length; v++) {
      movingValues[v] = linear(gradient, constant, moving.indexToPhysical().apply(Fixtures.index(moving.size(), v)));
    }
    List<double[]> torch = runTorch(fixed, moving, theta, movingValues);
    double[] grid = torch.get(0);
    double[] sampled = torch.get(1);
    assertEquals(fixed.voxelCount() * d, grid.length);

    int inside = 0;
    for (int v = 0; v < fixed.voxelCount(); v++) {
      double[] x = fixed.indexToPhysical().apply(Fixtures.index(fixed.size(), v));
      double[] movingPoint = fixedToMoving.apply(x);
      double[] movingIndex = moving.physicalToIndex().apply(movingPoint);
      double[] expected = Fixtures.torchNormalised(movingIndex, moving.size(), alignCorners);
      double[] actual = Arrays.copyOfRange(grid, v * d, v * d + d);
      int voxel = v;
      assertTrue(Fixtures.maxAbsDifference(expected, actual) < 1e-9,
          () -> name + " voxel " + voxel + ": torch grid " + Arrays.toString(actual) + ", ours "
              + Arrays.toString(expected));
      if (insideWithMargin(movingIndex, moving.size())) {
        inside++;
        assertEquals(linear(gradient, constant, movingPoint), sampled[v], 1e-8,
            name + " voxel " + v + ": grid_sample vs the linear function at fixedToMoving(x)");
      }
    }
    assertTrue(inside >= fixed.voxelCount() / 4, name + ": only " + inside + " fixed voxels land inside the moving image");
  }

  private List<double[]> runTorch(Grid fixed, Grid moving, TorchAffineTheta theta, double[] movingValues)
      throws IOException, InterruptedException {
    StringBuilder in = new StringBuilder();
    in.append(fixed.dim()).append(' ').append(theta.alignCorners() ? 1 : 0).append('\n');
    for (int s : fixed.size()) {
      in.append(s).append(' ');
    }
    for (int s : moving.size()) {
      in.append(s).append(' ');
    }
    in.append('\n');
    for (double t : theta.rowMajor()) {
      in.append(t).append(' ');
    }
    in.append('\n');
    for (double m : movingValues) {
      in.append(m).append(' ');
    }
    Path input = dir.resolve("input.txt");
    Path script = dir.resolve("check_theta.py");
    Files.writeString(input, in);
    Files.writeString(script, SCRIPT);
    String out = Peers.run(List.of(Peers.PYTHON.toString(), script.toString(), input.toString()), dir);
    String[] lines = out.strip().split("\n");
    assertEquals(2, lines.length, out);
    return List.of(parse(lines[0]), parse(lines[1]));
  }

  /** Inside the moving voxel centres (where linear interpolation needs no padding), with a small margin. */
  private static boolean insideWithMargin(double[] index, int[] size) {
    for (int a = 0; a < index.length; a++) {
      if (size[a] > 1 && (index[a] < 1e-6 || index[a] > size[a] - 1 - 1e-6)) {
        return false;
      }
      if (size[a] == 1 && Math.abs(index[a]) > 1e-9) {
        return false;
      }
    }
    return true;
  }

  private static double linear(double[] gradient, double constant, double[] p) {
    double s = constant;
    for (int i = 0; i < p.length; i++) {
      s += gradient[i] * p[i];
    }
    return s;
  }

  private static double[] parse(String line) {
    return Arrays.stream(line.strip().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
  }
}
