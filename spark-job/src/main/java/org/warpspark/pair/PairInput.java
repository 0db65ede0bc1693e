package org.warpspark.pair;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The images a pair may name, the one place their manifest columns (and {@code --pair-pattern} roles)
 * and their names in messages are defined.
 */
public enum PairInput {
  FIXED("fixed image"),
  MOVING("moving image"),
  FIXED_LABELS("fixed label map"),
  MOVING_LABELS("moving label map"),
  FIXED_MASK("fixed mask");

  private final String description;

  PairInput(String description) {
    this.description = description;
  }

  /** The manifest column and file-name role: {@code fixed}, {@code moving}, {@code fixed_labels}, ... */
  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** How messages name it: "fixed image", "moving label map", ... */
  public String description() {
    return description;
  }

  /** Only the fixed and the moving image are required. */
  public boolean required() {
    return this == FIXED || this == MOVING;
  }

  /** Every column name, in order. */
  public static List<String> columns() {
    return Arrays.stream(values()).map(PairInput::column).toList();
  }

  /** The input whose column is {@code column}, or null. */
  public static PairInput ofColumn(String column) {
    return Arrays.stream(values()).filter(i -> i.column().equals(column)).findFirst().orElse(null);
  }

  /** The URI {@code spec} gives this input, or null. */
  public String of(PairSpec spec) {
    return switch (this) {
      case FIXED -> spec.fixed();
      case MOVING -> spec.moving();
      case FIXED_LABELS -> spec.fixedLabels();
      case MOVING_LABELS -> spec.movingLabels();
      case FIXED_MASK -> spec.fixedMask();
    };
  }
}
