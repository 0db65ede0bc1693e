package org.warpspark.sample;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.image.Image;

/**
 * A known smooth fixed-to-moving map for tests and benchmarks: an affine part plus a swirl of up to
 * {@code amplitude} mm in a Gaussian envelope of {@code radius} mm about {@code centre}, and the images
 * seen through it. The map is LPS mm, fixed to moving, as everywhere in the project.
 */
public record KnownDeformation(Affine affine, double[] centre, double radius, double amplitude)
    implements UnaryOperator<double[]> {

  @Override
  public double[] apply(double[] x) {
    double[] y = affine.apply(x);
    double dx = (x[0] - centre[0]) / radius;
    double dy = (x[1] - centre[1]) / radius;
    double dz = x.length == 3 ? (x[2] - centre[2]) / radius : 0;
    double bump = Math.exp(-0.5 * (dx * dx + dy * dy + dz * dz));
    y[0] += amplitude * bump * Math.sin(1.5 * dy);
    y[1] -= amplitude * bump * Math.sin(1.5 * dx);
    if (x.length == 3) {
      y[2] += 0.6 * amplitude * bump * Math.sin(1.5 * dx);
    }
    return y;
  }

  /**
   * The phantom plus a low-frequency pattern (wavelength ~15 mm, well above the displacements), so
   * every region has texture: in a flat region no method can see motion along it.
   */
  public static double texturedScene(Phantom phantom, double[] x) {
    double pattern = Math.sin(0.4 * x[0] + 0.5) * Math.sin(0.45 * x[1]);
    return phantom.valueAt(x) + 0.3 * (x.length == 3 ? pattern * Math.cos(0.35 * x[2]) + 0.2 * Math.sin(0.5 * x[2])
        : pattern);
  }

  /** The textured phantom on {@code grid}: a fixed image. */
  public static Image fixedImage(Phantom phantom, Grid grid) {
    return render(phantom, grid, x -> x, v -> v);
  }

  /** {@code moving(y) = remap(scene(T^-1(y)))} on {@code grid}: the image this map registers to the fixed one. */
  public Image movingImage(Phantom phantom, Grid grid, DoubleUnaryOperator remap) {
    return render(phantom, grid, this, remap);
  }

  /** Inverts {@code t} per voxel by fixed-point iteration, which converges for maps whose displacement is a contraction. */
  private static Image render(Phantom phantom, Grid grid, UnaryOperator<double[]> t, DoubleUnaryOperator remap) {
    float[] v = new float[Math.toIntExact(grid.voxelCount())];
    double[] index = new double[grid.dim()];
    Affine indexToPhysical = grid.indexToPhysical();
    for (int flat = 0; flat < v.length; flat++) {
      grid.index(flat, index);
      double[] y = indexToPhysical.apply(index);
      double[] x = y.clone();
      for (int k = 0; k < 60; k++) {
        double[] tx = t.apply(x);
        double change = 0;
        for (int a = 0; a < x.length; a++) {
          x[a] += y[a] - tx[a];
          change = Math.max(change, Math.abs(y[a] - tx[a]));
        }
        if (change < 1e-7) {
          break;
        }
      }
      v[flat] = (float) remap.applyAsDouble(texturedScene(phantom, x));
    }
    return Image.of(grid, v);
  }
}
