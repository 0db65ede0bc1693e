package org.warpspark.udfs.metric;

import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.Linear;

/**
 * How plausible a deformation is, from the Jacobian determinant of its map {@code T(x) = x + u(x)}:
 * {@code det <= 0} means the map folds there; the standard deviation of {@code log det} (SDlogJ)
 * measures how unevenly it compresses and expands. Derivatives are central differences in index
 * space (one-sided at the border), turned into physical ones with the grid's index-to-physical matrix.
 *
 * @param foldingFraction fraction of voxels with {@code det <= 0}
 * @param sdLogJacobian standard deviation of {@code log det} over voxels with {@code det > 0}
 */
public record JacobianStatistics(double foldingFraction, double sdLogJacobian, double min, double max, double mean) {

  public static JacobianStatistics of(DisplacementField field) {
    double[] determinants = determinants(field);
    int n = determinants.length;
    long folded = 0;
    double sum = 0;
    double sumLog = 0;
    double sumLog2 = 0;
    long positive = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double det : determinants) {
      sum += det;
      min = Math.min(min, det);
      max = Math.max(max, det);
      if (det <= 0) {
        folded++;
      } else {
        double log = Math.log(det);
        sumLog += log;
        sumLog2 += log * log;
        positive++;
      }
    }
    double meanLog = positive == 0 ? 0 : sumLog / positive;
    double sd = positive == 0 ? Double.NaN : Math.sqrt(Math.max(0, sumLog2 / positive - meanLog * meanLog));
    return new JacobianStatistics((double) folded / n, sd, min, max, sum / n);
  }

  /** {@code det(I + du/dx)} at every voxel of the field's grid (memory order), the map's local volume change. */
  public static double[] determinants(DisplacementField field) {
    Grid grid = field.grid();
    int d = grid.dim();
    int[] size = grid.size();
    // du/dx = du/di . (D diag(spacing))^-1: the index-space derivative times the inverse linear part.
    double[] physicalToIndex = grid.indexToPhysical().inverse().linear();
    int n = Math.toIntExact(grid.voxelCount());
    double[] determinants = new double[n];
    int[] index = new int[d];
    double[] jacobian = new double[d * d];
    for (int flat = 0; flat < n; flat++) {
      int rest = flat;
      for (int a = 0; a < d; a++) {
        index[a] = rest % size[a];
        rest /= size[a];
      }
      determinants[flat] = determinant(field, size, index, flat, physicalToIndex, jacobian);
    }
    return determinants;
  }

  /** det(I + du/dx) at one voxel; {@code jacobian} is scratch space. */
  private static double determinant(DisplacementField field, int[] size, int[] index, int flat, double[] physicalToIndex,
      double[] jacobian) {
    int d = size.length;
    double[] dIndex = new double[d * d]; // dIndex[c * d + k] = d u_c / d i_k
    int stride = 1;
    for (int k = 0; k < d; k++) {
      int i = index[k];
      int lo = i > 0 ? flat - stride : flat;
      int hi = i < size[k] - 1 ? flat + stride : flat;
      double steps = (i > 0 ? 1 : 0) + (i < size[k] - 1 ? 1 : 0);
      for (int c = 0; c < d; c++) {
        float[] u = field.components()[c];
        dIndex[c * d + k] = steps == 0 ? 0 : (u[hi] - u[lo]) / steps;
      }
      stride *= size[k];
    }
    for (int c = 0; c < d; c++) {
      for (int x = 0; x < d; x++) {
        double s = c == x ? 1 : 0;
        for (int k = 0; k < d; k++) {
          s += dIndex[c * d + k] * physicalToIndex[k * d + x];
        }
        jacobian[c * d + x] = s;
      }
    }
    return Linear.determinant(jacobian, d);
  }
}
