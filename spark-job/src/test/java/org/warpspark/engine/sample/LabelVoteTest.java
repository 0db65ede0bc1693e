package org.warpspark.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The label vote on a 2 x 2 image: labels 1 2 in the first row, 2 3 in the second. */
class LabelVoteTest {
  private static final float[] VOXELS = {1, 2, 2, 3};
  private static final int[] SIZE = {2, 2};

  @Test
  void theLabelWithTheMostInterpolationWeightWins() {
    float[] out = LabelVote.sample(VOXELS, SIZE, new float[] {
        0.5f, 0.5f, // centre: 1 and 3 weigh 1/4 each, 2 weighs 1/2
        0.1f, 0.1f, // near voxel (0, 0)
        0.9f, 0.9f, // near voxel (1, 1)
        0.5f, 0f, // between 1 and 2 exactly: the smaller wins the tie
        -0.4f, 1.4f}, 2); // beyond the border: clamped to voxel (0, 1)
    assertArrayEquals(new float[] {2, 1, 3, 1, 2}, out);
  }

  @Test
  void neverInventsALabelBetweenTwoOthers() {
    // Averaging 1 and 3 would give 2, a label present nowhere near.
    float[] out = LabelVote.sample(new float[] {1, 3}, new int[] {2, 1}, new float[] {0.49f, 0, 0.51f, 0}, 2);
    assertArrayEquals(new float[] {1, 3}, out);
  }
}
