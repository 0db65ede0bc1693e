package org.warpspark.qc;

import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.LinearCorners;

/**
 * One plane through the centre of a grid, seen in the patient's axes whatever the grid's direction
 * cosines: square pixels of one physical size (so anisotropic voxels keep their aspect ratio), values
 * sampled linearly at each pixel's physical point, NaN outside the grid. 3D grids give the axial (x
 * across, y down: anterior at the top), coronal (x across, z up) and sagittal (y across, z up) planes,
 * shown as radiologists read them (the patient's right on the left of the picture); a 2D grid gives
 * its own plane, x across and y down, as the image's rows run.
 */
public record PlaneView(Plane plane, int width, int height, double pixelMm, double[] corner) {
  /** Pictures stay under this many pixels along an edge: their pixel grows for big fields of view. */
  static final int MAX_EDGE = 512;

  /**
   * Which patient axes run across and down the picture, and the letters at its left, right, top and
   * bottom edges (LPS: x grows to the left of the patient, y to the back, z to the head).
   */
  public enum Plane {
    AXIAL(0, 1, +1, "RLAP"), CORONAL(0, 2, -1, "RLSI"), SAGITTAL(1, 2, -1, "APSI"), IMAGE(0, 1, +1, "");

    final int across;
    final int down;
    /** +1: the down axis grows down the picture; -1: it grows up. */
    final int downSign;
    final String edges;

    Plane(int across, int down, int downSign, String edges) {
      this.across = across;
      this.down = down;
      this.downSign = downSign;
      this.edges = edges;
    }

    /** The letter at the left, right, top or bottom edge (0 to 3), or none. */
    public String edge(int side) {
      return edges.isEmpty() ? "" : edges.substring(side, side + 1);
    }
  }

  /** The plane's view of {@code grid}: its physical extent, sampled at the grid's finest spacing. */
  public static PlaneView of(Grid grid, Plane plane) {
    double lo0 = Double.POSITIVE_INFINITY;
    double hi0 = Double.NEGATIVE_INFINITY;
    double lo1 = Double.POSITIVE_INFINITY;
    double hi1 = Double.NEGATIVE_INFINITY;
    int d = grid.dim();
    Affine toPhysical = grid.indexToPhysical();
    for (int c = 0; c < (1 << d); c++) {
      double[] index = new double[d];
      for (int a = 0; a < d; a++) {
        index[a] = ((c >> a) & 1) == 0 ? 0 : grid.size()[a] - 1;
      }
      double[] p = toPhysical.apply(index);
      lo0 = Math.min(lo0, p[plane.across]);
      hi0 = Math.max(hi0, p[plane.across]);
      lo1 = Math.min(lo1, p[plane.down]);
      hi1 = Math.max(hi1, p[plane.down]);
    }
    double pixel = Double.POSITIVE_INFINITY;
    for (double s : grid.spacing()) {
      pixel = Math.min(pixel, s);
    }
    pixel = Math.max(pixel, Math.max(hi0 - lo0, hi1 - lo1) / (MAX_EDGE - 1));
    int width = (int) Math.floor((hi0 - lo0) / pixel + 1e-9) + 1;
    int height = (int) Math.floor((hi1 - lo1) / pixel + 1e-9) + 1;
    double[] corner = grid.centre();
    corner[plane.across] = lo0;
    corner[plane.down] = plane.downSign > 0 ? lo1 : hi1;
    return new PlaneView(plane, width, height, pixel, corner);
  }

  /** The physical point (LPS mm) of pixel column {@code i}, row {@code j} (row 0 at the top). */
  public double[] point(int i, int j) {
    double[] p = corner.clone();
    p[plane.across] += i * pixelMm;
    p[plane.down] += plane.downSign * j * pixelMm;
    return p;
  }

  /** {@code voxels} on {@code grid} at every pixel, row by row from the top; NaN outside the grid. */
  public float[] sample(Grid grid, float[] voxels) {
    return sample(grid, voxels, false);
  }

  /** As {@link #sample(Grid, float[])}, the nearest voxel's value: labels stay labels. */
  public float[] sampleNearest(Grid grid, float[] voxels) {
    return sample(grid, voxels, true);
  }

  private float[] sample(Grid grid, float[] voxels, boolean nearest) {
    Affine toIndex = grid.physicalToIndex();
    LinearCorners corners = new LinearCorners(grid.size());
    float[] out = new float[width * height];
    for (int j = 0; j < height; j++) {
      for (int i = 0; i < width; i++) {
        double[] index = toIndex.apply(point(i, j));
        float v = Float.NaN;
        if (corners.reaches(index)) {
          corners.at(index);
          double s = 0;
          double heaviest = -1;
          for (int c = 0; c < corners.count(); c++) {
            if (!nearest) {
              s += corners.weight(c) * voxels[corners.flat(c)];
            } else if (corners.weight(c) > heaviest) {
              heaviest = corners.weight(c);
              s = voxels[corners.flat(c)];
            }
          }
          v = (float) s;
        }
        out[j * width + i] = v;
      }
    }
    return out;
  }
}
