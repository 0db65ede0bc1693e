package org.warpspark.spark;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warpspark.apply.ApplicationSpec;
import org.warpspark.apply.ApplyTransforms;
import org.warpspark.apply.ChainArgument;
import org.warpspark.image.ReadLimits;
import org.warpspark.storage.InputUris;
import org.warpspark.udfs.table.Applications;

/**
 * Applies one manifest row inside a task and turns what happened into its {@code applications} row:
 * ok, or failed with the cause. A failure is recorded, never thrown, so the other rows finish. No
 * input is opened before its URI passes the run's rules (schemes, no credentials in a location).
 */
final class ApplicationRows {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationRows.class);

  private ApplicationRows() {}

  /** Where the task ran, for the {@code executor_id} and {@code attempt} columns; its cores become threads. */
  record Where(String executorId, int attempt, int threads) {}

  static Row apply(ApplicationSpec spec, Configuration conf, ReadLimits limits, Where where) {
    long start = System.nanoTime();
    RowBuilder row = new RowBuilder(Applications.TABLE)
        .set(Applications.APPLICATION_ID, spec.id())
        .set(Applications.EXECUTOR_ID, where.executorId())
        .set(Applications.ATTEMPT, where.attempt());
    try {
      row.set(Applications.KIND, spec.points() ? Applications.KIND_POINTS : Applications.KIND_IMAGE)
          .set(Applications.INPUT, InputUris.redacted(spec.input()))
          .set(Applications.REFERENCE, InputUris.redacted(spec.reference()))
          .set(Applications.OUTPUT, InputUris.redacted(spec.output()))
          .set(Applications.TRANSFORMS, spec.transforms().stream().map(InputUris::redacted).toList())
          .set(Applications.INTERPOLATION, spec.interpolation());
      if (spec.plannedFailure() != null) {
        throw new IllegalArgumentException(spec.plannedFailure());
      }
      requireAllowed(spec, conf);
      if (spec.points()) {
        ApplyTransforms.PointsApplied applied = ApplyTransforms.applyToPoints(spec.input(), spec.chain(),
            spec.output(), spec.ras(), spec.targetPoints(), conf, limits);
        row.set(Applications.POINTS, (long) applied.count());
        if (applied.targetError() != null) {
          row.set(Applications.TRE_MEAN_MM, applied.targetError().meanMm())
              .set(Applications.TRE_MAX_MM, applied.targetError().maxMm());
        }
      } else {
        ApplyTransforms.Request request = spec.request();
        ApplyTransforms.Written written = ApplyTransforms.apply(request, conf, limits, where.threads());
        row.set(Applications.INTERPOLATION, request.interpolator().antsName())
            .set(Applications.DEFAULT_VALUE, request.defaultValue())
            .set(Applications.OUTPUT_TYPE, written.type().name())
            .set(Applications.OUTPUT_VOXELS, written.voxels());
      }
      row.set(Applications.STATUS, Applications.STATUS_OK);
    } catch (RuntimeException | OutOfMemoryError e) {
      LOG.warn("application {}: failed: {}", spec.id(), e.toString());
      row.set(Applications.STATUS, Applications.STATUS_FAILED)
          .set(Applications.ERROR_CLASS, e.getClass().getSimpleName())
          .set(Applications.ERROR, e.getMessage() == null ? e.getClass().getName() : e.getMessage());
    }
    return row.set(Applications.SECONDS, (System.nanoTime() - start) / 1e9)
        .set(Applications.FINISHED_AT, Instant.now()).row();
  }

  /** Every file the row names passes {@link InputUris#refusal} before any is opened. */
  private static void requireAllowed(ApplicationSpec spec, Configuration conf) {
    List<String[]> named = new ArrayList<>();
    named.add(new String[] {"input", spec.input()});
    named.add(new String[] {"reference", spec.reference()});
    named.add(new String[] {"target_points", spec.targetPoints()});
    for (ChainArgument t : spec.chain()) {
      named.add(new String[] {"transform", t.location()});
    }
    for (String[] n : named) {
      String refusal = n[1] == null ? null : InputUris.refusal(n[1], conf);
      if (refusal != null) {
        throw new IllegalArgumentException(n[0] + " " + InputUris.redacted(n[1]) + ": " + refusal);
      }
    }
    InputUris.requireOutputScheme(spec.output(), "output");
  }
}
