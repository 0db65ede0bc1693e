package org.warpspark.udfs.metric;

import java.util.Map;
import java.util.TreeMap;

/**
 * Overlap of two label maps on the same grid, per label: {@code 2 |A ∩ B| / (|A| + |B|)}. Labels are
 * the voxels' integer values; 0 is background and not scored. A label present in only one map scores 0.
 */
public final class Dice {
  private Dice() {}

  /** Dice per label (ascending), over the labels present in either map. */
  public static Map<Integer, Double> perLabel(float[] fixedLabels, float[] warpedMovingLabels) {
    if (fixedLabels.length != warpedMovingLabels.length) {
      throw new IllegalArgumentException("label maps differ in size: " + fixedLabels.length + " vs "
          + warpedMovingLabels.length + " voxels");
    }
    Map<Integer, long[]> counts = new TreeMap<>(); // label -> {in fixed, in moving, in both}
    for (int i = 0; i < fixedLabels.length; i++) {
      int a = label(fixedLabels[i]);
      int b = label(warpedMovingLabels[i]);
      if (a != 0) {
        counts.computeIfAbsent(a, k -> new long[3])[0]++;
      }
      if (b != 0) {
        counts.computeIfAbsent(b, k -> new long[3])[1]++;
      }
      if (a != 0 && a == b) {
        counts.get(a)[2]++;
      }
    }
    Map<Integer, Double> dice = new TreeMap<>();
    counts.forEach((labelValue, c) -> dice.put(labelValue, 2.0 * c[2] / (c[0] + c[1])));
    return dice;
  }

  /** Labels are whole numbers stored as floats; anything else is not a label map. */
  private static int label(float v) {
    int l = Math.round(v);
    if (Math.abs(v - l) > 1e-3f) {
      throw new IllegalArgumentException("a label map holds whole numbers, found " + v);
    }
    return l;
  }
}
