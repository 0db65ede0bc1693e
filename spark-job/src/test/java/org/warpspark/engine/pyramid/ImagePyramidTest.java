package org.warpspark.engine.pyramid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.warpspark.image.Image;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

class ImagePyramidTest {
  private static final double[] ROTATED = {0.6, -0.8, 0, 0.8, 0.6, 0, 0, 0, 1};

  @Test
  void coarseGridLiesOnFineVoxelCentres() {
    Grid fine = new Grid(new int[] {17, 12, 9}, new double[] {1.0, 1.0, 3.0}, new double[] {-5, 7, 2}, ROTATED);
    Image coarse = ImagePyramid.level(Image.of(fine, new float[Math.toIntExact(fine.voxelCount())]), 2);
    // The thick z axis (3 mm) is not shrunk at factor 2; x and y keep every second voxel.
    assertArrayEquals(new int[] {9, 6, 9}, coarse.grid().size());
    assertArrayEquals(new double[] {2.0, 2.0, 3.0}, coarse.grid().spacing(), 0);
    Affine fineIndexToPhysical = fine.indexToPhysical();
    double[] coarsePoint = coarse.grid().indexToPhysical().apply(new double[] {3, 5, 4});
    assertArrayEquals(fineIndexToPhysical.apply(new double[] {6, 10, 4}), coarsePoint, 1e-12);
  }

  @Test
  void smoothingKeepsConstantsAndMeanOfLinearRamps() {
    Grid fine = Grid.of(new int[] {33, 21}, new double[] {1, 1}, new double[] {0, 0});
    float[] ramp = new float[33 * 21];
    for (int y = 0; y < 21; y++) {
      for (int x = 0; x < 33; x++) {
        ramp[x + 33 * y] = 2 * x - y + 5;
      }
    }
    Image coarse = ImagePyramid.level(Image.of(fine, ramp), 4);
    // A symmetric kernel leaves a linear function unchanged away from the border (edges repeat).
    int cx = 3;
    int cy = 2;
    assertEquals(2 * (4 * cx) - 4 * cy + 5, coarse.voxels()[cx + coarse.grid().size()[0] * cy], 1e-4);
  }

  @Test
  void levelOneIsTheImageItself() {
    Grid fine = Grid.of(new int[] {5, 4}, new double[] {1, 1}, new double[] {0, 0});
    float[] v = new float[20];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * i;
    }
    Image same = ImagePyramid.level(Image.of(fine, v), 1);
    assertArrayEquals(v, same.voxels(), 0f);
    assertEquals(fine, same.grid());
  }
}
