package org.warpspark.spark;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warpspark.engine.affine.AffineResult;
import org.warpspark.engine.optim.LevelTrace;
import org.warpspark.image.Image;
import org.warpspark.pair.AffineStage;
import org.warpspark.pair.DeformableStage;
import org.warpspark.pair.PairImages;
import org.warpspark.pair.PairPipeline;
import org.warpspark.pair.PairResult;
import org.warpspark.pair.PairSpec;
import org.warpspark.pair.QcFiles;
import org.warpspark.pair.QualityWarnings;
import org.warpspark.pair.StageClock;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.pair.ResultFiles;
import org.warpspark.pair.StageFailure;
import org.warpspark.pair.Warped;
import org.warpspark.storage.InputUris;
import org.warpspark.storage.OutputFolder;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.table.FlowFields;
import org.warpspark.udfs.table.Losses;
import org.warpspark.udfs.table.Registrations;

/**
 * Registers one pair inside a task, through the {@link PairPipeline}, and turns what happened into
 * table rows: exactly one {@code registrations} row per stage, ok or failed, and the loss curve of
 * every stage that finished. A failure is recorded, never thrown: a stage that cannot run (its input
 * or an earlier stage failed) gets a failed row that says why. Every native array lives in the pair's
 * own scope.
 */
public final class PairRows {
  private static final Logger LOG = LoggerFactory.getLogger(PairRows.class);
  /** The error class of a stage that did not run because an earlier one failed. */
  static final String NOT_RUN = "NotRun";
  /** The error class of every stage of a pair stopped at its time limit. */
  static final String TIME_LIMIT_EXCEEDED = "TimeLimitExceeded";

  /**
   * Where a task ran, for the {@code device}, {@code gpu_address}, {@code executor_id} and
   * {@code attempt} columns.
   *
   * @param gpuAddress the GPU Spark assigned to the task, or null
   */
  public record Where(Device device, String gpuAddress, String executorId, int attempt) {
    public static Where cpu(String executorId) {
      return new Where(Device.cpu(), null, executorId, 0);
    }

    /** {@code cpu} or {@code gpu:N}. */
    String deviceName() {
      return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }
  }

  /** The rows of one pair, per table. */
  public record Outcome(List<Row> registrations, List<Row> losses, List<Row> flowFields, boolean failed)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final PairTask task;
  private final RegistrationConfig config;
  private final Configuration conf;
  private final Where where;
  private final List<Row> registrations = new ArrayList<>();
  private final List<Row> losses = new ArrayList<>();
  private final List<Row> flowFields = new ArrayList<>();
  private boolean failed;
  private double readSeconds;

  /** The pair's rows; a pair over its time limit gets failed rows ({@link #TIME_LIMIT_EXCEEDED}) instead. */
  public static Outcome register(PairTask task, Configuration conf, Where where) {
    PairRows limits = new PairRows(task, conf, where);
    Outcome outcome = PairWatchdog.within(task.spec().pairId(), limits.timeLimit(), () -> {
      PairRows pair = new PairRows(task, conf, where);
      PairImages images = pair.read();
      if (images != null) {
        pair.finish(images, null);
      }
      return pair.outcome();
    });
    return outcome != null ? outcome : limits.overTimeLimit();
  }

  PairRows(PairTask task, Configuration conf, Where where) {
    this.task = task;
    this.conf = conf;
    this.config = RegistrationConfig.of(task.settings());
    this.where = where;
  }

  PairTask task() {
    return task;
  }

  RegistrationConfig config() {
    return config;
  }

  int timeLimit() {
    return config.timeLimitSeconds();
  }

  /** Failed rows for every stage: the pair ran past its time limit. */
  Outcome overTimeLimit() {
    return overTimeLimit(timeLimit(), "the pair's time limit (time-limit)");
  }

