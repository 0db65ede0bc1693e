package org.warpspark.engine.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.warpspark.testing.DebianPython;
import org.warpspark.torch.NativeScope;

/**
 * Our sampler against PyTorch's own {@code grid_sample}, an independent implementation. Our voxel
 * index {@code i} on an axis of {@code n} voxels is PyTorch's normalised {@code 2 i / (n - 1) - 1}
 * with {@code align_corners=True}; the grid's last dimension is ordered (x, y, z) = index axes (0, 1, 2).
 */
class LinearSamplerTorchTest {
  private static final String SCRIPT = """
      import sys, torch
      import torch.nn.functional as F
      lines = sys.stdin.read().split('\\n')
      size = [int(v) for v in lines[0].split()]
      padding = lines[1].strip()
      img = torch.tensor([float(v) for v in lines[2].split()], dtype=torch.float64)
      pts = torch.tensor([float(v) for v in lines[3].split()], dtype=torch.float64).reshape(-1, len(size))
      img = img.reshape([1, 1] + size[::-1])
      norm = torch.stack([2 * pts[:, a] / (size[a] - 1) - 1 for a in range(len(size))], 1)
      grid = norm.reshape([1] * len(size) + [-1, len(size)])
      out = F.grid_sample(img, grid, mode='bilinear', padding_mode=padding, align_corners=True)
      print(' '.join(repr(v) for v in out.reshape(-1).tolist()))
      """;

  @BeforeAll
  static void needsTorch() {
    assumeTrue(DebianPython.hasModule("torch"), "Debian python3-torch is not installed");
  }

  @ParameterizedTest
  @CsvSource({"9,7,0,ZERO", "9,7,0,BORDER", "8,6,5,ZERO", "8,6,5,BORDER"})
  void agreesWithTorchGridSample(int nx, int ny, int nz, Padding padding) {
    int[] size = nz == 0 ? new int[] {nx, ny} : new int[] {nx, ny, nz};
    Random r = new Random(7);
    double[] img = LinearSamplerTest.randomImage(r, size);
    double[] pts = LinearSamplerTest.randomPoints(r, size, 300, 2.0);
    String input = join(size) + "\n" + (padding == Padding.ZERO ? "zeros" : "border") + "\n" + join(img) + "\n" + join(pts) + "\n";
    double[] expected = Arrays.stream(DebianPython.run(SCRIPT, input).trim().split(" "))
        .mapToDouble(Double::parseDouble).toArray();
    double[] got;
    try (NDManager manager = NativeScope.openCpu()) {
      got = LinearSampler.sample(manager.create(img, new Shape(LinearSamplerTest.tensorShape(size))),
          manager.create(pts, new Shape(300, size.length)), padding).toDoubleArray();
    }
    assertEquals(300, expected.length);
    for (int i = 0; i < 300; i++) {
      assertEquals(expected[i], got[i], 1e-10, "point " + i);
    }
  }

  private static String join(double[] v) {
    return Arrays.stream(v).mapToObj(Double::toString).collect(Collectors.joining(" "));
  }

  private static String join(int[] v) {
    return Arrays.stream(v).mapToObj(Integer::toString).collect(Collectors.joining(" "));
  }
}
