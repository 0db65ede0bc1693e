package org.warpspark.udfs.table;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import java.util.List;

/** The {@code registrations} table: its columns (names, types, units) and schema version, the one place they are defined. */
public final class Registrations {
  private Registrations() {}

  public static final String PAIR_ID = "pair_id";
  public static final String STAGE = "stage";
  public static final String STATUS = "status";
  public static final String ERROR_CLASS = "error_class";
  public static final String ERROR = "error";
  public static final String FIXED = "fixed";
  public static final String MOVING = "moving";
  public static final String DIM = "dim";
  public static final String MODEL = "model";
  public static final String LOSS = "loss";
  public static final String FIXED_TO_MOVING = "fixed_to_moving";
  public static final String PARAMETER_NAMES = "parameter_names";
  public static final String PARAMETERS = "parameters";
  public static final String CENTRE = "centre";
  public static final String INITIAL_LOSS = "initial_loss";
  public static final String FINAL_LOSS = "final_loss";
  public static final String KEPT_START = "kept_start";
  public static final String WARNINGS = "warnings";
  public static final String ITERATIONS = "iterations";
  public static final String MSE_BEFORE = "mse_before";
  public static final String MSE_AFTER = "mse_after";
  public static final String NCC_BEFORE = "ncc_before";
  public static final String NCC_AFTER = "ncc_after";
  public static final String MI_BEFORE = "mi_before";
  public static final String MI_AFTER = "mi_after";
  public static final String DICE_BEFORE = "dice_before";
  public static final String DICE_AFTER = "dice_after";
  public static final String FOLDING_FRACTION = "folding_fraction";
  public static final String SD_LOG_JACOBIAN = "sd_log_jacobian";
  public static final String JACOBIAN_MIN = "jacobian_min";
  public static final String JACOBIAN_MAX = "jacobian_max";
  public static final String INVERSE_ERROR = "inverse_error";
  public static final String SECONDS = "seconds";
  public static final String TIMINGS = "timings";
  public static final String DEVICE = "device";
  public static final String GPU_ADDRESS = "gpu_address";
  public static final String EXECUTOR_ID = "executor_id";
  public static final String ATTEMPT = "attempt";
  public static final String CONFIG_HASH = "config_hash";
  public static final String FINISHED_AT = "finished_at";
  public static final String EXPORTS = "exports";

  // values of status
  public static final String STATUS_OK = "ok";
  public static final String STATUS_FAILED = "failed";

