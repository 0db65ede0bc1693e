package org.warpspark.pair;

import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.warpspark.engine.affine.AffineResult;
import org.warpspark.engine.affine.AffineSettings;
import org.warpspark.engine.optim.LevelTrace;
import org.warpspark.engine.deformable.DeformableResult;
import org.warpspark.engine.deformable.DeformableSettings;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.image.Image;
import org.warpspark.udfs.metric.InverseConsistency;
import org.warpspark.udfs.metric.JacobianStatistics;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.TorchAffineTheta;

/** The {@code summary.json} of one registered pair: matrix, parameters, metrics and losses per level, timing. */
final class PairSummary {
  private PairSummary() {}

  /** @param outputs each file's kind and name beside the summary ({@link ResultFiles}) */
  static String json(PairSpec spec, RegistrationConfig config, PairResult pair, Map<String, String> outputs) {
    AffineSettings settings = config.affine();
    AffineResult result = pair.affine().result();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("fixed", spec.fixed());
    root.put("moving", spec.moving());
    root.put("convention", "fixed_to_moving maps fixed physical points to moving physical points; "
        + "LPS millimetres; homogeneous matrix rows act on column vectors");
    root.put("model", lower(settings.model()));
    root.put("loss", lower(settings.loss()));
    root.put("fixed_to_moving", rows(result.fixedToMoving()));
    Map<String, Double> parameters = new LinkedHashMap<>();
    String[] names = result.model().parameterNames(pair.fixedGrid().dim());
    for (int i = 0; i < names.length; i++) {
      parameters.put(names[i], result.parameters()[i]);
    }
    root.put("parameters", parameters);
    root.put("parameter_units", "translations t* in mm, angles r* in radians, log_s* natural-log scales, k_* shears");
    root.put("centre_mm", result.centre());
    root.put("initial_loss", result.initialLoss());
    root.put("final_loss", result.finalLoss());
    root.put("iterations", result.totalIterations());
    root.put("warnings", QualityWarnings.affine(pair.affine()));
    root.put("timings_seconds", pair.affine().timings());
    root.put("seconds", result.seconds());
    root.put("similarity", similarity(pair.affine().before(), pair.affine().after()));
    root.put("levels", levels(result.levels(), "losses"));
    root.put("torch_affine_grid", torch(result.fixedToMoving(), pair.fixedGrid(), pair.movingGrid()));
    if (pair.deformable() != null) {
      root.put("deformable", deformable(config.deformable(), pair.deformable(), pair.affine().after()));
    }
    if (pair.affine().before().dice() != null) {
      Map<String, Map<Integer, Double>> dice = new LinkedHashMap<>();
      dice.put("none", pair.affine().before().dice());
      dice.put(PairResult.AFFINE, pair.affine().after().dice());
      if (pair.deformable() != null) {
        dice.put(PairResult.DEFORMABLE, pair.deformable().after().dice());
      }
      root.put("dice_by_stage", dice);
    }
    root.put("settings", settings(settings));
    root.put("outputs", outputs);
    return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(root) + "\n";
  }

