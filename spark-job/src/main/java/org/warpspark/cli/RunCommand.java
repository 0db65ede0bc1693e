package org.warpspark.cli;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.warpspark.spark.Manifest;
import org.warpspark.pair.PairSpec;
import org.warpspark.spark.RunJob;
import org.warpspark.spark.SparkSessions;
import org.warpspark.spark.TableFormat;
import org.warpspark.spark.TableLayout;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.storage.StorageAccess;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The batch job: a manifest of pairs in, Parquet tables out. Run it with spark-submit (or on local[*]). */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Registers every pair of a manifest (or of a glob: against a template, or paired by file name) and "
        + "writes the runs, registrations, losses and flow_fields tables under --out, partitioned by run_id.")
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Pairs pairs;

  /** Where the pairs come from: a manifest, or the files of a glob. */
  static final class Pairs {
    @Option(names = "--manifest", required = true, description = "CSV (with header), JSON lines or Parquet: "
        + "pair_id, fixed, moving[, fixed_labels, moving_labels, fixed_mask, overrides]")
    String manifest;
    @ArgGroup(exclusive = false)
    Files files;
  }

  /** The files of a glob: each registered to one template, or paired by their names. */
  static final class Files {
    @Option(names = "--images", required = true, description = "glob of images, e.g. 'scans/*.nii.gz'")
    String images;
    @ArgGroup(exclusive = true, multiplicity = "1")
    Pairing pairing;
  }

  /** How the files of the glob become pairs. */
  static final class Pairing {
    @Option(names = "--template", required = true, description = "the fixed image of every pair; pair ids are the "
        + "images' names")
    String template;
    @Option(names = "--pair-pattern", required = true, description = "regular expression over file names with named "
        + "groups id and role (fixed, moving, fixed_labels, moving_labels, fixed_mask), e.g. "
        + "'(?<id>.+)_(?<role>fixed|moving)\\.nii\\.gz'")
    String pairPattern;
  }

  @Option(names = "--out", required = true, description = "folder of the tables (local, hdfs:, s3a:)")
  String out;
  @Option(names = "--run-id", description = "the run's id, the tables' partition (default: run-<UTC time>)")
  String runId;
  @Mixin
  SettingsOptions settingsOptions;
  @Option(names = "--resume", description = "keep pairs of this run id whose every stage is already ok")
  boolean resume;
  @Option(names = "--dry-run", description = "print the plan (pairs, stages, settings, missing inputs) and stop")
  boolean dryRun;
  @Option(names = "--max-failed-fraction", defaultValue = "0",
      description = "exit 0 while at most this fraction of pairs failed (default ${DEFAULT-VALUE})")
  double maxFailedFraction;
  @Option(names = "--exports", description = "also write each pair's transform.tfm, warped image and "
      + "displacement.nii.gz under <out>/exports/run_id=<id>/<pair_id>/ (URIs in registrations.exports)")
  boolean exports;
  @Option(names = "--qc", description = "also draw each pair's quality-control pictures (checkerboards and edge "
      + "overlays before and after each stage, label contours, the deformable map's Jacobian determinant and "
      + "displacement length, loss curves) under <out>/qc/run_id=<id>/<pair_id>/ (URIs in registrations.exports as "
      + "qc_<kind>), and end with the run's HTML report, <out>/qc/run_id=<id>/index.html")
  boolean qc;
  @Option(names = "--task-gpus", defaultValue = "0", description = "GPUs each registration task asks Spark for "
      + "(default ${DEFAULT-VALUE}), through a task resource profile on the registration stage: a whole number, or 1/n "
      + "so that n tasks share each GPU (0.25: four pairs at once per GPU). Executors must offer GPUs "
      + "(spark.executor.resource.gpu.amount and a discovery script, conf/gpu-discovery.sh); local mode cannot")
  double taskGpus;
  @Option(names = "--batch-size", defaultValue = "1", description = "pairs per task (default ${DEFAULT-VALUE}, "
      + "at most 1024): a task's pairs with the same settings have their affine optimisations done together, "
      + "same-shape pairs in lockstep with one objective call per iteration; their images are in memory together")
  int batchSize;
  @Option(names = "--no-flow-fields", description = "leave the deformable maps out of the flow_fields table "
      + "(about 11 MB a 2 mm brain pair, 85 MB at 1 mm); --exports and --qc still write theirs")
  boolean noFlowFields;
  @Option(names = "--table-format", defaultValue = "parquet", description = "parquet (folders partitioned by "
      + "run_id=, for any engine), iceberg or delta (tables partitioned by run_id, each run's rows replaced in one "
      + "commit, snapshots kept) (default ${DEFAULT-VALUE})")
  TableFormat tableFormat;
  @Option(names = "--catalog", description = "for iceberg or delta: the catalogue and namespace of the tables, as "
      + "catalog.namespace, defined in the Spark settings (REST, Hive, Glue); default: tables under --out (an Iceberg "
      + "Hadoop catalogue, Delta path tables)")
  String catalog;
  @Option(names = "--progress-seconds", defaultValue = "10", description = "print a progress line this often while "
      + "pairs register: pairs done and failed, tasks running, pairs per minute, time left (default ${DEFAULT-VALUE})")
  double progressSeconds;
  @Option(names = "--quiet", description = "print only the final line (for schedulers): no progress lines, no "
      + "report line")
  boolean quiet;
  @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*])")
  String master;

  @Override
  public Integer call() {
    if (!(maxFailedFraction >= 0 && maxFailedFraction <= 1)) {
      throw new IllegalArgumentException("--max-failed-fraction must be in [0, 1], got " + maxFailedFraction);
    }
    RunJob.requireTaskGpus(taskGpus);
    if (!(progressSeconds > 0)) {
      throw new IllegalArgumentException("--progress-seconds must be more than 0 (--quiet for none), got "
          + progressSeconds);
    }
    new TableLayout(tableFormat, catalog); // checked before a session starts
    String id = runId != null ? runId : timestampedId("run");
    if (id.chars().allMatch(Character::isDigit)) {
      // Spark is told to keep partition values as text; engines that guess (DuckDB, Trino, pandas) are not
      spec.commandLine().getErr().println("warning: run id " + id + " is all digits: engines that guess partition "
          + "types read run_id as a number (" + id.replaceFirst("^0+(?=.)", "") + "); a prefix keeps it text, e.g. "
          + "day-" + id);
    }
    StorageAccess.refuseCredentialsInUri(out, "--out");
    StorageAccess.refuseCredentialsInUri(settingsOptions.config, "--config");
    StorageAccess.refuseCredentialsInUri(pairs.manifest, "--manifest");
    if (pairs.files != null) {
      StorageAccess.refuseCredentialsInUri(pairs.files.images, "--images");
      StorageAccess.refuseCredentialsInUri(pairs.files.pairing.template, "--template");
    }
    boolean ownSession = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
    SparkSession spark = SparkSessions.prepareStorage(SparkSessions.builder("warpspark " + id, master).getOrCreate());
    try {
      RegistrationConfig settings = settingsOptions.resolve(spark.sparkContext().hadoopConfiguration(), Map.of());
      List<PairSpec> specs = specs(spark);
      String source = pairs.manifest != null ? pairs.manifest : pairs.files.pairing.template != null
          ? "template " + pairs.files.pairing.template + " against " + pairs.files.images
          : pairs.files.images + " paired by " + pairs.files.pairing.pairPattern;
      RunJob.Options options = RunJob.Options.of(source, specs, out, id, settings).withResume(resume)
          .withDryRun(dryRun).withMaxFailedFraction(maxFailedFraction).withExports(exports).withTaskGpus(taskGpus).withBatchSize(batchSize).withQc(qc)
          .withProgressSeconds(quiet ? 0 : progressSeconds).withFlowFields(!noFlowFields)
          .withTables(new TableLayout(tableFormat, catalog));
      return RunJob.run(spark, options, spec.commandLine().getOut()).exitCode();
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  /** A run id from the UTC time: {@code prefix-yyyyMMddTHHmmssZ}. */
  static String timestampedId(String prefix) {
    return prefix + "-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC));
  }

  private List<PairSpec> specs(SparkSession spark) {
    if (pairs.manifest != null) {
      return Manifest.read(spark, pairs.manifest);
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    return pairs.files.pairing.template != null
        ? Manifest.againstTemplate(pairs.files.pairing.template, pairs.files.images, conf)
        : Manifest.byPattern(pairs.files.images, pairs.files.pairing.pairPattern, conf);
  }

}
