package org.warpspark.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.warpspark.testing.CpuScopeTest;
import org.warpspark.torch.Autograd;

class LinearSamplerTest extends CpuScopeTest {
  /** Sizes per index axis; points away from integer coordinates so finite differences see one cell. */
  static double[] randomPoints(Random r, int[] size, int n, double margin) {
    double[] p = new double[n * size.length];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < size.length; a++) {
        double cell = Math.floor(-margin + r.nextDouble() * (size[a] - 1 + 2 * margin));
        p[i * size.length + a] = cell + 0.1 + 0.8 * r.nextDouble();
      }
    }
    return p;
  }

  static long[] tensorShape(int[] size) {
    long[] s = new long[size.length];
    for (int a = 0; a < size.length; a++) {
      s[a] = size[size.length - 1 - a];
    }
    return s;
  }

  static double[] randomImage(Random r, int[] size) {
    int n = 1;
    for (int s : size) {
      n *= s;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian();
    }
    return v;
  }

  /** Plain loops: the (bi/tri)linear formula with zero or border padding, as an oracle. */
  static double reference(double[] img, int[] size, double[] p, int offset, Padding padding) {
    int d = size.length;
    double sum = 0;
    for (int corner = 0; corner < (1 << d); corner++) {
      double w = 1;
      long flat = 0;
      long stride = 1;
      boolean valid = true;
      for (int a = 0; a < d; a++) {
        double c = p[offset + a];
        if (padding == Padding.BORDER) {
          c = Math.min(Math.max(c, 0), size[a] - 1);
        }
        double lower = Math.floor(c);
        int bit = (corner >> a) & 1;
        long idx = (long) lower + bit;
        w *= bit == 1 ? c - lower : 1 - (c - lower);
        if (idx < 0 || idx > size[a] - 1) {
          valid = padding == Padding.BORDER;
          idx = Math.min(Math.max(idx, 0), size[a] - 1);
        }
        flat += idx * stride;
        stride *= size[a];
      }
      if (valid) {
        sum += w * img[(int) flat];
      }
    }
    return sum;
  }

  @ParameterizedTest
  @CsvSource({"7,5,0,ZERO", "7,5,0,BORDER", "6,5,4,ZERO", "6,5,4,BORDER"})
  void matchesPlainLoopsInsideAndOutside(int nx, int ny, int nz, Padding padding) {
    int[] size = nz == 0 ? new int[] {nx, ny} : new int[] {nx, ny, nz};
    Random r = new Random(1);
    double[] img = randomImage(r, size);
    double[] pts = randomPoints(r, size, 200, 1.5);
    NDArray image = manager.create(img, new Shape(tensorShape(size)));
    NDArray points = manager.create(pts, new Shape(200, size.length));
    double[] got = LinearSampler.sample(image, points, padding).toDoubleArray();
    for (int i = 0; i < 200; i++) {
      assertEquals(reference(img, size, pts, i * size.length, padding), got[i], 1e-12, "point " + i);
    }
  }

  @ParameterizedTest
  @CsvSource({"7,5,0,ZERO", "6,5,4,ZERO", "6,5,4,BORDER"})
  void gradientsMatchCentralDifferences(int nx, int ny, int nz, Padding padding) {
    int[] size = nz == 0 ? new int[] {nx, ny} : new int[] {nx, ny, nz};
    int d = size.length;
    Random r = new Random(2);
    double[] img = randomImage(r, size);
    double[] pts = randomPoints(r, size, 40, padding == Padding.ZERO ? 0.9 : 0.0);
    double[] weights = randomImage(r, new int[] {40, 1});
    NDArray image = Autograd.leaf(manager.create(img, new Shape(tensorShape(size))));
    NDArray points = Autograd.leaf(manager.create(pts, new Shape(40, d)));
    NDArray w = manager.create(weights);
    NDArray loss = Autograd.recording(() -> LinearSampler.sample(image, points, padding).mul(w).sum());
    Autograd.backward(loss);
    double[] gradPoints = points.getGradient().toDoubleArray();
    double[] gradImage = image.getGradient().toDoubleArray();

    double h = 1e-6;
    for (int i = 0; i < pts.length; i++) {
      double[] plus = pts.clone();
      double[] minus = pts.clone();
      plus[i] += h;
      minus[i] -= h;
      double fd = (weighted(img, size, plus, weights, padding) - weighted(img, size, minus, weights, padding)) / (2 * h);
      assertEquals(fd, gradPoints[i], 1e-7, "d loss / d point coordinate " + i);
    }
    for (int v = 0; v < img.length; v++) {
      double[] plus = img.clone();
      plus[v] += 1;
      // The loss is linear in the image, so a unit step is the exact derivative.
      double fd = weighted(plus, size, pts, weights, padding) - weighted(img, size, pts, weights, padding);
      assertEquals(fd, gradImage[v], 1e-9, "d loss / d voxel " + v);
    }
    assertTrue(norm(gradPoints) > 0.1, "gradient to coordinates must not vanish");
  }

  @ParameterizedTest
  @CsvSource({"7,5,0", "6,5,4"})
  void nearestPicksTheClosestVoxelAndZeroOutside(int nx, int ny, int nz) {
    int[] size = nz == 0 ? new int[] {nx, ny} : new int[] {nx, ny, nz};
    int d = size.length;
    Random r = new Random(3);
    double[] img = randomImage(r, size);
    double[] pts = randomPoints(r, size, 100, 1.2);
    double[] got = LinearSampler.sampleNearest(manager.create(img, new Shape(tensorShape(size))),
        manager.create(pts, new Shape(100, d))).toDoubleArray();
    for (int i = 0; i < 100; i++) {
      long flat = 0;
      long stride = 1;
      boolean inside = true;
      for (int a = 0; a < d; a++) {
        long idx = Math.round(pts[i * d + a]);
        inside &= idx >= 0 && idx < size[a];
        flat += idx * stride;
        stride *= size[a];
      }
      assertEquals(inside ? img[(int) flat] : 0.0, got[i], 0.0, "point " + i);
    }
  }

  @ParameterizedTest
  @CsvSource({"7,5,0", "6,5,4"})
  void insideMaskFollowsTheVoxelCentres(int nx, int ny, int nz) {
    int[] size = nz == 0 ? new int[] {nx, ny} : new int[] {nx, ny, nz};
    int d = size.length;
    double[] pts = new double[d * 3];
    pts[d] = size[0] - 1; // exactly on the last centre: inside
    pts[2 * d] = -0.01; // just before the first centre: outside
    long[] s = new long[d];
    for (int a = 0; a < d; a++) {
      s[a] = size[a];
    }
    float[] mask = LinearSampler.inside(manager.create(pts, new Shape(3, d)), s, ai.djl.ndarray.types.DataType.FLOAT32)
        .toFloatArray();
    assertArrayEquals(new float[] {1, 1, 0}, mask);
  }

  private static double weighted(double[] img, int[] size, double[] pts, double[] w, Padding padding) {
    double s = 0;
    for (int i = 0; i < w.length; i++) {
      s += w[i] * reference(img, size, pts, i * size.length, padding);
    }
    return s;
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
