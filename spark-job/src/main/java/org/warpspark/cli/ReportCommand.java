package org.warpspark.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.warpspark.spark.RunReports;
import org.warpspark.spark.SparkSessions;
import org.warpspark.storage.StorageAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Renders the HTML report of any run from its tables (local, hdfs: or s3a:). */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Writes the HTML report of a run from its tables: counts, failures with their causes, histograms, "
        + "the pairs worst first, and a page per pair with its QC pictures (if the run drew them with --qc).")
final class ReportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--tables", required = true, description = "the --out folder of a run")
  String tables;
  @Option(names = "--run-id", description = "the run to report (default: the one that finished last)")
  String runId;
  @Option(names = "--out", description = "the report's folder (default: <tables>/qc/run_id=<id>/, beside the "
      + "pictures)")
  String out;

  @Override
  public Integer call() {
    StorageAccess.refuseCredentialsInUri(tables, "--tables");
    StorageAccess.refuseCredentialsInUri(out, "--out");
    boolean ownSession = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
    SparkSession spark = SparkSessions.builder("warpspark report", null).config("spark.ui.enabled", "false")
        .getOrCreate();
    try {
      SparkSessions.prepareStorage(spark);
      String index = RunReports.write(spark, tables, runId, out);
      spec.commandLine().getOut().println("report: " + index + " (open it in a browser)");
      return 0;
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }
}
