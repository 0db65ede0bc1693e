package org.warpspark.job.batch;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warpspark.engine.affine.AffineRegistration;
import org.warpspark.engine.affine.AffineResult;
import org.warpspark.engine.affine.LevelTrace;
import org.warpspark.engine.deformable.DeformableRegistration;
import org.warpspark.engine.deformable.DeformableResult;
import org.warpspark.engine.deformable.DeformableSettings;
import org.warpspark.engine.sample.Warper;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.ImageFormat;
import org.warpspark.image.ReadLimits;
import org.warpspark.job.OutputFolder;
import org.warpspark.job.RegistrationConfig;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.metric.Dice;
import org.warpspark.udfs.metric.ImageSimilarity;
import org.warpspark.udfs.metric.JacobianStatistics;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.ItkTransformFile;
import org.warpspark.udfs.table.Tables;

/**
 * Registers one pair inside a task and turns what happened into table rows: exactly one
 * {@code registrations} row per stage, ok or failed, and the loss curve of every stage that ran. A
 * failure is recorded, never thrown: a stage that cannot run (its input or an earlier stage failed)
 * gets a failed row that says why. Every native array lives in the pair's own scope.
 */
final class PairRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(PairRegistration.class);
  private static final String ITK_TRANSFORM = "transform.tfm";
  private static final String DISPLACEMENT = "displacement.nii.gz";
  /** The error class of a stage that did not run because an earlier one failed. */
  static final String NOT_RUN = "NotRun";

  /**
   * Where a task ran, for the {@code device}, {@code gpu_address}, {@code executor_id} and
   * {@code attempt} columns.
   *
   * @param gpuAddress the GPU Spark assigned to the task, or null
   */
  record Where(Device device, String gpuAddress, String executorId, int attempt) {
    static Where cpu(String executorId) {
      return new Where(Device.cpu(), null, executorId, 0);
    }

    /** {@code cpu} or {@code gpu:N}. */
    String deviceName() {
      return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }
  }

  /** The rows of one pair, per table. */
  record Outcome(List<Row> registrations, List<Row> losses, List<Row> flowFields, boolean failed)
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

  private PairRegistration(PairTask task, Configuration conf, Where where) {
    this.task = task;
    this.conf = conf;
    this.config = RegistrationConfig.of(task.settings());
    this.where = where;
  }

  static Outcome run(PairTask task, Configuration conf, Where where) {
    PairRegistration pair = new PairRegistration(task, conf, where);
    pair.run();
    return new Outcome(List.copyOf(pair.registrations), List.copyOf(pair.losses), List.copyOf(pair.flowFields),
        pair.failed);
  }

  private void run() {
    long start = System.nanoTime();
    if (task.plannedFailure() != null) {
      failRemaining(0, "InputNotFound", task.plannedFailure(), start);
      return;
    }
    Inputs inputs;
    try {
      inputs = Inputs.read(task.spec(), conf, config.readLimits());
    } catch (RuntimeException | OutOfMemoryError e) {
      fail(0, e, start);
      return;
    }
    NDManager manager;
    try {
      manager = NativeScope.open(where.device());
    } catch (RuntimeException e) {
      fail(0, e, start);
      return;
    }
    try (manager) {
      AffineResult affine;
      Seen throughAffine; // the affine stage's result is the deformable stage's start: warped once
      try {
        affine = new AffineRegistration(config.affine()).register(inputs.fixed(), inputs.moving(), inputs.mask(),
            manager);
        throughAffine = affineRow(inputs, affine, manager, start);
      } catch (RuntimeException | OutOfMemoryError e) {
        fail(0, e, start);
        return;
      }
      if (config.deformable() != null) {
        long deformableStart = System.nanoTime();
        try {
          DeformableResult refined = new DeformableRegistration(config.deformable())
              .register(inputs.fixed(), inputs.moving(), inputs.mask(), affine.fixedToMoving(), manager);
          deformableRow(inputs, config.deformable(), affine, throughAffine, refined, manager, deformableStart);
        } catch (RuntimeException | OutOfMemoryError e) {
          fail(1, e, deformableStart);
        }
      }
    }
  }

  /** The pair's images, read by the task. */
  private record Inputs(Image fixed, Image moving, Image mask, Image fixedLabels, Image movingLabels) {
    static Inputs read(PairSpec spec, Configuration conf, ReadLimits limits) {
      return new Inputs(ImageFiles.read(spec.fixed(), conf, limits), ImageFiles.read(spec.moving(), conf, limits),
          optional(spec.fixedMask(), conf, limits), optional(spec.fixedLabels(), conf, limits),
          optional(spec.movingLabels(), conf, limits));
    }

    private static Image optional(String uri, Configuration conf, ReadLimits limits) {
      return uri == null ? null : ImageFiles.read(uri, conf, limits);
    }

    boolean labelled() {
      return fixedLabels != null && movingLabels != null;
    }
  }

  /** The moving image (and labels) on the fixed grid through one map, with the metrics they give. */
  private record Seen(Image warped, double mse, double ncc, double mi, Map<Integer, Double> dice) {
    static Seen through(Inputs in, Affine affine, DisplacementField field, NDManager manager) {
      Image warped = field != null ? Warper.warp(in.moving(), field, Warper.Interpolation.LINEAR, manager)
          : Warper.warp(in.moving(), in.fixed().grid(), affine, Warper.Interpolation.LINEAR, manager);
      float[] mask = in.mask() == null ? null : in.mask().voxels();
      float[] f = in.fixed().voxels();
      Map<Integer, Double> dice = null;
      if (in.labelled()) {
        Image labels = field != null ? Warper.warp(in.movingLabels(), field, Warper.Interpolation.NEAREST, manager)
            : Warper.warp(in.movingLabels(), in.fixed().grid(), affine, Warper.Interpolation.NEAREST, manager);
        dice = Dice.perLabel(in.fixedLabels().voxels(), labels.voxels());
      }
      return new Seen(warped, ImageSimilarity.meanSquaredError(f, warped.voxels(), mask),
          ImageSimilarity.normalisedCrossCorrelation(f, warped.voxels(), mask),
          ImageSimilarity.mutualInformation(f, warped.voxels(), mask), dice);
    }
  }

  /** The affine stage's row; returns what its result shows (the deformable stage's starting point). */
  private Seen affineRow(Inputs in, AffineResult result, NDManager manager, long start) {
    int d = in.fixed().dim();
    Seen before = Seen.through(in, Affine.identity(d), null, manager);
    Seen after = Seen.through(in, result.fixedToMoving(), null, manager);
    RowBuilder row = stageRow(0, Tables.STATUS_OK, start)
        .set(Tables.DIM, d)
        .set(Tables.MODEL, lower(result.model()))
        .set(Tables.LOSS, lower(config.affine().loss()))
        .set(Tables.FIXED_TO_MOVING, result.fixedToMoving().rowMajor())
        .set(Tables.PARAMETER_NAMES, result.model().parameterNames(d))
        .set(Tables.PARAMETERS, result.parameters())
        .set(Tables.CENTRE, result.centre())
        .set(Tables.INITIAL_LOSS, result.initialLoss())
        .set(Tables.FINAL_LOSS, result.finalLoss())
        .set(Tables.ITERATIONS, result.totalIterations());
    metrics(row, before, after);
    if (task.exportFolder() != null) {
      Map<String, String> files = new LinkedHashMap<>();
      OutputFolder folder = new OutputFolder(task.exportFolder(), conf);
      folder.writeText(ITK_TRANSFORM, ItkTransformFile.format(result.fixedToMoving(), result.centre()));
      files.put("itk_transform", folder.resolve(ITK_TRANSFORM));
      if (config.deformable() == null) {
        files.put("warped", writeWarped(folder, after.warped()));
      }
      row.set(Tables.EXPORTS, files);
    }
    List<Row> curve = lossRows(0, result.levels());
    registrations.add(row.row());
    losses.addAll(curve);
    return after;
  }

  /** The warped moving image, in the moving file's format; its URI. */
  private String writeWarped(OutputFolder folder, Image warped) {
    String uri = folder.resolve("warped" + ImageFormat.extensionOf(task.spec().moving()));
    ImageFiles.write(warped, uri, conf);
    return uri;
  }

  private void deformableRow(Inputs in, DeformableSettings settings, AffineResult affine, Seen before,
      DeformableResult result, NDManager manager, long start) {
    Seen after = Seen.through(in, null, result.fixedToMoving(), manager);
    JacobianStatistics jacobian = JacobianStatistics.of(result.fixedToMoving());
    RowBuilder row = stageRow(1, Tables.STATUS_OK, start)
        .set(Tables.DIM, in.fixed().dim())
        .set(Tables.MODEL, settings.diffeomorphic() ? "velocity" : "bspline")
        .set(Tables.LOSS, lower(settings.loss()))
        .set(Tables.FIXED_TO_MOVING, affine.fixedToMoving().rowMajor())
        .set(Tables.INITIAL_LOSS, result.initialLoss())
        .set(Tables.FINAL_LOSS, result.finalLoss())
        .set(Tables.ITERATIONS, result.levels().stream().mapToInt(LevelTrace::iterations).sum())
        .set(Tables.FOLDING_FRACTION, jacobian.foldingFraction())
        .set(Tables.SD_LOG_JACOBIAN, jacobian.sdLogJacobian())
        .set(Tables.JACOBIAN_MIN, jacobian.min())
        .set(Tables.JACOBIAN_MAX, jacobian.max());
    metrics(row, before, after);
    if (task.exportFolder() != null) {
      OutputFolder folder = new OutputFolder(task.exportFolder(), conf);
      String field = folder.resolve(DISPLACEMENT);
      ImageFiles.writeDisplacementField(result.fixedToMoving(), field, conf);
      row.set(Tables.EXPORTS, Map.of("displacement_field", field, "warped", writeWarped(folder, after.warped())));
    }
    List<Row> curve = lossRows(1, result.levels());
    List<Row> field = flowRows(result.fixedToMoving());
    registrations.add(row.row()); // the stage's rows go in together, once all of them are made
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
    String[] components = {Tables.U_X, Tables.U_Y, Tables.U_Z};
    for (int z = 0; z < slices; z++) {
      RowBuilder row = new RowBuilder(Tables.FLOW_FIELDS).set(Tables.PAIR_ID, task.spec().pairId())
          .set(Tables.STAGE, task.stages().get(1)).set(Tables.SLICE, z).set(Tables.DIM, d)
          .set(Tables.SIZE, size).set(Tables.SPACING, grid.spacing()).set(Tables.ORIGIN, grid.origin())
          .set(Tables.DIRECTION, grid.direction());
      for (int c = 0; c < d; c++) {
        row.set(components[c], Arrays.copyOfRange(field.components()[c], z * sliceVoxels, (z + 1) * sliceVoxels));
      }
      rows.add(row.row());
    }
    return rows;
  }

  private static void metrics(RowBuilder row, Seen before, Seen after) {
    row.set(Tables.MSE_BEFORE, before.mse()).set(Tables.MSE_AFTER, after.mse())
        .set(Tables.NCC_BEFORE, before.ncc()).set(Tables.NCC_AFTER, after.ncc())
        .set(Tables.MI_BEFORE, before.mi()).set(Tables.MI_AFTER, after.mi())
        .set(Tables.DICE_BEFORE, before.dice()).set(Tables.DICE_AFTER, after.dice());
  }

  private List<Row> lossRows(int stage, List<LevelTrace> levels) {
    List<Row> rows = new ArrayList<>();
    for (int level = 0; level < levels.size(); level++) {
      LevelTrace trace = levels.get(level);
      double[] values = trace.losses();
      for (int i = 0; i < values.length; i++) {
        rows.add(new RowBuilder(Tables.LOSSES).set(Tables.PAIR_ID, task.spec().pairId())
            .set(Tables.STAGE, task.stages().get(stage)).set(Tables.LEVEL, level).set(Tables.FACTOR, trace.factor())
            .set(Tables.ITERATION, i).set(Tables.LOSS, values[i]).row());
      }
    }
    return rows;
  }

  /** A failed row for stage {@code from}, and for every later stage, which cannot run without it. */
  private void fail(int from, Throwable e, long start) {
    LOG.warn("pair {}: {} stage failed: {}", task.spec().pairId(), task.stages().get(from), e.toString());
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    failRemaining(from, e.getClass().getSimpleName(), message, start);
  }

  private void failRemaining(int from, String errorClass, String message, long start) {
    failed = true;
    for (int stage = from; stage < task.stages().size(); stage++) {
      boolean cause = stage == from;
      String why = cause ? message : "not run: the " + task.stages().get(from) + " stage failed";
      registrations.add(stageRow(stage, Tables.STATUS_FAILED, start).set(Tables.ERROR_CLASS, cause ? errorClass : NOT_RUN)
          .set(Tables.ERROR, "pair " + task.spec().pairId() + ": " + why).row());
    }
  }

  private RowBuilder stageRow(int stage, String status, long start) {
    PairSpec spec = task.spec();
    return new RowBuilder(Tables.REGISTRATIONS)
        .set(Tables.PAIR_ID, spec.pairId())
        .set(Tables.STAGE, task.stages().get(stage))
        .set(Tables.STATUS, status)
        .set(Tables.FIXED, spec.fixed())
        .set(Tables.MOVING, spec.moving())
        .set(Tables.SECONDS, (System.nanoTime() - start) / 1e9)
        .set(Tables.DEVICE, where.deviceName())
        .set(Tables.GPU_ADDRESS, where.gpuAddress())
        .set(Tables.EXECUTOR_ID, where.executorId())
        .set(Tables.ATTEMPT, where.attempt())
        .set(Tables.CONFIG_HASH, task.configHash())
        .set(Tables.FINISHED_AT, Instant.now());
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
