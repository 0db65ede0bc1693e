package org.warpspark.udfs.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rows' shares add up to the whole field's value, as ITK evaluates it, in 3D and 2D, inside and out. */
class FieldRowsTest {
  @Test
  void sharesAddUpToTheField() {
    Random random = new Random(6);
    for (Grid grid : new Grid[] {Fixtures.fixed3D(), Fixtures.fixed2D()}) {
      int d = grid.dim();
      float[][] u = new float[d][(int) grid.voxelCount()];
      for (float[] c : u) {
        for (int i = 0; i < c.length; i++) {
          c[i] = (float) random.nextGaussian();
        }
      }
      DisplacementField field = new DisplacementField(grid, u);
      int rows = d == 3 ? grid.size()[2] : 1;
      int perRow = (int) grid.voxelCount() / rows;
      for (int n = 0; n < 300; n++) {
        double[] index = new double[d];
        for (int a = 0; a < d; a++) {
          index[a] = -1.2 + (grid.size()[a] + 1.4) * random.nextDouble();
        }
        double[] p = grid.indexToPhysical().apply(index);
        double[] sum = new double[d];
        for (int r = 0; r < rows; r++) {
          float[][] row = new float[d][];
          for (int a = 0; a < d; a++) {
            row[a] = Arrays.copyOfRange(u[a], r * perRow, (r + 1) * perRow);
          }
          double[] share = FieldRows.share(p, r, grid, row);
          for (int a = 0; a < d; a++) {
            sum[a] += share[a];
          }
        }
        double[] whole = new double[d];
        field.atAsItk(p, grid.physicalToIndex(), whole);
        assertArrayEquals(whole, sum, 1e-9, d + "D point " + n + " at index " + Arrays.toString(index));
      }
    }
  }
}
