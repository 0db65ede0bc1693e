package org.warpspark.udfs.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DiceTest {
  @Test
  void scoresEachLabelByItsOverlap() {
    float[] fixed = {0, 1, 1, 1, 1, 2, 2, 0, 0, 0};
    float[] moving = {0, 0, 1, 1, 1, 2, 0, 2, 3, 0};
    Map<Integer, Double> dice = Dice.perLabel(fixed, moving);
    assertEquals(2.0 * 3 / (4 + 3), dice.get(1), 1e-12);
    assertEquals(2.0 * 1 / (2 + 2), dice.get(2), 1e-12);
    assertEquals(0.0, dice.get(3), 0, "a label only in the moving map overlaps nothing");
    assertEquals(3, dice.size(), "background is not scored");
  }

  @Test
  void identicalMapsScoreOne() {
    float[] labels = {0, 4, 4, 7, 7, 7};
    Dice.perLabel(labels, labels).values().forEach(d -> assertEquals(1.0, d, 0));
  }

  @Test
  void refusesIntensityImages() {
    assertThrows(IllegalArgumentException.class, () -> Dice.perLabel(new float[] {0.5f}, new float[] {0}));
  }

  /** Small labels are counted in arrays, others (negative, huge) in a map: both give the same scores. */
  @Test
  void countingByArrayAndByMapAgree() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    float[] a = new float[5000];
    float[] b = new float[5000];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextInt(6);
      b[i] = random.nextDouble() < 0.7 ? a[i] : random.nextInt(6);
    }
    java.util.Map<Integer, Double> dense = Dice.perLabel(a, b);
    float[] shiftedA = a.clone();
    float[] shiftedB = b.clone();
    for (int i = 0; i < a.length; i++) {
      // the same maps with labels moved far up (and one label negative): counted by map
      shiftedA[i] = a[i] == 0 ? 0 : a[i] == 5 ? -5 : a[i] + 4_000_000;
      shiftedB[i] = b[i] == 0 ? 0 : b[i] == 5 ? -5 : b[i] + 4_000_000;
    }
    java.util.Map<Integer, Double> sparse = Dice.perLabel(shiftedA, shiftedB);
    assertEquals(dense.size(), sparse.size());
    dense.forEach((label, d) -> assertEquals(d, sparse.get(label == 5 ? -5 : label + 4_000_000), 1e-15,
        "label " + label));
  }
}
