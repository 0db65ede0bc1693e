package org.warpspark.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.warpspark.pair.PairSpec;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.spark.RunJob;
import org.warpspark.spark.RunReports;
import org.warpspark.spark.SparkSessions;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/**
 * How long a big run's report takes: a real run of small 2D pairs (default settings, --qc, one pair with
 * a missing file) on local[*], then its report rendered in this JVM from the tables, the whole
 * {@code report} command in a fresh JVM, and Debian's headless Chromium opening the index page (whole
 * command, with the browser's start alone beside it), medians of {@code repeats}.
 */
final class ReportBench {
  private final PrintWriter out;
  private final int repeats;
  private final Scratch scratch;

  ReportBench(PrintWriter out, int repeats, Scratch scratch) {
    this.out = out;
    this.repeats = repeats;
    this.scratch = scratch;
  }

  void run(int pairs) throws IOException, InterruptedException {
    Path dir = scratch.folder("report");
    Grid grid = new Grid(new int[] {48, 48}, new double[] {1, 1}, new double[2], Affine.identity(2).linear());
    List<PairSpec> specs = new ArrayList<>(JobBench.writePairs(dir, grid, pairs - 1));
    specs.add(new PairSpec("missing", specs.get(0).fixed(), dir.resolve("nowhere.nii.gz").toString(), null, null,
        null, Map.of()));
    String tables = dir.resolve("tables").toString();
    SparkSession spark = SparkSessions.builder("warpspark report bench", "local[*]")
        .config("spark.ui.enabled", "false").getOrCreate();
    double runSeconds;
    double[] inJvm = new double[repeats];
    try {
      long start = System.nanoTime();
      RunJob.run(spark, RunJob.Options.of("bench", specs, tables, "bench", RegistrationConfig.defaults()).withQc(true)
          .withMaxFailedFraction(1).withProgressSeconds(0), new PrintWriter(new StringWriter()));
      runSeconds = seconds(start);
      for (int r = 0; r < repeats; r++) {
        long t = System.nanoTime();
        RunReports.write(spark, tables, "bench", dir.resolve("report-" + r).toString());
        inJvm[r] = seconds(t);
      }
    } finally {
      spark.stop();
    }
    Path index = dir.resolve("tables/qc/run_id=bench/index.html");
    double[] command = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      // this JVM's options (Spark's --add-opens, logging) and class path
      List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      java.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      java.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.warpspark.cli.WarpsparkCli", "report",
          "--tables", tables));
      command[r] = timed(java, dir);
    }
    double[] browser = new double[repeats];
    double[] blank = new double[repeats];
    String chromium = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : null;
    for (int r = 0; chromium != null && r < repeats; r++) {
      browser[r] = timed(chromiumCommand(chromium, dir, index.toUri().toString()), dir);
      blank[r] = timed(chromiumCommand(chromium, dir, "about:blank"), dir);
    }
    out.printf(Locale.ROOT, "%d pairs (2D 48x48, defaults, --qc): run %.0f s; index.html %.0f KB%n", pairs, runSeconds,
        Files.size(index) / 1024.0);
    out.printf(Locale.ROOT, "report in the run's JVM (tables to pages) | %.2f s%n", Scratch.median(inJvm));
    out.printf(Locale.ROOT, "report command (fresh JVM and Spark)      | %.2f s%n", Scratch.median(command));
    if (chromium != null) {
      out.printf(Locale.ROOT, "chromium --dump-dom of index.html         | %.2f s (about:blank alone %.2f s)%n",
          Scratch.median(browser), Scratch.median(blank));
    } else {
      out.println("chromium: not installed (apt-get install chromium)");
    }
  }

  private static List<String> chromiumCommand(String chromium, Path dir, String url) {
    return List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + dir.resolve("profile"),
        "--dump-dom", url);
  }

  private static double timed(List<String> command, Path dir) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Scratch.run(command, dir);
    return seconds(start);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
