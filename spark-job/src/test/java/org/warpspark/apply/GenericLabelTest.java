package org.warpspark.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.PixelType;
import org.warpspark.image.ReadLimits;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.ItkMatFile;
import org.warpspark.udfs.spatial.MotionParameters;

/**
 * Label maps resampled through a rotation onto a finer grid, against the labels the analytic regions
 * give there: the label vote keeps every label and is at least as good in Dice as nearest neighbour.
 */
class GenericLabelTest {
  @TempDir
  Path dir;

  @Test
  void keepsEveryLabelAndIsNoWorseThanNearestNeighbour() {
    Grid input = Grid.of(new int[] {48, 40, 36}, new double[] {1.5, 1.5, 1.5}, new double[] {-36, -30, -27});
    Grid reference = Grid.of(new int[] {80, 70, 60}, new double[] {0.8, 0.8, 0.8}, new double[] {-32, -28, -24});
    float[] labels = new float[(int) input.voxelCount()];
    double[] index = new double[3];
    for (int i = 0; i < labels.length; i++) {
      input.index(i, index);
      labels[i] = region(input.indexToPhysical().apply(index));
    }
    Path in = dir.resolve("labels.nii.gz");
    Path ref = dir.resolve("reference.nii.gz");
    ImageFiles.write(new Image(input, labels, PixelType.UINT8), in.toString());
    ImageFiles.write(new Image(reference, new float[(int) reference.voxelCount()], PixelType.UINT8), ref.toString());
    MotionParameters m = MotionParameters.identity(3);
    m.angles()[0] = 0.2;
    m.angles()[2] = -0.15;
    Affine rotation = m.toAffine(new double[3]);
    Path mat = dir.resolve("rotation.mat");
    ItkMatFile.write(mat, rotation, new double[3]);

    float[] truth = new float[(int) reference.voxelCount()];
    for (int i = 0; i < truth.length; i++) {
      reference.index(i, index);
      truth[i] = region(rotation.apply(reference.indexToPhysical().apply(index)));
    }
    double nearest = meanDice(resample(in, ref, mat, Interpolator.NEAREST_NEIGHBOR), truth);
    float[] voted = resample(in, ref, mat, Interpolator.GENERIC_LABEL);
    double vote = meanDice(voted, truth);
    assertEquals(present(labels), present(voted), "every label of the input is in the output");
    assertTrue(vote >= nearest, "label vote Dice " + vote + " against nearest neighbour " + nearest);
  }

  /** Spheres and slabs of 6 labels in physical space, all well inside the input. */
  private static float region(double[] p) {
    double r = Math.hypot(Math.hypot(p[0] - 5, p[1] + 3), p[2] - 2);
    if (r < 6) {
      return 5;
    }
    if (r < 11) {
      return 4;
    }
    return 1 + (float) Math.floorMod((int) Math.floor(p[0] / 9 + p[1] / 13), 3);
  }

  private float[] resample(Path in, Path ref, Path mat, Interpolator interpolator) {
    Path out = dir.resolve(interpolator + ".nii.gz");
    ApplyTransforms.apply(new ApplyTransforms.Request(in.toString(), ref.toString(),
        List.of(ChainArgument.parse(mat.toString())), out.toString(), interpolator, 0), new Configuration(),
        ReadLimits.DEFAULT, 2);
    return ImageFiles.read(out.toString()).voxels();
  }

  private static TreeSet<Float> present(float[] v) {
    TreeSet<Float> s = new TreeSet<>();
    for (float x : v) {
      s.add(x);
    }
    s.remove(0f);
    return s;
  }

  private static double meanDice(float[] ours, float[] truth) {
    double sum = 0;
    TreeSet<Float> labels = present(truth);
    for (float label : labels) {
      long both = 0;
      long a = 0;
      long b = 0;
      for (int i = 0; i < truth.length; i++) {
        boolean x = ours[i] == label;
        boolean y = truth[i] == label;
        both += x && y ? 1 : 0;
        a += x ? 1 : 0;
        b += y ? 1 : 0;
      }
      sum += 2.0 * both / (a + b);
    }
    return sum / labels.size();
  }
}
