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
}
