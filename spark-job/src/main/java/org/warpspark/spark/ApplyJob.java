package org.warpspark.spark;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warpspark.apply.ApplicationSpec;
import org.warpspark.image.ReadLimits;
import org.warpspark.udfs.table.Applications;
import org.warpspark.udfs.table.Tables;

/**
 * An {@code apply} run: every row of a manifest applies its transform chain in a task of its own,
 * writing its output beside the tables, and the {@code applications} table records each row, ok or
 * failed. Rerunning a run id replaces its table partition and overwrites its outputs.
 */
public final class ApplyJob {
  private static final Logger LOG = LoggerFactory.getLogger(ApplyJob.class);
  private static final int ROWS_PER_FILE = 10_000;

  /**
   * @param manifest the apply manifest ({@link ApplicationManifest})
   * @param maxFailedFraction the largest fraction of failed rows that still counts as success
   */
  public record Options(String manifest, String out, String runId, double maxFailedFraction, ReadLimits limits) {}

  /** What a run did; {@code exitCode} is 0 when the failed fraction is within the limit. */
  public record Summary(long applications, long ok, long failed, int exitCode) {}

  private ApplyJob() {}

  public static Summary run(SparkSession spark, Options options, PrintWriter out) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkSessions.prepareStorage(spark);
    TableFolders folders = new TableFolders(spark, options.out(), options.runId(), null);
    folders.requireReachable();
    List<ApplicationSpec> specs = ApplicationManifest.read(spark, options.manifest(), folders.outputs());
    folders.claim();
    try {
      folders.prepare(spark, Tables.APPLY_RUN);
      LOG.info("apply run {}: {} rows", options.runId(), specs.size());
      jsc.setJobGroup("warpspark-apply-" + options.runId(), "warpspark apply " + options.runId() + ": "
          + specs.size() + " rows", false);
      Broadcast<ShippedConfiguration> conf = jsc.broadcast(new ShippedConfiguration(jsc.hadoopConfiguration()));
      ReadLimits limits = options.limits();
      // One row per task: a slow or failing row holds up no other, and the scheduler balances them.
      JavaRDD<Row> rows = jsc.parallelize(specs, specs.size())
          .map(spec -> ApplicationRows.apply(spec, conf.value().get(), limits, where()))
          .persist(StorageLevel.MEMORY_AND_DISK());
      int status = Applications.TABLE.schema().fieldIndex(Applications.STATUS);
      long failed;
      try {
        failed = rows.filter(r -> Applications.STATUS_FAILED.equals(r.getString(status))).count();
        int files = Math.max(1, (specs.size() + ROWS_PER_FILE - 1) / ROWS_PER_FILE);
        folders.stage(spark.createDataFrame(rows, Applications.TABLE.schema()).coalesce(files), Applications.TABLE);
      } finally {
        rows.unpersist(false);
      }
      folders.publish(spark, Tables.APPLY_RUN);
      long total = specs.size();
      int exitCode = (double) failed / total > options.maxFailedFraction() ? 1 : 0;
      out.printf(Locale.ROOT, "apply %s: %d rows, %d ok, %d failed; table in %s, outputs in %s%n", options.runId(),
          total, total - failed, failed, options.out(), folders.outputs());
      return new Summary(total, total - failed, failed, exitCode);
    } finally {
      folders.release();
    }
  }

  /** This task's executor, attempt and cores (its threads). */
  private static ApplicationRows.Where where() {
    TaskContext task = TaskContext.get();
    return new ApplicationRows.Where(SparkEnv.get().executorId(), task == null ? 0 : task.attemptNumber(),
        task == null ? 1 : task.cpus());
  }
}
