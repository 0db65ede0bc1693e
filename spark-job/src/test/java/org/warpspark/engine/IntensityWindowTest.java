package org.warpspark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The window's percentiles by selection equal those read off a sorted copy, ties and extremes included. */
class IntensityWindowTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 10, 201, 4096, 100_003})
  void percentilesBySelectionEqualTheSortedReference(int n) {
    SplittableRandom random = new SplittableRandom(n);
    for (int trial = 0; trial < 5; trial++) {
      float[] values = new float[n];
      for (int i = 0; i < n; i++) {
        // few distinct levels (ties, as in uint8 scans), a background of zeros and rare hot voxels
        values[i] = trial % 2 == 0 ? random.nextInt(7) : (float) random.nextGaussian();
        if (random.nextInt(10) == 0) {
          values[i] = 0;
        }
        if (random.nextInt(1000) == 0) {
          values[i] = 1e6f;
        }
      }
      float[] sorted = values.clone();
      Arrays.sort(sorted);
      for (double percent : new double[] {0, 0.5, 37.3, 50, 99.5, 100}) {
        double rank = percent / 100 * (n - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(n - 1, below + 1);
        double expected = sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
        assertEquals(expected, IntensityWindow.percentile(values.clone(), percent), 0.0,
            n + " values, trial " + trial + ", " + percent + " %");
      }
    }
  }
}
