package org.warpspark.engine.pyramid;

import org.warpspark.image.Image;
import org.warpspark.udfs.spatial.Grid;

/**
 * Coarse copies of an image for multi-resolution registration: Gaussian smoothing followed by keeping
 * every f-th voxel. Factors are physical: at level factor {@code f} an axis is shrunk by
 * {@code max(1, floor(f * minSpacing / spacing))}, so an anisotropic volume is not over-shrunk along
 * its thick axis; each shrunk axis is smoothed with sigma = half its factor (in voxels), as elastix's
 * default pyramids do. Decimation keeps voxel 0, so the origin and direction are unchanged and only
 * spacing and size change: the coarse grid lies exactly on fine voxel centres.
 */
public final class ImagePyramid {
  private ImagePyramid() {}

  /** The image at level factor {@code factor} (1 returns the image itself). */
  public static Image level(Image image, int factor) {
    if (factor < 1) {
      throw new IllegalArgumentException("pyramid factor must be >= 1, got " + factor);
    }
    Grid grid = image.grid();
    int[] axisFactors = axisFactors(grid, factor);
    float[] smoothed = image.voxels();
    for (int a = 0; a < grid.dim(); a++) {
      if (axisFactors[a] > 1) {
        smoothed = GaussianFilter.smoothAxis(smoothed, grid.size(), a, 0.5 * axisFactors[a]);
      }
    }
    return decimate(image.withVoxels(smoothed), axisFactors);
  }

  static int[] axisFactors(Grid grid, int factor) {
    double[] spacing = grid.spacing();
    double minSpacing = Double.POSITIVE_INFINITY;
    for (double s : spacing) {
      minSpacing = Math.min(minSpacing, s);
    }
    int[] f = new int[spacing.length];
    for (int a = 0; a < spacing.length; a++) {
      f[a] = Math.max(1, (int) Math.floor(factor * minSpacing / spacing[a] + 1e-9));
      f[a] = Math.min(f[a], Math.max(1, grid.size()[a] / 4)); // keep at least a few voxels per axis
    }
    return f;
  }

  private static Image decimate(Image image, int[] f) {
    Grid grid = image.grid();
    int d = grid.dim();
    int[] size = grid.size();
    int[] out = new int[d];
    double[] spacing = grid.spacing();
    for (int a = 0; a < d; a++) {
      out[a] = (size[a] - 1) / f[a] + 1;
      spacing[a] *= f[a];
    }
    int nz = d == 3 ? out[2] : 1;
    float[] src = image.voxels();
    float[] dst = new float[out[0] * out[1] * nz];
    int i = 0;
    for (int z = 0; z < nz; z++) {
      long zOffset = d == 3 ? (long) z * f[2] * size[0] * size[1] : 0;
      for (int y = 0; y < out[1]; y++) {
        long row = zOffset + (long) y * f[1] * size[0];
        for (int x = 0; x < out[0]; x++) {
          dst[i++] = src[(int) (row + (long) x * f[0])];
        }
      }
    }
    Grid coarse = new Grid(out, spacing, grid.origin(), grid.direction());
    return new Image(coarse, dst, image.storedAs());
  }
}
