package org.warpspark.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import scala.Option;
import org.slf4j.LoggerFactory;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.ReadLimits;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.storage.InputUris;
import org.warpspark.storage.StorageAccess;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.WarpsparkException;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.table.Table;
import org.warpspark.udfs.table.FlowFields;
import org.warpspark.udfs.table.Losses;
import org.warpspark.udfs.table.Registrations;
import org.warpspark.udfs.table.Runs;
import org.warpspark.udfs.table.Tables;
import org.warpspark.pair.PairSpec;

/**
 * One run: plan on the driver, register every pair in its own task, write the tables. Each task gets
 * a pair's ids, URIs and settings; its rows come back and are written by Spark. The run's tables
 * replace any earlier attempt of the same run id; with {@code resume}, pairs whose every stage is
 * already ok are kept as they are and not run again.
 */
public final class RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(RunJob.class);
  private static final String GPU = "gpu";
  /** Pairs per Parquet file of the registrations and losses tables: few files, not one per pair. */
  private static final int PAIRS_PER_FILE = 1000;
  /**
   * Pairs per flow_fields file: one, so that each pair's field is converted and written by its own
   * task, in parallel (a 192^3 field is ~85 MB of rows; merging them would serialise that work).
   */
  private static final int FLOW_PAIRS_PER_FILE = 1;

  /**
   * What to run; {@link #of} gives the plain run, the {@code with...} methods the rest.
   *
   * @param source what made the pairs (the manifest's URI, or the template shortcut), for the runs table
   * @param resume keep the pairs of this run id whose every stage is already ok
   * @param dryRun print the plan and stop
   * @param maxFailedFraction the largest fraction of failed pairs that still counts as success
   * @param exports whether each pair also writes its {@code ResultFiles} beside the tables
   * @param taskGpus GPUs each registration task asks for (0: none; 1/n: n tasks share a GPU); only that
   *     stage asks for them
   * @param batchSize pairs per task; a task's pairs that share their settings have their affine
   *     optimisations done together ({@link PairBatch})
   * @param qc whether each pair also draws its quality-control pictures ({@code QcFiles})
   * @param progressSeconds how often the driver prints a progress line while pairs register; 0: quiet,
   *     only the final line
   * @param flowFields whether deformable maps become flow_fields rows (false: the table's partition of
   *     the run is empty)
   * @param tables how the tables are kept (format, catalogue)
   */
  public record Options(String source, List<PairSpec> pairs, String out, String runId, RegistrationConfig config,
      boolean resume, boolean dryRun, double maxFailedFraction, boolean exports, double taskGpus, int batchSize,
      boolean qc, double progressSeconds, boolean flowFields, TableLayout tables) {

    public Options {
      if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
        throw new IllegalArgumentException("--batch-size must be 1 to " + MAX_BATCH_SIZE + " pairs, got " + batchSize);
      }
    }

    /** Every pair registered anew, no failure allowed, no exports, no GPUs. */
    public static Options of(String source, List<PairSpec> pairs, String out, String runId, RegistrationConfig config) {
      return new Options(source, pairs, out, runId, config, false, false, 0, false, 0, 1, false,
          RunProgress.DEFAULT_SECONDS, true, TableLayout.PARQUET);
    }

    public Options withResume(boolean resume) {
      return new Options(source, pairs, out, runId, config, resume, dryRun, maxFailedFraction, exports, taskGpus,
          batchSize, qc, progressSeconds, flowFields, tables);
    }

    public Options withDryRun(boolean dryRun) {
      return new Options(source, pairs, out, runId, config, resume, dryRun, maxFailedFraction, exports, taskGpus,
          batchSize, qc, progressSeconds, flowFields, tables);
    }

    public Options withMaxFailedFraction(double fraction) {
      return new Options(source, pairs, out, runId, config, resume, dryRun, fraction, exports, taskGpus,
          batchSize, qc, progressSeconds, flowFields, tables);
    }

    public Options withExports(boolean exports) {
      return new Options(source, pairs, out, runId, config, resume, dryRun, maxFailedFraction, exports, taskGpus,
          batchSize, qc, progressSeconds, flowFields, tables);
    }

    public Options withTaskGpus(double taskGpus) {
      return new Options(source, pairs, out, runId, config, resume, dryRun, maxFailedFraction, exports, taskGpus,
          batchSize, qc, progressSeconds, flowFields, tables);
    }

    /** With QC pictures of every pair under {@code qc/run_id=R/<pair_id>/}, their URIs in the exports column. */
    public Options withQc(boolean qc) {
      return new Options(source, pairs, out, runId, config, resume, dryRun, maxFailedFraction, exports, taskGpus,
          batchSize, qc, progressSeconds, flowFields, tables);
    }

    /** Progress lines every so many seconds; 0: none, and no line but the last ({@code --quiet}). */
    public Options withProgressSeconds(double progressSeconds) {
      return new Options(source, pairs, out, runId, config, resume, dryRun, maxFailedFraction, exports, taskGpus,
          batchSize, qc, progressSeconds, flowFields, tables);
    }

    /** Without flow_fields rows (about 11 MB a 2 mm brain pair, 85 MB at 1 mm): the table stays, empty. */
    public Options withFlowFields(boolean flowFields) {
      return new Options(source, pairs, out, runId, config, resume, dryRun, maxFailedFraction, exports, taskGpus,
          batchSize, qc, progressSeconds, flowFields, tables);
    }

    /** Tables in another format than plain Parquet, or in a catalogue. */
    public Options withTables(TableLayout tables) {
      return new Options(source, pairs, out, runId, config, resume, dryRun, maxFailedFraction, exports, taskGpus,
          batchSize, qc, progressSeconds, flowFields, tables);
    }

    public Options withBatchSize(int batchSize) {
      return new Options(source, pairs, out, runId, config, resume, dryRun, maxFailedFraction, exports, taskGpus,
          batchSize, qc, progressSeconds, flowFields, tables);
    }
  }

  /** What a run did; {@code exitCode} is 0 when the failed fraction is within the limit. */
  public record Summary(long pairs, long ok, long failed, long resumed, int exitCode) {}

  private RunJob() {}

  public static Summary run(SparkSession spark, Options options, PrintWriter out) {
    Instant started = Instant.now();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkSessions.prepareStorage(spark);
    TableFolders folders = new TableFolders(spark, options.out(), options.runId(), options.tables());
    folders.requireReachable();
    List<PairTask> tasks = Planner.plan(options.pairs(), options.config(),
        options.exports() ? folders.exports().toString() : null, options.qc() ? folders.qc().toString() : null,
        jsc.hadoopConfiguration());
    if (!options.flowFields()) {
      tasks = tasks.stream().map(PairTask::withoutFlowFields).toList();
    }
    if (options.dryRun()) {
      printPlan(tasks, options, jsc.hadoopConfiguration(), out);
      return new Summary(tasks.size(), 0, 0, 0, 0);
    }
    // One run per run id at a time: a second would mix its rows into the first's and race its publishing.
    folders.claim(); // also proves the output writable, before any work
    try {
      folders.requireSpace(estimatedBytes(tasks, options.exports()));
      folders.prepare(spark, Tables.REGISTRATION_RUN);
      return registerAndPublish(spark, jsc, options, folders, tasks, started, out);
    } catch (RuntimeException e) {
      throw storageCause(e, options.out());
    } finally {
      folders.release();
      jsc.clearJobGroup(); // and the job description: later jobs on this thread are not the run's
    }
  }

  /**
   * What a run writes, roughly and on the high side: a few rows per affine pair, a flow field per
   * deformable pair (about 11 MB for a 2 mm brain, 85 MB at 1 mm), and as much again for exports.
   */
  static long estimatedBytes(List<PairTask> tasks, boolean exports) {
    long bytes = 0;
    for (PairTask task : tasks) {
      bytes += task.stages().size() > 1 ? DEFORMABLE_PAIR_BYTES : AFFINE_PAIR_BYTES;
    }
    return exports ? 2 * bytes : bytes;
  }

  private static final long AFFINE_PAIR_BYTES = 1L << 20;
  /** The most pairs a task registers: their images are in memory together. */
  public static final int MAX_BATCH_SIZE = 1024;
  private static final long DEFORMABLE_PAIR_BYTES = 32L << 20;

  /**
   * A write that failed deep inside Spark (a full disk, a store that refuses) as one line naming the
   * output and the innermost I/O error; anything else as it is.
   */
  private static RuntimeException storageCause(RuntimeException e, String out) {
    if (e instanceof IllegalArgumentException || e instanceof WarpsparkException
        || e instanceof java.io.UncheckedIOException) {
      return e;
    }
    java.io.IOException root = StorageAccess.rootIoCause(e);
    if (root == null) {
      return e;
    }
    LOG.debug("writing under {} failed", out, e);
    return new java.io.UncheckedIOException("cannot write the run under " + out + ": " + root.getMessage(), root);
  }

  private static Summary registerAndPublish(SparkSession spark, JavaSparkContext jsc, Options options,
      TableFolders folders, List<PairTask> tasks, Instant started, PrintWriter out) {
    jsc.setJobDescription(description(options, "reading the pairs an earlier attempt finished"));
    RunJournal journal = folders.journal();
    Kept kept = Kept.NONE;
    if (options.resume()) {
      // Without its runs row, the run's published rows may mix two attempts (one died while
      // publishing): only the journal, which goes once a publish is whole, is kept then.
      Set<String> published = folders.existing(spark, Runs.TABLE) == null ? Set.of()
          : finishedPairs(folders.existing(spark, Registrations.TABLE), folders.existing(spark, FlowFields.TABLE),
              tasks, options.flowFields());
      Set<String> journaled = new java.util.HashSet<>(finishedPairs(journal.rows(spark, Registrations.TABLE),
          journal.rows(spark, FlowFields.TABLE), tasks, options.flowFields()));
      journaled.removeAll(published);
      kept = new Kept(published, journaled);
    } else {
      journal.delete(jsc.hadoopConfiguration()); // an earlier attempt's, which this run replaces
    }
    Set<String> keptPairs = kept.all();
    List<PairTask> toRun = tasks.stream().filter(t -> !keptPairs.contains(t.spec().pairId())).toList();
    LOG.info("run {}: {} pairs, {} kept from an earlier attempt ({} from its journal), {} to register",
        options.runId(), tasks.size(), keptPairs.size(), kept.journaled().size(), toRun.size());
    jsc.setJobGroup("warpspark-" + options.runId(), description(options, "registering " + toRun.size() + " pairs"),
        false);

    Broadcast<ShippedConfiguration> conf = jsc.broadcast(new ShippedConfiguration(jsc.hadoopConfiguration()));
    // One pair per partition unless batched: a failure or retry touches one task's pairs, and the
    // scheduler balances tasks. Consecutive pairs share a task (a manifest lists like pairs together).
    JavaRDD<PairTask> pairs = jsc.parallelize(toRun,
        Math.max(1, (toRun.size() + options.batchSize() - 1) / options.batchSize()));
    if (options.taskGpus() > 0) {
      // A task-only profile: the executors' GPUs are held by the registration stage's tasks alone.
      pairs = pairs.withResources(new ResourceProfileBuilder().require(new TaskResourceRequests()
          .cpus(spark.sparkContext().conf().getInt("spark.task.cpus", 1)).resource(GPU, options.taskGpus())).build());
    }
    // each task counts the pairs it registered, and the failed ones among them, for the progress lines
    LongAccumulator done = jsc.sc().longAccumulator(RunProgress.DONE);
    LongAccumulator failedCount = jsc.sc().longAccumulator(RunProgress.FAILED);
    JavaRDD<PairRows.Outcome> outcomes = pairs
        .mapPartitions(partition -> {
          List<PairTask> batch = new ArrayList<>();
          partition.forEachRemaining(batch::add);
          if (batch.isEmpty()) {
            return Collections.<PairRows.Outcome>emptyIterator();
          }
          List<PairRows.Outcome> registered = PairBatch.register(batch, conf.value().get(),
              where(batch.get(0).spec().pairId()));
          for (int i = 0; i < registered.size(); i++) {
            if (!registered.get(i).failed()) {
              record(journal, batch.get(i).spec().pairId(), registered.get(i), conf.value().get());
            }
          }
          done.add(registered.size());
          failedCount.add(registered.stream().filter(PairRows.Outcome::failed).count());
          return registered.iterator();
        })
        .persist(StorageLevel.MEMORY_AND_DISK());
    long failed;
    try {
      // Every pair registers here, in parallel; the writes below read the kept rows.
      try (RunProgress progress = new RunProgress(jsc, options.runId(), toRun.size(), done, failedCount,
          options.progressSeconds(), out)) {
        failed = outcomes.filter(PairRows.Outcome::failed).count();
      }
      jsc.setJobDescription(description(options, "writing the registrations table"));
      folders.stage(kept.with(spark, folders, Registrations.TABLE, rows(spark, outcomes,
          PairRows.Outcome::registrations, Registrations.TABLE, toRun.size(), PAIRS_PER_FILE)), Registrations.TABLE);
      jsc.setJobDescription(description(options, "writing the losses table"));
      folders.stage(kept.with(spark, folders, Losses.TABLE, rows(spark, outcomes,
          PairRows.Outcome::losses, Losses.TABLE, toRun.size(), PAIRS_PER_FILE)), Losses.TABLE);
      jsc.setJobDescription(description(options, "writing the flow_fields table"));
      // without flow fields the run's partition is empty: not even kept pairs' earlier rows
      folders.stage(options.flowFields() ? kept.with(spark, folders, FlowFields.TABLE, rows(spark, outcomes,
          PairRows.Outcome::flowFields, FlowFields.TABLE, toRun.size(), FLOW_PAIRS_PER_FILE))
          : spark.createDataFrame(List.of(), FlowFields.TABLE.schema()), FlowFields.TABLE);
    } finally {
      outcomes.unpersist(false);
    }
    Summary summary = summary(tasks.size(), failed, keptPairs.size(), options.maxFailedFraction());
    jsc.setJobDescription(description(options, "writing the runs table"));
    folders.stage(runRow(spark, options, started, summary), Runs.TABLE);
    folders.publish(spark, Tables.REGISTRATION_RUN);
    try {
      journal.delete(jsc.hadoopConfiguration());
    } catch (RuntimeException e) { // the tables are published: a journal left behind only takes space
      LOG.warn("run {}: the journal could not be removed ({}); the next run of this id removes it",
          options.runId(), e.getMessage());
    }
    if (options.qc()) {
      report(spark, jsc, options, out);
    }
    out.printf(Locale.ROOT, "run %s: %d pairs, %d ok, %d failed (%d kept from an earlier attempt); tables in %s%n",
        options.runId(), summary.pairs(), summary.ok(), summary.failed(), summary.resumed(), options.out());
    return summary;
  }

  /** What the Spark UI shows for a job of this run. */
  private static String description(Options options, String step) {
    return "warpspark run " + options.runId() + ": " + step;
  }

  /** The run's report; the tables are published already, so a report that cannot be written only says so. */
  private static void report(SparkSession spark, JavaSparkContext jsc, Options options, PrintWriter out) {
    jsc.setJobDescription(description(options, "writing the report"));
    try {
      String index = RunReports.write(spark, options.out(), options.tables(), options.runId(), null);
      if (options.progressSeconds() > 0) {
        out.println("report: " + index + " (open it in a browser)");
      }
    } catch (Exception e) { // Spark's own exceptions are checked but undeclared
      LOG.warn("run {}: the report could not be written", options.runId(), e);
      out.println("report not written: " + e.getMessage());
    }
  }

  /** The project's version, as the build wrote it beside the classes (the same in the jar and from classes). */
  public static String version() {
    try (java.io.InputStream in = RunJob.class.getResourceAsStream("/warpspark-version.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read the build's version", e);
    }
  }

  /**
   * Checks a per-task GPU amount as Spark's scheduler reads it: a whole number of GPUs, or a share 1/n
   * of one (n tasks on each GPU). Spark would round other fractions down to 1/n without saying so.
   */
  public static void requireTaskGpus(double amount) {
    boolean whole = amount >= 0 && amount == Math.rint(amount);
    boolean share = amount > 0 && amount < 1 && Math.abs(1 / amount - Math.rint(1 / amount)) < 1e-9;
    if (!whole && !share) {
      throw new IllegalArgumentException("--task-gpus must be a whole number of GPUs or a share 1/n of one "
          + "(0.5, 0.25, ...), got " + amount);
    }
  }

  /**
   * Where this task runs: on the GPU Spark assigned it when libtorch sees CUDA devices, else on the
   * CPU (and the log says why). libtorch loads offline with as many intra-op threads as the task has
   * cores ({@code spark.task.cpus}).
   */
  private static PairRows.Where where(String pairId) {
    TaskContext task = TaskContext.get();
    NativeScope.prepareEngine(task == null ? 1 : task.cpus());
    String executor = SparkEnv.get().executorId();
    if (task == null) {
      return PairRows.Where.cpu(executor);
    }
    Option<ResourceInformation> gpu = task.resources().get(GPU);
    String address = gpu.isDefined() && gpu.get().addresses().length > 0 ? gpu.get().addresses()[0] : null;
    ai.djl.Device device;
    try {
      device = NativeScope.deviceFor(address);
    } catch (RuntimeException e) {
      LOG.warn("pair {}: cannot use GPU {} ({}); running on the CPU", pairId, address, e.getMessage());
      device = ai.djl.Device.cpu();
    }
    if (address != null && !device.isGpu()) {
      LOG.warn("pair {}: task was given GPU {} but libtorch sees no CUDA device; running on the CPU", pairId,
          address);
    }
    return new PairRows.Where(device, address, executor, task.attemptNumber());
  }

  /** One table's rows of every outcome, in files of about {@code pairsPerFile} pairs each. */
  private static Dataset<Row> rows(SparkSession spark, JavaRDD<PairRows.Outcome> outcomes,
      org.apache.spark.api.java.function.Function<PairRows.Outcome, List<Row>> table, Table schema, int pairs,
      int pairsPerFile) {
    // a task's pairs stay together: with --batch-size N, a file holds at least N pairs
    int files = Math.max(1, (pairs + pairsPerFile - 1) / pairsPerFile);
    JavaRDD<Row> rows = outcomes.flatMap(o -> table.call(o).iterator());
    return spark.createDataFrame(files < outcomes.getNumPartitions() ? rows.coalesce(files) : rows, schema.schema());
  }

  /**
   * Pairs of this manifest that an earlier attempt of this run id finished: every stage the pair now
   * runs has an ok row, made with the settings the pair has now, and, when this run keeps flow fields,
   * a deformable pair has its flow_fields rows (an attempt with --no-flow-fields made none).
   */
  private static Set<String> finishedPairs(Dataset<Row> existing, Dataset<Row> flow, List<PairTask> tasks,
      boolean flowFields) {
    if (existing == null) {
      return Set.of();
    }
    Set<String> withFlow = !flowFields || flow == null ? Set.of() : flow.select(FlowFields.PAIR_ID).distinct()
        .collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toSet());
    Map<String, PairTask> byId = tasks.stream().collect(Collectors.toMap(t -> t.spec().pairId(), t -> t));
    Set<String> finished = new java.util.HashSet<>();
    for (Row r : existing.groupBy(Registrations.PAIR_ID)
        .agg(max(when(col(Registrations.STATUS).equalTo(Registrations.STATUS_OK), 0).otherwise(1)).as("bad"),
            count(lit(1)).as("stages"), countDistinct(col(Registrations.CONFIG_HASH)).as("hashes"),
            first(col(Registrations.CONFIG_HASH)).as("hash"))
        .collectAsList()) {
      PairTask task = byId.get(r.getString(0));
      boolean flowKept = !flowFields || task == null || task.stages().size() < 2 || withFlow.contains(r.getString(0));
      if (task != null && r.getInt(1) == 0 && r.getLong(2) == task.stages().size() && r.getLong(3) == 1
          && task.configHash().equals(r.getString(4)) && flowKept) {
        finished.add(task.spec().pairId());
      }
    }
    return finished;
  }

  /**
   * The pairs an earlier attempt of this run id finished, kept as they are: those in its published
   * tables, and those only its journal holds (its driver died before publishing).
   */
  private record Kept(Set<String> published, Set<String> journaled) {
    static final Kept NONE = new Kept(Set.of(), Set.of());

    Set<String> all() {
      Set<String> all = new java.util.HashSet<>(published);
      all.addAll(journaled);
      return all;
    }

    /** The new rows plus the kept pairs' rows of {@code table}, from where each was kept. */
    Dataset<Row> with(SparkSession spark, TableFolders folders, Table table, Dataset<Row> fresh) {
      Dataset<Row> rows = fresh;
      Dataset<Row> old = published.isEmpty() ? null : folders.existing(spark, table);
      if (old != null) {
        rows = rows.unionByName(old.filter(col(Registrations.PAIR_ID).isin(published.toArray())));
      }
      Dataset<Row> journal = journaled.isEmpty() ? null : folders.journal().rows(spark, table);
      if (journal != null) {
        rows = rows.unionByName(journal.filter(col(Registrations.PAIR_ID).isin(journaled.toArray())));
      }
      return rows;
    }
  }

  /**
   * Records a registered pair in the run's journal. A journal that cannot be written costs only the
   * pair's safety against a driver crash, not the pair: the run goes on.
   */
  private static void record(RunJournal journal, String pairId, PairRows.Outcome outcome, Configuration conf) {
    try {
      journal.record(pairId, outcome, conf);
    } catch (RuntimeException e) {
      LOG.warn("pair {}: not recorded in the run's journal ({}); a crash before publishing would register it again",
          pairId, e.getMessage());
    }
  }

  /** Kept pairs were all ok; the failed ones are among those registered now. */
  private static Summary summary(long pairs, long failed, long resumed, double maxFailedFraction) {
    int exitCode = pairs > 0 && (double) failed / pairs > maxFailedFraction ? 1 : 0;
    return new Summary(pairs, pairs - failed, failed, resumed, exitCode);
  }

  private static Dataset<Row> runRow(SparkSession spark, Options options, Instant started, Summary summary) {
    Map<String, String> versions = new TreeMap<>();
    versions.put("warpspark", version());
    versions.put("spark", spark.version());
    versions.put("java", System.getProperty("java.version"));
    Row row = new RowBuilder(Runs.TABLE)
        .set(Runs.STARTED_AT, started)
        .set(Runs.FINISHED_AT, Instant.now())
        .set(Runs.MANIFEST, options.source())
        .set(Runs.CONFIG, options.config().text())
        .set(Runs.CONFIG_HASH, options.config().hash())
        .set(Runs.VERSIONS, versions)
        .set(Runs.MASTER, spark.sparkContext().master())
        .set(Runs.PAIRS, summary.pairs())
        .set(Runs.OK, summary.ok())
        .set(Runs.FAILED, summary.failed())
        .set(Runs.RESUMED, summary.resumed())
        .row();
    return spark.createDataFrame(List.of(row), Runs.TABLE.schema()).coalesce(1);
  }

  /**
   * The plan, pair by pair, with the voxel counts the image headers claim (only headers are read) and
   * what will fail.
   */
  private static void printPlan(List<PairTask> tasks, Options options, Configuration conf, PrintWriter out) {
    out.printf(Locale.ROOT, "plan for run %s (%s), %d pairs, settings %s:%n%s", options.runId(), options.source(),
        tasks.size(), options.config().hash().substring(0, 12), options.config().text());
    long total = 0;
    int failing = 0;
    for (PairTask task : tasks) {
      String problem = task.plannedFailure();
      String voxels = "";
      if (problem == null) {
        try {
          ReadLimits limits = RegistrationConfig.of(task.settings()).readLimits();
          Grid fixed = ImageFiles.readGrid(task.spec().fixed(), conf, limits);
          Grid moving = ImageFiles.readGrid(task.spec().moving(), conf, limits);
          total += fixed.voxelCount() + moving.voxelCount();
          voxels = ", fixed " + shape(fixed) + ", moving " + shape(moving);
          if (fixed.dim() != moving.dim()) {
            problem = "the fixed image is " + fixed.dim() + "D but the moving image is " + moving.dim() + "D";
          }
        } catch (RuntimeException e) {
          problem = e.getMessage();
        }
      }
      failing += problem == null ? 0 : 1;
      out.printf(Locale.ROOT, "  %s: %s <- %s, stages %s%s%s%s%n", task.spec().pairId(),
          InputUris.redacted(task.spec().fixed()), InputUris.redacted(task.spec().moving()),
          String.join(",", task.stages()), voxels,
          task.spec().overrides().isEmpty() ? "" : ", overrides " + task.spec().overrides(),
          problem == null ? "" : " -- WILL FAIL: " + problem);
    }
    out.printf(Locale.ROOT, "%d pairs, %d will fail, %.1f million voxels to read%n", tasks.size(), failing,
        total / 1e6);
  }

  private static String shape(Grid grid) {
    return Arrays.stream(grid.size()).mapToObj(String::valueOf).collect(Collectors.joining("x"));
  }
}
