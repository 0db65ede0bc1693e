package org.warpspark.pair;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * One manifest row: a pair's id, its images' URIs and its setting overrides.
 *
 * @param fixedLabels null, or a label map on the fixed grid (Dice per label)
 * @param movingLabels null, or a label map on the moving grid
 * @param fixedMask null, or a mask on the fixed grid; voxels > 0.5 are compared
 * @param overrides settings for this pair only, over the run's ({@code RegistrationConfig} keys)
 */
public record PairSpec(String pairId, String fixed, String moving, String fixedLabels, String movingLabels,
    String fixedMask, Map<String, String> overrides) implements Serializable {
  private static final long serialVersionUID = 1L;

  public PairSpec {
    overrides = new TreeMap<>(overrides == null ? Map.of() : overrides);
  }

  /** A pair from its inputs' URIs (absent ones null). */
  public static PairSpec of(String pairId, Map<PairInput, String> uris, Map<String, String> overrides) {
    return new PairSpec(pairId, uris.get(PairInput.FIXED), uris.get(PairInput.MOVING),
        uris.get(PairInput.FIXED_LABELS), uris.get(PairInput.MOVING_LABELS), uris.get(PairInput.FIXED_MASK), overrides);
  }
}
