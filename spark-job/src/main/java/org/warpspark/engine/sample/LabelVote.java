package org.warpspark.engine.sample;

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
    int corners = 1 << d;
    float[] labels = new float[corners];
    double[] weights = new double[corners];
    int[] base = new int[d];
    double[] frac = new double[d];
    for (int r = 0; r < rows; r++) {
      for (int a = 0; a < d; a++) {
        double i = Math.min(Math.max(index[r * d + a], 0), size[a] - 1);
        base[a] = Math.min((int) i, Math.max(size[a] - 2, 0));
        frac[a] = i - base[a];
      }
      int distinct = 0;
      for (int corner = 0; corner < corners; corner++) {
        double weight = 1;
        int flat = 0;
        int stride = 1;
        for (int a = 0; a < d; a++) {
          boolean up = (corner >> a & 1) == 1;
          weight *= up ? frac[a] : 1 - frac[a];
          flat += (base[a] + (up && size[a] > 1 ? 1 : 0)) * stride;
          stride *= size[a];
        }
        float label = voxels[flat];
        int k = 0;
        while (k < distinct && labels[k] != label) {
          k++;
        }
        if (k == distinct) {
          labels[k] = label;
          weights[k] = 0;
          distinct++;
        }
        weights[k] += weight;
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
