package org.warpspark.engine.sample;

import org.warpspark.udfs.spatial.LinearCorners;

/**
 * Label-safe interpolation ({@code antsApplyTransforms -n GenericLabel}): at each point, every label
 * among the 2^d surrounding voxels gets the sum of their linear-interpolation weights, and the label
 * with the most wins (the smaller label on a tie). That is the argmax of each label's linearly
 * interpolated membership, so labels keep smooth borders under a resampling, and unlike averaging
 * label values it never invents a label between two others. Indices are clamped to the border voxel
 * centres, as ITK's linear interpolator clamps them.
 */
final class LabelVote {
  private LabelVote() {}

  /** The winning label at each row of {@code index} ({@code rows x d} voxel indices, axis x first). */
  static float[] sample(float[] voxels, int[] size, float[] index, int d) {
    int rows = index.length / d;
    float[] out = new float[rows];
    LinearCorners corners = new LinearCorners(size);
    float[] labels = new float[corners.count()];
    double[] weights = new double[corners.count()];
    double[] point = new double[d];
    for (int r = 0; r < rows; r++) {
      for (int a = 0; a < d; a++) {
        point[a] = index[r * d + a];
      }
      corners.at(point);
      int distinct = 0;
      for (int c = 0; c < corners.count(); c++) {
        float label = voxels[corners.flat(c)];
        int k = 0;
        while (k < distinct && labels[k] != label) {
          k++;
        }
        if (k == distinct) {
          labels[k] = label;
          weights[k] = 0;
          distinct++;
        }
        weights[k] += corners.weight(c);
      }
      int best = 0;
      for (int k = 1; k < distinct; k++) {
        if (weights[k] > weights[best] || (weights[k] == weights[best] && labels[k] < labels[best])) {
          best = k;
        }
      }
      out[r] = labels[best];
    }
    return out;
  }
}
