package org.warpspark.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.warpspark.image.Image;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.FixedToMoving;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.TransformChain;

/**
 * The resampler's rules at chosen points (a field on the reference grid sends each reference voxel
 * where the case wants it), and slabs and threads that change nothing.
 */
class ResamplerTest {
  /** A 2 x 2 label image of 1 mm voxels at the origin: labels 1 2 in the first row, 2 3 in the second. */
  private static final Image LABELS = Image.of(Grid.of(new int[] {2, 2}, new double[] {1, 1}, new double[2]),
      new float[] {1, 2, 2, 3});

  @Test
  void theLabelWithTheMostInterpolationWeightWins() {
    float[] out = at(LABELS, Interpolator.GENERIC_LABEL, new double[][] {
        {0.5, 0.5}, // centre: 1 and 3 weigh 1/4 each, 2 weighs 1/2
        {0.1, 0.1}, // near voxel (0, 0)
        {0.9, 0.9}, // near voxel (1, 1)
        {0.5, 0}, // between 1 and 2 exactly: the smaller wins the tie
        {-0.4, 1.4}, // within half a voxel beyond the border: clamped to voxel (0, 1)
        {-0.6, 0}}); // farther out: the default value
    assertArrayEquals(new float[] {2, 1, 3, 1, 2, -7}, out);
  }

  @Test
  void neverInventsALabelBetweenTwoOthers() {
    Image oneThree = Image.of(Grid.of(new int[] {2, 1}, new double[] {1, 1}, new double[2]), new float[] {1, 3});
    // Averaging 1 and 3 would give 2, a label present nowhere near.
    assertArrayEquals(new float[] {1, 3}, at(oneThree, Interpolator.GENERIC_LABEL, new double[][] {{0.49, 0},
        {0.51, 0}}));
  }

  @Test
  void linearClampsWithinHalfAVoxelAndNearestRoundsHalvesUp() {
    assertArrayEquals(new float[] {2, 1.5f, 1, -7}, at(LABELS, Interpolator.LINEAR, new double[][] {{0.5, 0.5},
        {0.5, -0.3}, {-0.49, -0.49}, {1.5, 0}}));
    assertArrayEquals(new float[] {3, 2, 1, 3}, at(LABELS, Interpolator.NEAREST_NEIGHBOR, new double[][] {{0.5, 0.5},
        {0.5, 0}, {0.49, -0.5}, {1.49, 1.49}}));
  }

  /** The cubic B-spline passes through every voxel value, and overshoots between a step's voxels as a spline does. */
  @Test
  void theCubicSplinePassesThroughTheVoxels() {
    Random random = new Random(4);
    float[] voxels = new float[7 * 5 * 4];
    for (int i = 0; i < voxels.length; i++) {
      voxels[i] = random.nextFloat() * 10;
    }
    CubicBSpline.Point spline = new CubicBSpline(voxels, new int[] {7, 5, 4}).new Point();
    for (int i = 0; i < voxels.length; i++) {
      double[] index = {i % 7, i / 7 % 5, i / 35};
      assertEquals(voxels[i], spline.at(index), 1e-5, "voxel " + i);
    }
    CubicBSpline.Point step = new CubicBSpline(new float[] {0, 0, 0, 1, 1, 1}, new int[] {6, 1}).new Point();
    assertTrue(step.at(new double[] {1.5, 0}) < 0 && step.at(new double[] {3.5, 0}) > 1, "overshoot near a step");
  }

  /** Slabs of one row and four threads give the very values of one slab and one thread. */
  @Test
  void slabsAndThreadsChangeNothing() {
    Random random = new Random(2);
    Grid input = new Grid(new int[] {13, 11, 9}, new double[] {1.1, 0.9, 1.4}, new double[] {-7, -5, -6},
        new double[] {1, 0, 0, 0, 0, -1, 0, 1, 0});
    float[] voxels = new float[(int) input.voxelCount()];
    for (int i = 0; i < voxels.length; i++) {
      voxels[i] = random.nextFloat() * 100;
    }
    Grid reference = Grid.of(new int[] {10, 12, 7}, new double[] {1.3, 1, 1.5}, new double[] {-6, -6, -4});
    DisplacementField field = DisplacementField.of(reference, x -> new double[] {x[0] + Math.sin(x[1]),
        x[1] + 0.5 * Math.cos(x[2]), x[2] - 0.3});
    TransformChain chain = new TransformChain(List.of(new FixedToMoving.Linear(Affine.of(new double[] {1, 0.05, 0,
        0, 1, 0, 0, 0, 0.95}, new double[] {0.5, -1, 0.2})), new FixedToMoving.Dense(field)));
    for (Interpolator interpolator : Interpolator.values()) {
      float[] whole = run(new Resampler(Image.of(input, voxels), chain, interpolator, -1, 1), reference,
          Long.MAX_VALUE);
      float[] slabs = run(new Resampler(Image.of(input, voxels), chain, interpolator, -1, 4), reference, 1);
      assertArrayEquals(whole, slabs, interpolator.toString());
    }
  }

  /** The image sampled at each of {@code points} (mm), default value -7. */
  private static float[] at(Image image, Interpolator interpolator, double[][] points) {
    Grid reference = Grid.of(new int[] {points.length, 1}, new double[] {1, 1}, new double[2]);
    DisplacementField field = DisplacementField.of(reference, x -> points[(int) Math.round(x[0])]);
    Resampler resampler = new Resampler(image, new TransformChain(List.of(new FixedToMoving.Dense(field))),
        interpolator, -7, 1);
    return run(resampler, reference, Long.MAX_VALUE);
  }

  private static float[] run(Resampler resampler, Grid reference, long slabVoxels) {
    List<float[]> slabs = new ArrayList<>();
    resampler.resample(reference, slabVoxels, slabs::add);
    float[] out = new float[(int) reference.voxelCount()];
    int at = 0;
    for (float[] slab : slabs) {
      System.arraycopy(slab, 0, out, at, slab.length);
      at += slab.length;
    }
    return out;
  }
}
