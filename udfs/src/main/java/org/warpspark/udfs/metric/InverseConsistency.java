package org.warpspark.udfs.metric;

import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/**
 * How far a registration and its reverse are from being each other's inverse: for every fixed voxel
 * centre {@code x}, {@code |T_mf(T_fm(x)) - x|} in mm, where {@code T_fm(x) = x + u(x)} is sampled on
 * the fixed grid and {@code T_mf(y) = y + v(y)} on the moving grid (linear between its voxel centres).
 * Voxels that {@code T_fm} sends outside the moving grid are not counted.
 *
 * @param meanMm mean over the counted voxels
 * @param maxMm largest over the counted voxels
 * @param counted fraction of the fixed voxels counted
 */
public record InverseConsistency(double meanMm, double maxMm, double counted) {

  public static InverseConsistency of(DisplacementField fixedToMoving, DisplacementField movingToFixed) {
    Grid fixed = fixedToMoving.grid();
    int d = fixed.dim();
    if (movingToFixed.dim() != d) {
      throw new IllegalArgumentException("a " + d + "D forward field and a " + movingToFixed.dim()
          + "D reverse field do not compose");
    }
    Affine indexToPhysical = fixed.indexToPhysical();
    Affine movingPhysicalToIndex = movingToFixed.grid().physicalToIndex();
    int n = Math.toIntExact(fixed.voxelCount());
    double[] index = new double[d];
    double[] y = new double[d];
    double[] v = new double[d];
    double sum = 0;
    double max = 0;
    long counted = 0;
    for (int flat = 0; flat < n; flat++) {
      fixed.index(flat, index);
      double[] x = indexToPhysical.apply(index);
      for (int a = 0; a < d; a++) {
        y[a] = x[a] + fixedToMoving.components()[a][flat];
      }
      if (!movingToFixed.at(y, movingPhysicalToIndex, v)) {
        continue;
      }
      double e2 = 0;
      for (int a = 0; a < d; a++) {
        double e = y[a] + v[a] - x[a];
        e2 += e * e;
      }
      double e = Math.sqrt(e2);
      sum += e;
      max = Math.max(max, e);
      counted++;
    }
    return new InverseConsistency(counted == 0 ? Double.NaN : sum / counted, max, (double) counted / n);
  }
}
