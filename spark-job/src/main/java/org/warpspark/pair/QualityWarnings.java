package org.warpspark.pair;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.warpspark.udfs.metric.JacobianStatistics;

/**
 * What a finished stage's row flags for a person to look at before trusting it: a stage that kept its
 * start, a metric that is not a number, an image that matches worse by every measure than before, a
 * map that folds. Such a stage is still {@code ok} (its result is what the optimiser could do), but
 * never silently so.
 */
public final class QualityWarnings {
  private QualityWarnings() {}

  public static List<String> affine(AffineStage stage) {
    List<String> warnings = new ArrayList<>();
    common(warnings, stage.result().keptStart(), stage.result().initialLoss(), stage.result().finalLoss(),
        stage.before(), stage.after());
    return warnings;
  }

  /** @param before the moving image through the affine map the stage started from */
  public static List<String> deformable(DeformableStage stage, Warped before) {
    List<String> warnings = new ArrayList<>();
    common(warnings, stage.result().keptStart(), stage.result().initialLoss(), stage.result().finalLoss(), before,
        stage.after());
    JacobianStatistics jacobian = stage.jacobian();
    notANumber(warnings, "folding_fraction", jacobian.foldingFraction());
    notANumber(warnings, "sd_log_jacobian", jacobian.sdLogJacobian());
    if (jacobian.foldingFraction() > 0) {
      warnings.add(String.format(Locale.ROOT, "the map folds: %.3g%% of the fixed voxels have det J <= 0",
          100 * jacobian.foldingFraction()));
    }
    return warnings;
  }

  private static void common(List<String> warnings, boolean keptStart, double initialLoss, double finalLoss,
      Warped before, Warped after) {
    if (keptStart) {
      warnings.add("kept its start: the optimisation ended worse than it started by its own loss");
    }
    notANumber(warnings, "initial_loss", initialLoss);
    notANumber(warnings, "final_loss", finalLoss);
    notANumber(warnings, "mse_before", before.mse());
    notANumber(warnings, "mse_after", after.mse());
    notANumber(warnings, "ncc_before", before.ncc());
    notANumber(warnings, "ncc_after", after.ncc());
    notANumber(warnings, "mi_before", before.mi());
    notANumber(warnings, "mi_after", after.mi());
    if (after.ncc() < before.ncc() && after.mi() < before.mi() && after.mse() > before.mse()) {
      warnings.add("the warped image matches worse than before by every measure (ncc " + brief(before.ncc()) + " -> "
          + brief(after.ncc()) + ", mi " + brief(before.mi()) + " -> " + brief(after.mi()) + ", mse "
          + brief(before.mse()) + " -> " + brief(after.mse()) + ")");
    }
  }

  /** Four significant digits, no trailing zeros. */
  private static String brief(double value) {
    return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  private static void notANumber(List<String> warnings, String metric, double value) {
    if (!Double.isFinite(value)) {
      warnings.add(metric + " is not a number (" + value + ")");
    }
  }
}
