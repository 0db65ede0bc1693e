package org.warpspark.apply;

import java.util.Locale;
import org.warpspark.engine.sample.Warper;

/** The interpolations {@code -n} names, spelt as {@code antsApplyTransforms} spells them. */
public enum Interpolator {
  LINEAR("Linear", Warper.Interpolation.LINEAR),
  NEAREST_NEIGHBOR("NearestNeighbor", Warper.Interpolation.NEAREST);

  private final String antsName;
  private final Warper.Interpolation sampling;

  Interpolator(String antsName, Warper.Interpolation sampling) {
    this.antsName = antsName;
    this.sampling = sampling;
  }

  public Warper.Interpolation sampling() {
    return sampling;
  }

  public String antsName() {
    return antsName;
  }

  /** {@code Linear} or {@code NearestNeighbor}, in any case. */
  public static Interpolator parse(String name) {
    for (Interpolator i : values()) {
      if (i.antsName.toLowerCase(Locale.ROOT).equals(name.trim().toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    throw new IllegalArgumentException("interpolation '" + name + "' is not supported; supported are Linear and "
        + "NearestNeighbor");
  }
}
