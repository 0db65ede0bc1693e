package org.warpspark.apply;

import java.util.Locale;
import org.warpspark.engine.sample.Warper;

/** The interpolations {@code -n} names, spelt as {@code antsApplyTransforms} spells them. */
public enum Interpolator {
  LINEAR("Linear", Warper.Interpolation.LINEAR),
  NEAREST_NEIGHBOR("NearestNeighbor", Warper.Interpolation.NEAREST),
  /** Label-safe: each label's linearly interpolated membership, then the largest ({@code LabelVote}). */
  GENERIC_LABEL("GenericLabel", Warper.Interpolation.LABEL);

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

  /** Whether the output keeps the input's voxel type (label maps stay label maps). */
  public boolean keepsLabels() {
    return this != LINEAR;
  }

  /**
   * {@code Linear}, {@code NearestNeighbor} or {@code GenericLabel}, in any case; {@code GenericLabel[Linear]}
   * too, whose parameter ANTs ignores (it always interpolates each label linearly), and so do we.
   */
  public static Interpolator parse(String name) {
    String plain = name.trim().toLowerCase(Locale.ROOT);
    if (plain.startsWith("genericlabel[") && plain.endsWith("]")) {
      plain = "genericlabel";
    }
    for (Interpolator i : values()) {
      if (i.antsName.toLowerCase(Locale.ROOT).equals(plain)) {
        return i;
      }
    }
    throw new IllegalArgumentException("interpolation '" + name + "' is not supported; supported are Linear, "
        + "NearestNeighbor and GenericLabel");
  }
}