  /** Failed rows for every stage: the pair's work stopped after {@code seconds}, {@code which} limit. */
  Outcome overTimeLimit(long seconds, String which) {
    failFrom(0, TIME_LIMIT_EXCEEDED, "stopped after " + seconds + " s, " + which + "; no stage's result was kept",
        seconds);
    return outcome();
  }

  Outcome outcome() {
    return new Outcome(List.copyOf(registrations), List.copyOf(losses), List.copyOf(flowFields), failed);
  }

  /** The pair's images, or null when it cannot be read (its failed rows recorded). */
  PairImages read() {
    long start = System.nanoTime();
    if (task.plannedFailure() != null) {
      failFrom(0, "InputNotFound", task.plannedFailure(), 0);
      return null;
    }
    try {
      PairImages images = PairImages.read(task.spec(), conf, config.readLimits());
      readSeconds = seconds(start);
      return images;
    } catch (RuntimeException | OutOfMemoryError e) {
      fail(0, e, seconds(start));
      return null;
    }
  }

  /**
   * Registers the pair and records its rows, in the pair's own native scope.
   *
   * @param optimised its affine optimisation done with other pairs of the task, or null to run it here
   */
  void finish(PairImages images, PairPipeline.Optimised optimised) {
    NDManager manager;
    try {
      manager = NativeScope.open(where.device());
    } catch (RuntimeException | OutOfMemoryError e) {
      fail(0, e, readSeconds);
      return;
    }
    try (manager) {
      PairResult result;
      StageFailure failure = null;
      try {
        result = new PairPipeline(config, false).register(images, optimised, manager);
      } catch (StageFailure e) {
        failure = e;
        result = e.finished();
      }
      rows(result, readSeconds, images.fixed());
      if (failure != null) {
        double seconds = failure.seconds() + (result.affine() == null ? readSeconds : 0);
        fail(result.finishedStages().size(), failure.getCause(), seconds);
      }
    }
  }

  /** A failure of the pair before its stages ran (the batch it was in failed), naming the cause. */
  void failBefore(Throwable e, double seconds) {
    fail(0, e, seconds);
  }

  /**
   * The rows of the finished stages, with their exports (and QC pictures, as {@code qc_<kind>} in the last
   * stage's exports); a failed export fails its stage instead.
   */
  private void rows(PairResult result, double readSeconds, Image fixed) {
    List<String> finished = result.finishedStages();
    if (finished.isEmpty()) {
      return;
    }
    Map<String, Map<String, String>> exports;
    long exportStart = System.nanoTime();
    try {
      exports = task.exportFolder() == null ? new HashMap<>()
          : new HashMap<>(ResultFiles.write(new OutputFolder(task.exportFolder(), conf), task.spec(), config, result,
              conf));
      if (task.qcFolder() != null) {
        Map<String, String> last = new LinkedHashMap<>(exports.getOrDefault(finished.get(finished.size() - 1),
            Map.of()));
        QcFiles.write(new OutputFolder(task.qcFolder(), conf), fixed, result).forEach((kind, uri) ->
            last.put(RunReports.PICTURE + kind, uri));
        exports.put(finished.get(finished.size() - 1), last);
      }
    } catch (RuntimeException e) {
      fail(0, e, readSeconds + result.affine().seconds());
      return;
    }
    StageClock affineClock = StageClock.of(result.affine().timings());
    affineClock.add(StageClock.READ, readSeconds);
    StageClock deformableClock = result.deformable() == null ? null : StageClock.of(result.deformable().timings());
    if (task.exportFolder() != null || task.qcFolder() != null) {
      // written once for the pair: the last stage's row carries their seconds
      (deformableClock == null ? affineClock : deformableClock).add(StageClock.EXPORTS, seconds(exportStart));
    }
    affineRows(result.affine(), readSeconds + result.affine().seconds(), exports.get(PairResult.AFFINE),
        affineClock);
    if (deformableClock != null) {
      deformableRows(result, exports.get(PairResult.DEFORMABLE), deformableClock);
    }
  }

