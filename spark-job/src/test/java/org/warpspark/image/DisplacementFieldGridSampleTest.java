package org.warpspark.image;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.engine.sample.Warper;
import org.warpspark.testing.DebianPython;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.FixedToMoving;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.MotionParameters;

/**
 * The recipe of docs/CONVENTIONS.md ("Our fields in PyTorch's grid_sample"), read from the document and
 * run in Debian's PyTorch on our NIfTI files, gives our warped image, for both {@code align_corners}
 * conventions.
 */
class DisplacementFieldGridSampleTest {
  /** The recipe as docs/CONVENTIONS.md shows it (its one python block); argv: moving, field, output, align_corners. */
  private static String recipe() throws java.io.IOException {
    String doc = java.nio.file.Files.readString(Path.of("../docs/CONVENTIONS.md"));
    int start = doc.indexOf("```python\n");
    return doc.substring(start + "```python\n".length(), doc.indexOf("```", start + 3));
  }

  @TempDir
  Path dir;

  @Test
  void theRecipeReproducesOurWarp() throws Exception {
    assumeTrue(DebianPython.hasModule("torch") && DebianPython.hasModule("nibabel"),
        "Debian's python3-torch and python3-nibabel are not installed");
    Grid movingGrid = new Grid(new int[] {20, 18, 16}, new double[] {1.3, 1.1, 1.7}, new double[] {-12, -10, -13},
        rotation(0.3));
    Grid fixedGrid = new Grid(new int[] {22, 20, 14}, new double[] {1.2, 1.0, 1.9}, new double[] {-13, -9, -12},
        rotation(-0.2));
    float[] values = new float[(int) movingGrid.voxelCount()];
    double[] index = new double[3];
    for (int v = 0; v < values.length; v++) {
      movingGrid.index(v, index);
      double[] p = movingGrid.indexToPhysical().apply(index);
      values[v] = (float) (100 + 40 * Math.sin(p[0] / 4) * Math.cos(p[1] / 5) + 20 * Math.sin(p[2] / 3));
    }
    float[][] u = new float[3][(int) fixedGrid.voxelCount()];
    for (int v = 0; v < u[0].length; v++) {
      fixedGrid.index(v, index);
      double[] p = fixedGrid.indexToPhysical().apply(index);
      for (int c = 0; c < 3; c++) {
        u[c][v] = (float) (1.5 + 2 * Math.sin(p[(c + 1) % 3] / 6 + c));
      }
    }
    Path moving = dir.resolve("moving.nii.gz");
    Path field = dir.resolve("displacement.nii.gz");
    Configuration conf = new Configuration();
    ImageFiles.write(new Image(movingGrid, values, PixelType.FLOAT32), moving.toString());
    ImageFiles.writeDisplacementField(new DisplacementField(fixedGrid, u), field.toString(), conf);

    // Ours, from the files as stored (their float32 geometry), as the pipeline warps a moving image.
    Image stored = ImageFiles.read(moving.toString());
    DisplacementField storedField = ImageFiles.readDisplacementField(field.toString(), conf, ReadLimits.DEFAULT);
    Image ours;
    try (NDManager manager = NDManager.newBaseManager()) {
      ours = Warper.warp(stored, storedField.grid(), new FixedToMoving.Dense(storedField), Warper.Interpolation.LINEAR,
          manager);
    }
    for (String align : new String[] {"1", "0"}) {
      Path out = dir.resolve("torch" + align + ".nii.gz");
      DebianPython.run(recipe().replace("sys.argv[1]", "'" + moving + "'").replace("sys.argv[2]", "'" + field + "'")
          .replace("sys.argv[3]", "'" + out + "'").replace("sys.argv[4]", "'" + align + "'"), "");
      float[] torch = ImageFiles.read(out.toString()).voxels();
      double sum = 0;
      int inside = 0;
      for (int v = 0; v < torch.length; v++) {
        sum += (torch[v] - ours.voxels()[v]) * (double) (torch[v] - ours.voxels()[v]);
        inside += ours.voxels()[v] != 0 ? 1 : 0;
      }
      double rms = Math.sqrt(sum / torch.length);
      assertTrue(inside > torch.length / 2, "most of the fixed grid maps into the moving image: " + inside);
      assertTrue(rms < 1e-3, "align_corners=" + align + ": RMS difference " + rms + " on values of about 40 to 160");
    }
  }

  private static double[] rotation(double angle) {
    MotionParameters r = MotionParameters.identity(3);
    r.angles()[0] = angle;
    r.angles()[2] = angle / 2;
    return r.toAffine(new double[3]).linear();
  }
}
