package org.warpspark.apply;

import java.util.Locale;

/** The interpolations {@code -n} names, spelt as {@code antsApplyTransforms} spells them. */
public enum Interpolator {
  LINEAR("Linear"),
  NEAREST_NEIGHBOR("NearestNeighbor"),
  /** Label-safe: each label's linearly interpolated membership, then the largest ({@link Resampler}). */
  GENERIC_LABEL("GenericLabel"),
  /** Cubic B-spline through the voxel values ({@link CubicBSpline}), as ITK and ANTs' {@code BSpline[3]}. */
  BSPLINE("BSpline");

  private final String antsName;

  Interpolator(String antsName) {
    this.antsName = antsName;
  }

  public String antsName() {
    return antsName;
  }

  /** Whether the output keeps the input's voxel type (label maps stay label maps). */
  public boolean keepsLabels() {
    return this == NEAREST_NEIGHBOR || this == GENERIC_LABEL;
  }

  /**
   * {@code Linear}, {@code NearestNeighbor} ({@code nearest}), {@code GenericLabel} ({@code generic_label}) or
   * {@code BSpline} ({@code BSpline[3]}), in any case; {@code GenericLabel[Linear]}
   * too, whose parameter ANTs ignores (it always interpolates each label linearly), and so do we.
   */
  public static Interpolator parse(String name) {
    String plain = name.trim().toLowerCase(Locale.ROOT).replace("_", "");
    if (plain.startsWith("genericlabel[") && plain.endsWith("]")) {
      plain = "genericlabel";
    }
    if (plain.equals("bspline[3]")) {
      plain = "bspline"; // the cubic one, ANTs' default order, is the only order we make
    }
    if (plain.equals("nearest")) {
      plain = "nearestneighbor";
    }
    for (Interpolator i : values()) {
      if (i.antsName.toLowerCase(Locale.ROOT).equals(plain)) {
        return i;
      }
    }
    throw new IllegalArgumentException("interpolation '" + name + "' is not supported; supported are Linear, "
        + "NearestNeighbor, GenericLabel and BSpline (cubic)");
  }
}
