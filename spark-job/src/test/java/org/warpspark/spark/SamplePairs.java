package org.warpspark.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.sample.Phantom;
import org.warpspark.image.PixelType;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.MotionParameters;

/**
 * Small pairs with known rigid motion on awkward grids, plus bad ones (a missing file, a truncated file,
 * a 2D image against a 3D one, images over the pair's voxel limit, an optimiser that diverges to a NaN
 * loss), and a CSV manifest over them with relative paths.
 */
public final class SamplePairs {
  private static final double C = Math.cos(Math.toRadians(10));
  private static final double S = Math.sin(Math.toRadians(10));
  static final Grid GRID_2D = new Grid(new int[] {72, 64}, new double[] {1.0, 1.1}, new double[] {-30, -35},
      new double[] {C, -S, S, C});
  static final Grid GRID_3D = new Grid(new int[] {36, 32, 28}, new double[] {1.2, 1.0, 1.4},
      new double[] {-20, -15, -18}, new double[] {C, -S, 0, S, C, 0, 0, 0, 1});

  /** The true fixed-to-moving maps of the good pairs, by pair id. */
  public final Map<String, Affine> truths = new LinkedHashMap<>();
  public final Path manifest;

  private SamplePairs(Path manifest) {
    this.manifest = manifest;
  }

  /** Writes the pairs and {@code manifest.csv} into {@code dir}. */
  public static SamplePairs write(Path dir) throws IOException {
    SamplePairs pairs = new SamplePairs(dir.resolve("manifest.csv"));
    pairs.writePair(dir, "sample_2d", GRID_2D, new double[] {3.0, -2.0}, new double[] {0.08});
    pairs.writePair(dir, "sample_3d", GRID_3D, new double[] {2.0, -1.5, 1.0}, new double[] {0.03, -0.02, 0.05});
    Files.copy(dir.resolve("sample_2d_fixed.nii.gz"), dir.resolve("truncated_fixed.nii.gz"));
    byte[] whole = Files.readAllBytes(dir.resolve("sample_2d_moving.nii.gz"));
    Files.write(dir.resolve("truncated_moving.nii.gz"), Arrays.copyOf(whole, whole.length / 3));
    Files.writeString(pairs.manifest, """
        pair_id,fixed,moving,fixed_labels,moving_labels,overrides
        sample_2d,sample_2d_fixed.nii.gz,sample_2d_moving.nii.gz,sample_2d_fixed_labels.nii.gz,sample_2d_moving_labels.nii.gz,
        sample_3d,sample_3d_fixed.nii.gz,sample_3d_moving.nii.gz,,,stages=affine;model=rigid
        missing,sample_2d_fixed.nii.gz,nowhere.nii.gz,,,
        truncated,truncated_fixed.nii.gz,truncated_moving.nii.gz,,,
        mismatched,sample_2d_fixed.nii.gz,sample_3d_moving.nii.gz,,,
        too_large,sample_2d_fixed.nii.gz,sample_2d_moving.nii.gz,,,max-voxels=100
        diverging,sample_2d_fixed.nii.gz,sample_2d_moving.nii.gz,,,learning-rate=1e30
        """);
    return pairs;
  }

  static Grid gridOf(String pairId) {
    return pairId.endsWith("3d") ? GRID_3D : GRID_2D;
  }

  private void writePair(Path dir, String id, Grid grid, double[] translation, double[] angles) {
    Affine truth = MotionParameters.rigid(translation, angles).toAffine(grid.centre());
    truths.put(id, truth);
    Phantom phantom = Phantom.inside(grid, 5);
    Image fixed = phantom.render(grid);
    Image moving = phantom.renderMoving(grid, truth, DoubleUnaryOperator.identity());
    ImageFiles.write(fixed, dir.resolve(id + "_fixed.nii.gz").toString());
    ImageFiles.write(moving, dir.resolve(id + "_moving.nii.gz").toString());
    ImageFiles.write(labels(fixed), dir.resolve(id + "_fixed_labels.nii.gz").toString());
    ImageFiles.write(labels(moving), dir.resolve(id + "_moving_labels.nii.gz").toString());
  }

  private static Image labels(Image image) {
    float[] l = new float[image.voxels().length];
    for (int i = 0; i < l.length; i++) {
      l[i] = image.voxels()[i] > 1.2f ? 2 : image.voxels()[i] > 0.5f ? 1 : 0;
    }
    return new Image(image.grid(), l, PixelType.UINT8);
  }
}
