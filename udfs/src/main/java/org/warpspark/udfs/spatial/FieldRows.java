package org.warpspark.udfs.spatial;

/**
 * A displacement field stored a row at a time, as the {@code flow_fields} table stores it (3D: one row
 * per slice along z; 2D: the whole field in row 0): each row's share of {@code u(p)}, such that the
 * shares of all rows add up to the field's {@code u(p)} as ITK's {@code DisplacementFieldTransform}
 * evaluates it ({@link DisplacementField#atAsItk}: linear between voxel centres, the border voxels'
 * value within half a voxel beyond them, no displacement farther out). A row contributes through the
 * 2^d corners of {@code p} that lie in it.
 */
public final class FieldRows {
  private FieldRows() {}

  /**
   * Row {@code row}'s share of {@code u(point)} (LPS mm) for a field on {@code grid}, the row's
   * components {@code rowComponents[axis][voxel]} (index x fastest within the row).
   */
  public static double[] share(double[] point, int row, Grid grid, float[][] rowComponents) {
    int d = grid.dim();
    int[] size = grid.size();
    int rows = d == 3 ? size[2] : 1;
    long rowVoxels = grid.voxelCount() / rows;
    if (row < 0 || row >= rows) {
      throw new IllegalArgumentException("row " + row + " is outside the field's " + rows + " rows");
    }
    for (float[] c : rowComponents) {
      if (c.length != rowVoxels) {
        throw new IllegalArgumentException("a row of this field holds " + rowVoxels + " voxels, got " + c.length);
      }
    }
    double[] share = new double[d];
    double[] index = grid.physicalToIndex().apply(point);
    LinearCorners corners = new LinearCorners(size);
    if (!corners.reaches(index)) {
      return share;
    }
    corners.at(index);
    for (int k = 0; k < corners.count(); k++) {
      long flat = corners.flat(k);
      double w = corners.weight(k);
      if (w != 0 && flat / rowVoxels == row) {
        int inRow = (int) (flat % rowVoxels);
        for (int a = 0; a < d; a++) {
          share[a] += w * rowComponents[a][inRow];
        }
      }
    }
    return share;
  }
}
