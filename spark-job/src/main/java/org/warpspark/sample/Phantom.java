package org.warpspark.sample;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.image.Image;

/**
 * A smooth synthetic object defined in physical space, for tests, benchmarks and sample data with
 * known ground truth: a soft ellipsoidal body plus asymmetric Gaussian blobs (so rotations are
 * identifiable). Because it is a function of position, a moving image for a known {@code fixedToMoving}
 * map is rendered exactly: {@code moving(y) = phantom(fixedToMoving^-1(y))}, with no resampling error.
 */
public final class Phantom {
  private final int dim;
  private final double[] centre;
  private final double[] radii;
  private final double[][] blobCentres;
  private final double[] blobSigmas;
  private final double[] blobAmplitudes;

  private Phantom(int dim, double[] centre, double[] radii, double[][] blobCentres, double[] blobSigmas,
      double[] blobAmplitudes) {
    this.dim = dim;
    this.centre = centre;
    this.radii = radii;
    this.blobCentres = blobCentres;
    this.blobSigmas = blobSigmas;
    this.blobAmplitudes = blobAmplitudes;
  }

  /** A phantom filling about the middle 70 % of {@code grid}, laid out by {@code seed}. */
  public static Phantom inside(Grid grid, long seed) {
    int d = grid.dim();
    Random random = new Random(seed);
    double[] centre = grid.centre();
    double[] radii = new double[d];
    double[] spacing = grid.spacing();
    int[] size = grid.size();
    double smallest = Double.POSITIVE_INFINITY;
    for (int a = 0; a < d; a++) {
      radii[a] = 0.35 * (size[a] - 1) * spacing[a];
      smallest = Math.min(smallest, radii[a]);
    }
    double[] direction = grid.direction();
    int blobs = 7;
    double[][] blobCentres = new double[blobs][];
    double[] sigmas = new double[blobs];
    double[] amplitudes = new double[blobs];
    for (int b = 0; b < blobs; b++) {
      double[] p = centre.clone();
      for (int a = 0; a < d; a++) {
        double offset = (random.nextDouble() * 1.2 - 0.6) * radii[a];
        for (int r = 0; r < d; r++) {
          p[r] += direction[r * d + a] * offset; // along the grid's own axes, so blobs stay inside
        }
      }
      blobCentres[b] = p;
      sigmas[b] = smallest * (0.12 + 0.18 * random.nextDouble());
      amplitudes[b] = (random.nextBoolean() ? 1 : -1) * (0.4 + 0.6 * random.nextDouble());
    }
    return new Phantom(d, centre, radii, blobCentres, sigmas, amplitudes);
  }

  /** Intensity at a physical point (mm, LPS). */
  public double valueAt(double[] p) {
    double r2 = 0;
    for (int a = 0; a < dim; a++) {
      double u = (p[a] - centre[a]) / radii[a];
      r2 += u * u;
    }
    double body = 1 / (1 + Math.exp((Math.sqrt(r2) - 1) * 12)); // soft edge a few voxels wide
    double v = body;
    for (int b = 0; b < blobCentres.length; b++) {
      double s2 = 0;
      for (int a = 0; a < dim; a++) {
        double u = p[a] - blobCentres[b][a];
        s2 += u * u;
      }
      v += body * blobAmplitudes[b] * Math.exp(-0.5 * s2 / (blobSigmas[b] * blobSigmas[b]));
    }
    return v;
  }

  /** The phantom sampled on {@code grid}. */
  public Image render(Grid grid) {
    return renderMoving(grid, Affine.identity(grid.dim()), DoubleUnaryOperator.identity());
  }

  /**
   * The moving image that {@code fixedToMoving} maps this (fixed-space) phantom onto, sampled on
   * {@code movingGrid}, with intensities passed through {@code intensityMap} (to mimic another modality).
   */
  public Image renderMoving(Grid movingGrid, Affine fixedToMoving, DoubleUnaryOperator intensityMap) {
    Affine movingToFixed = fixedToMoving.inverse();
    Affine indexToPhysical = movingGrid.indexToPhysical();
    int d = movingGrid.dim();
    float[] voxels = new float[Math.toIntExact(movingGrid.voxelCount())];
    double[] index = new double[d];
    for (int flat = 0; flat < voxels.length; flat++) {
      movingGrid.index(flat, index);
      double[] fixedPoint = movingToFixed.apply(indexToPhysical.apply(index));
      voxels[flat] = (float) intensityMap.applyAsDouble(valueAt(fixedPoint));
    }
    return Image.of(movingGrid, voxels);
  }
}
