package org.warpspark.pair;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.engine.InvalidPairException;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.ReadLimits;
import org.warpspark.udfs.spatial.Grid;

/**
 * What a pair cannot be registered or measured with is refused with the file named: a constant image,
 * and masks or label maps off their image's grid (shifted, or another shape with the same voxel count).
 */
class PairInputChecksTest {
  private static final Grid GRID = Grid.of(new int[] {8, 6}, new double[] {1, 1}, new double[] {0, 0});

  @TempDir
  Path dir;

  @Test
  void aConstantImageIsRefused() {
    String constant = write("blank.nii.gz", GRID, 0);
    InvalidPairException e = assertThrows(InvalidPairException.class,
        () -> read(pair(write("f.nii.gz", GRID, 1), constant, null)));
    assertTrue(e.getMessage().contains("moving image") && e.getMessage().contains("blank.nii.gz")
        && e.getMessage().contains("constant"), e.getMessage());
  }

  @Test
  void labelsAndMasksMustLieOnTheirImagesGrid() {
    String fixed = write("f.nii.gz", GRID, 1);
    String moving = write("m.nii.gz", GRID, 1);
    assertNotNull(read(pair(fixed, moving, write("ok_labels.nii.gz", GRID, 1))).fixedLabels());
    Grid shifted = Grid.of(new int[] {8, 6}, new double[] {1, 1}, new double[] {20, 0});
    Grid reshaped = Grid.of(new int[] {6, 8}, new double[] {1, 1}, new double[] {0, 0});
    for (Grid other : new Grid[] {shifted, reshaped}) {
      String labels = write("labels_" + other.size()[0] + "_" + (int) other.origin()[0] + ".nii.gz", other, 1);
      InvalidPairException e = assertThrows(InvalidPairException.class, () -> read(pair(fixed, moving, labels)));
      assertTrue(e.getMessage().contains("fixed label map") && e.getMessage().contains(labels)
          && e.getMessage().contains("does not lie on its image's grid"), e.getMessage());
      PairSpec masked = new PairSpec("p", fixed, moving, null, null, labels, Map.of());
      assertTrue(assertThrows(InvalidPairException.class, () -> read(masked)).getMessage().contains("fixed mask"));
    }
  }

  private static PairSpec pair(String fixed, String moving, String fixedLabels) {
    return new PairSpec("p", fixed, moving, fixedLabels, fixedLabels == null ? null : fixedLabels, null, Map.of());
  }

  private static PairImages read(PairSpec spec) {
    return PairImages.read(spec, new Configuration(), ReadLimits.DEFAULT);
  }

  /** An image on {@code grid}: a ramp scaled by {@code gain} (0: constant). */
  private String write(String name, Grid grid, float gain) {
    float[] v = new float[(int) grid.voxelCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = gain * (i % 5);
    }
    String path = dir.resolve(name).toString();
    ImageFiles.write(Image.of(grid, v), path);
    return path;
  }
}
