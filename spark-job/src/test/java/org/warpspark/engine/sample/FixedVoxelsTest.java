package org.warpspark.engine.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.warpspark.image.Image;
import org.warpspark.udfs.spatial.Grid;

class FixedVoxelsTest {
  /** A linear ramp, which linear interpolation reproduces exactly anywhere inside the image. */
  private static Image ramp(int nx, int ny, int nz) {
    Grid grid = Grid.of(new int[] {nx, ny, nz}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
    float[] v = new float[nx * ny * nz];
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          v[x + nx * (y + ny * z)] = 3 * x - 2 * y + 5 * z + 1;
        }
      }
    }
    return Image.of(grid, v);
  }

  @Test
  void jitteredSamplesStayWithinHalfAVoxelAndCarryTheInterpolatedValue() {
    Image image = ramp(7, 6, 5);
    FixedVoxels.Draw draw = new FixedVoxels(image, null).random(500, new SplittableRandom(3), true);
    int offCentre = 0;
    for (int s = 0; s < draw.count(); s++) {
      float x = draw.points()[s * 4];
      float y = draw.points()[s * 4 + 1];
      float z = draw.points()[s * 4 + 2];
      assertEquals(1f, draw.points()[s * 4 + 3]);
      assertTrue(x >= 0 && x <= 6 && y >= 0 && y <= 5 && z >= 0 && z <= 4, "inside the image");
      assertEquals(3 * x - 2 * y + 5 * z + 1, draw.values()[s], 1e-4, "interpolated value of sample " + s);
      offCentre += x != Math.rint(x) ? 1 : 0;
    }
    assertTrue(offCentre > 400, "jittered points leave the voxel centres: " + offCentre);
  }

  @Test
  void centredSamplesAreVoxelsOfTheMask() {
    Image image = ramp(7, 6, 5);
    float[] mask = new float[image.voxels().length];
    mask[3 + 7 * (2 + 6 * 1)] = 1;
    FixedVoxels.Draw draw = new FixedVoxels(image, image.withVoxels(mask)).random(50, new SplittableRandom(1), false);
    for (int s = 0; s < draw.count(); s++) {
      assertEquals(3f, draw.points()[s * 4]);
      assertEquals(2f, draw.points()[s * 4 + 1]);
      assertEquals(1f, draw.points()[s * 4 + 2]);
      assertEquals(3 * 3 - 2 * 2 + 5 + 1, draw.values()[s], 0);
    }
  }

  @Test
  void jitteredSamplesInterpolateTwoDimensionalImagesToo() {
    Grid grid = Grid.of(new int[] {40, 30}, new double[] {0.5, 2}, new double[] {3, -4});
    float[] v = new float[40 * 30];
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        v[x + 40 * y] = 0.5f * x + 4 * y - 7;
      }
    }
    FixedVoxels.Draw draw = new FixedVoxels(Image.of(grid, v), null).random(300, new SplittableRandom(9), true);
    for (int s = 0; s < draw.count(); s++) {
      float x = draw.points()[s * 3];
      float y = draw.points()[s * 3 + 1];
      assertEquals(1f, draw.points()[s * 3 + 2]);
      assertEquals(0.5 * x + 4 * y - 7, draw.values()[s], 1e-4, "sample " + s);
    }
  }
}
