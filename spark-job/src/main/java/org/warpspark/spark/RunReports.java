package org.warpspark.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.warpspark.pair.PairResult;
import org.warpspark.qc.ReportPages;
import org.warpspark.qc.RunReport;
import org.warpspark.storage.OutputFolder;
import org.warpspark.storage.StorageAccess;
import org.warpspark.udfs.table.Registrations;
import org.warpspark.udfs.table.Runs;
import org.warpspark.udfs.table.Table;

/**
 * Renders a run's report ({@link ReportPages}) from its published tables, so that any run made before
 * can have one; {@code run --qc} renders its own at the end. Only the runs and registrations rows come
 * to the driver, never an image: the pictures are linked where the pairs' tasks drew them.
 */
public final class RunReports {
  /** Picture exports are listed in the registrations' exports column under this prefix. */
  static final String PICTURE = "qc_";

  private RunReports() {}

  /**
   * Writes the report of run {@code runId} (null: the run that finished last) under the tables in
   * {@code out} into {@code folder} (null: {@code out/qc/run_id=R/}, beside its pictures); returns the
   * URI of its index page.
   */
  public static String write(SparkSession spark, String out, String runId, String folder) {
    return write(spark, out, null, runId, folder);
  }

  /** As {@link #write(SparkSession, String, String, String)}, the tables kept as {@code layout} says. */
  static String write(SparkSession spark, String out, TableLayout layout, String runId, String folder) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String id = runId != null ? runId : lastRun(spark, TableFolders.tables(spark, out, layout), out);
    TableFolders tables = new TableFolders(spark, out, id, layout);
    Dataset<Row> registrations = tables.existing(spark, Registrations.TABLE);
    if (registrations == null) {
      throw new IllegalArgumentException("no registrations of run " + id + " in "
          + tables.tables().name(Registrations.TABLE));
    }
    Dataset<Row> runs = tables.existing(spark, Runs.TABLE);
    List<RunReport.Pair> pairs = pairs(registrations.collectAsList());
    // pair ids name the pages' folders: tables written by anything else are held to the manifest's rule
    Manifest.checkIds(pairs.stream().map(RunReport.Pair::pairId).toList(), Registrations.PAIR_ID,
        "the registrations of run " + id);
    RunReport report = new RunReport(id, runs == null ? null : run(runs.collectAsList()), pairs);
    String target = qualified(folder != null ? folder : tables.qc().toString(), conf);
    OutputFolder pages = new OutputFolder(target, conf);
    ReportPages.pages(report, target).forEach((name, html) -> pages.writeBytes(name,
        html.getBytes(StandardCharsets.UTF_8)));
    return pages.resolve("index.html");
  }

  /** The id of the run under {@code out} that finished last. */
  private static String lastRun(SparkSession spark, TableStore tables, String out) {
    Dataset<Row> runs = tables.rows(spark, Runs.TABLE);
    if (runs == null) {
      throw new IllegalArgumentException("no runs table under " + out + ": is it a run's --out folder?");
    }
    List<Row> last = runs.orderBy(col(Runs.FINISHED_AT).desc())
        .select(Table.RUN_ID).limit(1).collectAsList();
    if (last.isEmpty()) {
      throw new IllegalArgumentException("the runs table under " + out + " holds no run");
    }
    return String.valueOf(last.get(0).get(0));
  }

  private static String qualified(String folder, Configuration conf) {
    Path path = new Path(folder);
    try {
      return path.getFileSystem(conf).makeQualified(path).toString();
    } catch (IOException e) {
      throw StorageAccess.failure("cannot reach " + folder, e);
    }
  }

  private static RunReport.Run run(List<Row> rows) {
    if (rows.isEmpty()) {
      return null;
    }
    Row r = rows.get(0);
    Map<String, String> versions = r.isNullAt(r.fieldIndex(Runs.VERSIONS)) ? Map.of()
        : new TreeMap<>(r.<String, String>getJavaMap(r.fieldIndex(Runs.VERSIONS)));
    return new RunReport.Run(instant(r, Runs.STARTED_AT), instant(r, Runs.FINISHED_AT), r.getAs(Runs.MANIFEST),
        r.getAs(Runs.CONFIG), versions, r.getAs(Runs.MASTER), r.<Long>getAs(Runs.PAIRS), r.<Long>getAs(Runs.OK),
        r.<Long>getAs(Runs.FAILED), r.<Long>getAs(Runs.RESUMED));
  }

  private static java.time.Instant instant(Row r, String column) {
    Object v = r.getAs(column);
    return v instanceof Timestamp t ? t.toInstant() : v instanceof java.time.Instant i ? i : null;
  }

  /** The rows grouped by pair, stages in the order they run. */
  static List<RunReport.Pair> pairs(List<Row> rows) {
    Map<String, List<RunReport.Stage>> byPair = new TreeMap<>();
    for (Row r : rows) {
      byPair.computeIfAbsent(r.getAs(Registrations.PAIR_ID), k -> new ArrayList<>()).add(stage(r));
    }
    List<RunReport.Pair> pairs = new ArrayList<>();
    byPair.forEach((id, stages) -> {
      stages.sort(Comparator.comparing(s -> !PairResult.AFFINE.equals(s.stage())));
      pairs.add(new RunReport.Pair(id, stages));
    });
    return pairs;
  }

  private static RunReport.Stage stage(Row r) {
    Map<String, String> pictures = new LinkedHashMap<>();
    Map<String, String> exports = map(r, Registrations.EXPORTS);
    exports.forEach((k, v) -> {
      if (k.startsWith(PICTURE)) {
        pictures.put(k.substring(PICTURE.length()), v);
      }
    });
    int warnings = r.fieldIndex(Registrations.WARNINGS);
    return new RunReport.Stage(r.getAs(Registrations.STAGE), r.getAs(Registrations.STATUS),
        r.getAs(Registrations.ERROR_CLASS), r.getAs(Registrations.ERROR), r.getAs(Registrations.MODEL),
        r.getAs(Registrations.LOSS), r.getAs(Registrations.INITIAL_LOSS), r.getAs(Registrations.FINAL_LOSS),
        r.getAs(Registrations.ITERATIONS), r.getAs(Registrations.MSE_BEFORE), r.getAs(Registrations.MSE_AFTER),
        r.getAs(Registrations.NCC_BEFORE), r.getAs(Registrations.NCC_AFTER), r.getAs(Registrations.MI_BEFORE),
        r.getAs(Registrations.MI_AFTER), meanDice(r, Registrations.DICE_BEFORE), meanDice(r, Registrations.DICE_AFTER),
        r.getAs(Registrations.FOLDING_FRACTION), r.getAs(Registrations.SD_LOG_JACOBIAN),
        r.getAs(Registrations.JACOBIAN_MIN), r.getAs(Registrations.JACOBIAN_MAX),
        r.isNullAt(r.fieldIndex(Registrations.SECONDS)) ? 0 : r.<Double>getAs(Registrations.SECONDS),
        r.getAs(Registrations.DEVICE),
        r.isNullAt(r.fieldIndex(Registrations.ATTEMPT)) ? 0 : r.<Integer>getAs(Registrations.ATTEMPT),
        r.isNullAt(warnings) ? List.of() : r.<String>getList(warnings), pictures);
  }

  private static <V> Map<String, V> map(Row r, String column) {
    int i = r.fieldIndex(column);
    return r.isNullAt(i) ? Map.of() : r.getJavaMap(i);
  }

  /** The mean of the per-label Dice, or null without labels. */
  private static Double meanDice(Row r, String column) {
    Map<String, Double> dice = map(r, column);
    return dice.isEmpty() ? null : dice.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }
}