  public static final Table TABLE = new Table("registrations", 1,
      "one row per pair and stage: the outcome, the transform and the quality metrics", List.of(
      new Column(PAIR_ID, StringType, "", "the manifest's pair id"),
      new Column(STAGE, StringType, "", "affine or deformable"),
      new Column(STATUS, StringType, "", "ok or failed"),
      new Column(ERROR_CLASS, StringType, "", "failed rows: the kind of error (simple class name)"),
      new Column(ERROR, StringType, "", "failed rows: what went wrong, naming the pair and the file"),
      new Column(FIXED, StringType, "URI", "fixed image"),
      new Column(MOVING, StringType, "URI", "moving image"),
      new Column(DIM, IntegerType, "", "2 or 3"),
      new Column(MODEL, StringType, "", "affine stage: translation, rigid, similarity or affine; deformable stage: "
          + "flow, symmetric, bspline or velocity"),
      new Column(LOSS, StringType, "", "the stage's similarity loss: mse, ncc, mi or lncc"),
      new Column(FIXED_TO_MOVING, createArrayType(DoubleType), "LPS mm",
          "the affine fixed-to-moving map as the row-major homogeneous (d+1)x(d+1) matrix; for the deformable "
          + "stage the affine it refines"),
      new Column(PARAMETER_NAMES, createArrayType(StringType), "",
          "affine stage: names of the optimised parameters (tx, ty[, tz], angles, log-scales, shears)"),
      new Column(PARAMETERS, createArrayType(DoubleType), "mm, radians",
          "affine stage: the optimised parameters, in parameter_names' order"),
      new Column(CENTRE, createArrayType(DoubleType), "LPS mm", "affine stage: centre of rotation and scaling"),
      new Column(INITIAL_LOSS, DoubleType, "loss units", "the stage's similarity before it ran"),
      new Column(FINAL_LOSS, DoubleType, "loss units", "the stage's similarity after it ran"),
      new Column(KEPT_START, BooleanType, "", "the optimisation ended worse than it started by its own loss, so "
          + "the stage kept its starting map (final_loss then equals initial_loss)"),
      new Column(WARNINGS, createArrayType(StringType), "", "ok rows: what to look at before trusting the stage "
          + "(it kept its start, a metric is not a number, the image matches worse by every measure, the map "
          + "folds); empty when there is nothing"),
      new Column(ITERATIONS, IntegerType, "", "iterations over all levels"),
      new Column(MSE_BEFORE, DoubleType, "intensity^2", "mean squared difference over the fixed grid (fixed mask "
          + "if given), moving warped by the stage's starting map"),
      new Column(MSE_AFTER, DoubleType, "intensity^2", "the same, by the stage's result"),
      new Column(NCC_BEFORE, DoubleType, "", "normalised cross-correlation in [-1, 1], as mse_before"),
      new Column(NCC_AFTER, DoubleType, "", "normalised cross-correlation, as mse_after"),
      new Column(MI_BEFORE, DoubleType, "nats", "mutual information (32-bin joint histogram), as mse_before"),
      new Column(MI_AFTER, DoubleType, "nats", "mutual information, as mse_after"),
      new Column(DICE_BEFORE, createMapType(StringType, DoubleType), "",
          "with label maps: Dice per label (label value as text) with the stage's starting map"),
      new Column(DICE_AFTER, createMapType(StringType, DoubleType), "", "Dice per label with the stage's result"),
      new Column(FOLDING_FRACTION, DoubleType, "", "deformable stage: fraction of fixed voxels where the map's "
          + "Jacobian determinant is <= 0"),
      new Column(SD_LOG_JACOBIAN, DoubleType, "", "deformable stage: std of log det J over voxels with det > 0"),
      new Column(JACOBIAN_MIN, DoubleType, "", "deformable stage: smallest det J"),
      new Column(JACOBIAN_MAX, DoubleType, "", "deformable stage: largest det J"),
      new Column(INVERSE_ERROR, DoubleType, "mm", "dense deformable models: mean |V(x + U(x)) + U(x)| over fixed "
          + "voxels the map keeps inside the moving grid, U the map and V its written inverse: how far the inverse "
          + "is from undoing the map"),
      new Column(SECONDS, DoubleType, "s", "the stage's wall time in its task, all of its parts: the first stage's "
          + "includes reading the pair's files and, on an executor's first pair, loading the engine; the warps, "
          + "metrics and rows of every stage are in it too, so it is more than the optimisation (timings splits it; "
          + "failed rows: until the failure)"),
      new Column(TIMINGS, createMapType(StringType, DoubleType), "s", "ok rows: where the stage's time went, by "
          + "part: read (the pair's files, on the first stage), window (intensity normalisation), optimise (the "
          + "registration itself; in a batch, its share of the batch's time), warp, metrics, dice, jacobian, inverse (inverse maps and consistency), rows "
          + "(building table rows), exports (on the last stage)"),
      new Column(DEVICE, StringType, "", "where the stage ran: cpu, or gpu:N (CUDA device N)"),
      new Column(GPU_ADDRESS, StringType, "", "the GPU address Spark assigned the task, or null; with an address "
          + "and device cpu, the task found no CUDA device and ran on the CPU"),
      new Column(EXECUTOR_ID, StringType, "", "Spark executor that ran the pair (driver in local mode)"),
      new Column(ATTEMPT, IntegerType, "", "Spark task attempt number, 0 for the first"),
      new Column(CONFIG_HASH, StringType, "SHA-256 hex", "hash of the pair's settings (run config plus its "
          + "overrides)"),
      new Column(EXPORTS, createMapType(StringType, StringType), "URI", "with --exports or --qc: files the stage wrote "
          + "(affine: itk_transform, ants_affine, elastix_parameters; deformable: displacement_field, "
          + "inverse_displacement_field; the last stage: ants_composite, ants_inverse_composite, warped, warped_labels, "
          + "summary); with --qc, the last stage also lists the pair's QC pictures as qc_<kind>: PNG checkerboard_<when>, "
          + "edges_<when> and, with label maps, contours_<when> for when = before, affine, deformable (each stage that "
          + "finished); after a deformable stage jacobian and displacement; and loss_curves (SVG)"),
      new Column(FINISHED_AT, TimestampType, "UTC", "when the row was made")));
}
