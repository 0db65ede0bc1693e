package org.warpspark.udfs.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LandmarkErrorTest {
  @Test
  void distancesRowForRowAndTheirSummary() {
    double[] d = LandmarkError.distances(List.of(new double[] {0, 0, 0}, new double[] {1, 1, 1},
        new double[] {5, 0, 0}), List.of(new double[] {3, 4, 0}, new double[] {1, 1, 1}, new double[] {5, 0, 12}));
    assertArrayEquals(new double[] {5, 0, 12}, d, 1e-12);
    assertEquals(new LandmarkError.Summary(3, 17.0 / 3, 5, 12), LandmarkError.summary(d));
    assertEquals(2.5, LandmarkError.summary(new double[] {5, 0}).medianMm());
    assertThrows(IllegalArgumentException.class, () -> LandmarkError.distances(List.of(new double[2]), List.of()));
  }
}
