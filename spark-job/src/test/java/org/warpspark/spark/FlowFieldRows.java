package org.warpspark.spark;

import java.util.List;
import org.apache.spark.sql.Row;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.table.FlowFields;

/** Reads a 2D flow_fields row back into its grid and map, as a user of the table would. */
final class FlowFieldRows {
  private FlowFieldRows() {}

  /** Mean distance (mm) between {@code x + u(x)} and {@code truth(x)} over the central half of the grid. */
  static double meanErrorMm(Row row, Affine truth) {
    int[] size = row.<Integer>getList(row.fieldIndex(FlowFields.SIZE)).stream().mapToInt(Integer::intValue).toArray();
    Grid grid = new Grid(size, doubles(row, FlowFields.SPACING), doubles(row, FlowFields.ORIGIN), doubles(row, FlowFields.DIRECTION));
    List<Float> ux = row.getList(row.fieldIndex(FlowFields.U_X));
    List<Float> uy = row.getList(row.fieldIndex(FlowFields.U_Y));
    double sum = 0;
    int n = 0;
    for (int j = size[1] / 4; j < 3 * size[1] / 4; j++) {
      for (int i = size[0] / 4; i < 3 * size[0] / 4; i++) {
        int flat = i + size[0] * j;
        double[] x = grid.indexToPhysical().apply(new double[] {i, j});
        double[] t = truth.apply(x);
        sum += Math.hypot(x[0] + ux.get(flat) - t[0], x[1] + uy.get(flat) - t[1]);
        n++;
      }
    }
    return sum / n;
  }

  private static double[] doubles(Row row, String column) {
    return row.<Double>getList(row.fieldIndex(column)).stream().mapToDouble(Double::doubleValue).toArray();
  }
}