  private void affineRows(AffineStage stage, double seconds, Map<String, String> exports, StageClock clock) {
    AffineResult result = stage.result();
    int d = result.fixedToMoving().dim();
    RowBuilder row = stageRow(0, Registrations.STATUS_OK, seconds)
        .set(Registrations.DIM, d)
        .set(Registrations.MODEL, lower(result.model()))
        .set(Registrations.LOSS, lower(config.affine().loss()))
        .set(Registrations.FIXED_TO_MOVING, result.fixedToMoving().rowMajor())
        .set(Registrations.PARAMETER_NAMES, result.model().parameterNames(d))
        .set(Registrations.PARAMETERS, result.parameters())
        .set(Registrations.CENTRE, result.centre())
        .set(Registrations.INITIAL_LOSS, result.initialLoss())
        .set(Registrations.FINAL_LOSS, result.finalLoss())
        .set(Registrations.KEPT_START, result.keptStart())
        .set(Registrations.WARNINGS, QualityWarnings.affine(stage).toArray(String[]::new))
        .set(Registrations.ITERATIONS, result.totalIterations())
        .set(Registrations.EXPORTS, exports);
    metrics(row, stage.before(), stage.after());
    List<Row> curve = clock.time(StageClock.ROWS, () -> lossRows(0, result.levels()));
    registrations.add(row.set(Registrations.TIMINGS, clock.seconds()).row());
    losses.addAll(curve);
  }

  private void deformableRows(PairResult result, Map<String, String> exports, StageClock clock) {
    DeformableStage stage = result.deformable();
    RowBuilder row = stageRow(1, Registrations.STATUS_OK, stage.seconds())
        .set(Registrations.DIM, result.fixedGrid().dim())
        .set(Registrations.MODEL, config.deformable().modelName())
        .set(Registrations.LOSS, lower(config.deformable().loss()))
        .set(Registrations.FIXED_TO_MOVING, result.affine().result().fixedToMoving().rowMajor())
        .set(Registrations.INITIAL_LOSS, stage.result().initialLoss())
        .set(Registrations.FINAL_LOSS, stage.result().finalLoss())
        .set(Registrations.KEPT_START, stage.result().keptStart())
        .set(Registrations.WARNINGS, QualityWarnings.deformable(stage, result.affine().after()).toArray(String[]::new))
        .set(Registrations.ITERATIONS, stage.result().levels().stream().mapToInt(LevelTrace::iterations).sum())
        .set(Registrations.FOLDING_FRACTION, stage.jacobian().foldingFraction())
        .set(Registrations.SD_LOG_JACOBIAN, stage.jacobian().sdLogJacobian())
        .set(Registrations.JACOBIAN_MIN, stage.jacobian().min())
        .set(Registrations.JACOBIAN_MAX, stage.jacobian().max())
        .set(Registrations.INVERSE_ERROR, stage.inverseMap() == null ? null : stage.inverseMap().meanMm())
        .set(Registrations.EXPORTS, exports);
    metrics(row, result.affine().after(), stage.after());
    List<Row> curve = clock.time(StageClock.ROWS, () -> lossRows(1, stage.result().levels()));
    List<Row> field = !task.flowFields() ? List.of()
        : clock.time(StageClock.ROWS, () -> flowRows(stage.result().fixedToMoving()));
    // the stage's rows go in together, once all of them are made
    registrations.add(row.set(Registrations.TIMINGS, clock.seconds()).row());
    losses.addAll(curve);
    flowFields.addAll(field);
  }