  /** MSE, NCC and MI over the fixed grid (fixed mask if given) before and after a stage. */
  private static Map<String, Object> similarity(Warped before, Warped after) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mse_before", before.mse());
    m.put("mse_after", after.mse());
    m.put("ncc_before", before.ncc());
    m.put("ncc_after", after.ncc());
    m.put("mi_before", before.mi());
    m.put("mi_after", after.mi());
    return m;
  }

  private static Map<String, Object> deformable(DeformableSettings s, DeformableStage stage, Warped before) {
    DeformableResult result = stage.result();
    Map<String, Object> m = new LinkedHashMap<>();
    JacobianStatistics jacobian = stage.jacobian();
    m.put("convention", "displacement.nii.gz holds u with fixedToMoving(x) = x + u(x), the whole map (affine "
        + "included), LPS mm on the fixed grid: it takes fixed points to moving ones and warps moving images onto the "
        + "fixed grid" + (result.movingToFixed() == null ? "" : "; inverse_displacement.nii.gz holds the inverse on "
        + "the moving grid: it takes moving points to fixed ones and warps fixed images (labels) onto the moving grid"));
    m.put("warnings", QualityWarnings.deformable(stage, before));
    m.put("timings_seconds", stage.timings());
    m.put("loss", lower(s.loss()));
    if (s.loss() == LossKind.LNCC) {
      m.put("lncc_window_voxels", s.window());
    }
    m.put("model", s.modelName());
    if (s.model().dense()) {
      m.put("flow_step_voxels", s.learningRate());
      m.put("fluid_sigma_voxels", s.fluidSigma());
      m.put("elastic_sigma_voxels", s.elasticSigma());
    } else {
      m.put("control_spacing_mm", s.controlSpacing());
      m.put("regulariser", lower(s.regulariser()));
      m.put("regularisation_weight", s.regularisationWeight());
    }
    m.put("initial_loss", result.initialLoss());
    m.put("final_loss", result.finalLoss());
    m.put("seconds", result.seconds());
    m.put("folding_fraction", jacobian.foldingFraction());
    m.put("sd_log_jacobian", jacobian.sdLogJacobian());
    m.put("jacobian_min", jacobian.min());
    m.put("jacobian_max", jacobian.max());
    m.put("similarity", similarity(before, stage.after()));
    InverseConsistency inverseMap = stage.inverseMap();
    if (inverseMap != null) {
      m.put("inverse_map_error_mean_mm", inverseMap.meanMm());
      m.put("inverse_map_error_max_mm", inverseMap.maxMm());
    }
    InverseConsistency ice = stage.inverseConsistency();
    if (ice != null) {
      m.put("inverse_consistency_mean_mm", ice.meanMm());
      m.put("inverse_consistency_max_mm", ice.maxMm());
      m.put("inverse_consistency_counted_fraction", ice.counted());
    }
    m.put("levels", levels(result.levels(), "objective"));
    m.put("levels_note", "objective = similarity loss + regularisation weight * penalty, per iteration");
    return m;
  }

  /** Per level: factor, iterations, whether it converged, and the value per iteration under {@code valueKey}. */
  private static List<Map<String, Object>> levels(List<LevelTrace> traces, String valueKey) {
    List<Map<String, Object>> levels = new ArrayList<>();
    for (LevelTrace level : traces) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("factor", level.factor());
      l.put("iterations", level.iterations());
      l.put("converged", level.converged());
      l.put(valueKey, level.losses());
      levels.add(l);
    }
    return levels;
  }

  private static Map<String, Object> torch(Affine fixedToMoving, Grid fixedGrid, Grid movingGrid) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("fixed_tensor_shape", Image.tensorShape(fixedGrid));
    t.put("moving_tensor_shape", Image.tensorShape(movingGrid));
    for (boolean alignCorners : new boolean[] {true, false}) {
      TorchAffineTheta theta = TorchAffineTheta.fromFixedToMoving(fixedToMoving, fixedGrid, movingGrid, alignCorners);
      double[] v = theta.rowMajor();
      int d = fixedGrid.dim();
      double[][] r = new double[d][d + 1];
      for (int i = 0; i < d; i++) {
        System.arraycopy(v, i * (d + 1), r[i], 0, d + 1);
      }
      t.put("theta_align_corners_" + alignCorners, r);
    }
    return t;
  }

  private static Map<String, Object> settings(AffineSettings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("level_factors", s.levelFactors());
    m.put("iterations", s.iterations());
    m.put("learning_rate_mm", s.learningRate());
    m.put("samples_per_iteration", s.samplesPerIteration());
    m.put("histogram_bins", s.histogramBins());
    m.put("centre", lower(s.centre()));
    m.put("initialisation", lower(s.initialisation()));
    m.put("seed", s.seed());
    return m;
  }

  private static double[][] rows(Affine a) {
    int n = a.dim() + 1;
    double[][] r = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        r[i][j] = a.get(i, j);
      }
    }
    return r;
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
