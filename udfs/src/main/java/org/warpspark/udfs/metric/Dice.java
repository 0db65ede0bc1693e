package org.warpspark.udfs.metric;

import java.util.Arrays;
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
    int[] a = labels(fixedLabels);
    int[] b = labels(warpedMovingLabels);
    int largest = Math.max(Arrays.stream(a).max().orElse(0), Arrays.stream(b).max().orElse(0));
    int smallest = Math.min(Arrays.stream(a).min().orElse(0), Arrays.stream(b).min().orElse(0));
    return smallest >= 0 && largest <= DENSE_LABELS ? dense(a, b, largest) : sparse(a, b);
  }

  /** Labels up to this are counted in arrays indexed by label: one pass, no boxing. */
  private static final int DENSE_LABELS = 1 << 20;

  private static Map<Integer, Double> dense(int[] a, int[] b, int largest) {
    long[] inA = new long[largest + 1];
    long[] inB = new long[largest + 1];
    long[] inBoth = new long[largest + 1];
    for (int i = 0; i < a.length; i++) {
      inA[a[i]]++;
      inB[b[i]]++;
      if (a[i] == b[i]) {
        inBoth[a[i]]++;
      }
    }
    Map<Integer, Double> dice = new TreeMap<>();
    for (int label = 1; label <= largest; label++) {
      if (inA[label] + inB[label] > 0) {
        dice.put(label, 2.0 * inBoth[label] / (inA[label] + inB[label]));
      }
    }
    return dice;
  }

  private static Map<Integer, Double> sparse(int[] fixedLabels, int[] warpedMovingLabels) {
    Map<Integer, long[]> counts = new TreeMap<>(); // label -> {in fixed, in moving, in both}
    for (int i = 0; i < fixedLabels.length; i++) {
      int a = fixedLabels[i];
      int b = warpedMovingLabels[i];
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

  private static int[] labels(float[] voxels) {
    int[] labels = new int[voxels.length];
    for (int i = 0; i < voxels.length; i++) {
      labels[i] = label(voxels[i]);
    }
    return labels;
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