  /** The whole map, one row per slice along the grid's last axis. */
  private List<Row> flowRows(DisplacementField field) {
    List<Row> rows = new ArrayList<>();
    Grid grid = field.grid();
    int d = grid.dim();
    int[] size = grid.size();
    int sliceVoxels = size[0] * size[1];
    int slices = d == 3 ? size[2] : 1;
    String[] components = {FlowFields.U_X, FlowFields.U_Y, FlowFields.U_Z};
    for (int z = 0; z < slices; z++) {
      RowBuilder row = new RowBuilder(FlowFields.TABLE).set(FlowFields.PAIR_ID, task.spec().pairId())
          .set(FlowFields.STAGE, task.stages().get(1)).set(FlowFields.SLICE, z).set(FlowFields.DIM, d)
          .set(FlowFields.SIZE, size).set(FlowFields.SPACING, grid.spacing()).set(FlowFields.ORIGIN, grid.origin())
          .set(FlowFields.DIRECTION, grid.direction());
      for (int c = 0; c < d; c++) {
        row.set(components[c], Arrays.copyOfRange(field.components()[c], z * sliceVoxels, (z + 1) * sliceVoxels));
      }
      rows.add(row.row());
    }
    return rows;
  }

  private static void metrics(RowBuilder row, Warped before, Warped after) {
    row.set(Registrations.MSE_BEFORE, before.mse()).set(Registrations.MSE_AFTER, after.mse())
        .set(Registrations.NCC_BEFORE, before.ncc()).set(Registrations.NCC_AFTER, after.ncc())
        .set(Registrations.MI_BEFORE, before.mi()).set(Registrations.MI_AFTER, after.mi())
        .set(Registrations.DICE_BEFORE, before.dice()).set(Registrations.DICE_AFTER, after.dice());
  }

  private List<Row> lossRows(int stage, List<LevelTrace> levels) {
    List<Row> rows = new ArrayList<>();
    for (int level = 0; level < levels.size(); level++) {
      LevelTrace trace = levels.get(level);
      double[] values = trace.losses();
      for (int i = 0; i < values.length; i++) {
        rows.add(new RowBuilder(Losses.TABLE).set(Losses.PAIR_ID, task.spec().pairId())
            .set(Losses.STAGE, task.stages().get(stage)).set(Losses.LEVEL, level).set(Losses.FACTOR, trace.factor())
            .set(Losses.ITERATION, i).set(Losses.LOSS, values[i]).row());
      }
    }
    return rows;
  }

  /** Failed rows for stage {@code from}, which names the cause, and for every later stage, which cannot run without it. */
  private void fail(int from, Throwable e, double seconds) {
    LOG.warn("pair {}: {} stage failed: {}", task.spec().pairId(), task.stages().get(from), e.toString());
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    failFrom(from, e.getClass().getSimpleName(), message, seconds);
  }

  private void failFrom(int from, String errorClass, String message, double seconds) {
    failed = true;
    for (int stage = from; stage < task.stages().size(); stage++) {
      boolean cause = stage == from || errorClass.equals(TIME_LIMIT_EXCEEDED);
      String why = cause ? message : "not run: the " + task.stages().get(from) + " stage failed";
      registrations.add(stageRow(stage, Registrations.STATUS_FAILED, seconds)
          .set(Registrations.ERROR_CLASS, cause ? errorClass : NOT_RUN)
          .set(Registrations.ERROR, "pair " + task.spec().pairId() + ": " + why).row());
    }
  }

  private RowBuilder stageRow(int stage, String status, double seconds) {
    PairSpec spec = task.spec();
    return new RowBuilder(Registrations.TABLE)
        .set(Registrations.PAIR_ID, spec.pairId())
        .set(Registrations.STAGE, task.stages().get(stage))
        .set(Registrations.STATUS, status)
        .set(Registrations.FIXED, InputUris.redacted(spec.fixed()))
        .set(Registrations.MOVING, InputUris.redacted(spec.moving()))
        .set(Registrations.SECONDS, seconds)
        .set(Registrations.DEVICE, where.deviceName())
        .set(Registrations.GPU_ADDRESS, where.gpuAddress())
        .set(Registrations.EXECUTOR_ID, where.executorId())
        .set(Registrations.ATTEMPT, where.attempt())
        .set(Registrations.CONFIG_HASH, task.configHash())
        .set(Registrations.FINISHED_AT, Instant.now());
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
