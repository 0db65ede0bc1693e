package org.warpspark.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.warpspark.udfs.sql.WarpsparkFunctions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import org.warpspark.storage.StorageAccess;
import org.warpspark.spark.SparkSessions;
import org.warpspark.spark.TableViews;

/**
 * Runs SQL over a run's tables without a Spark installation: each table under --tables (Parquet,
 * Iceberg or Delta) is a view, and the ws_* functions (docs/SQL.md) are registered.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Runs a SQL query over the tables under --tables (views runs, registrations, losses, flow_fields) and prints "
        + "the result.")
final class SqlCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--tables", required = true, description = "the --out folder of a run")
  String tables;
  @Option(names = "--limit", defaultValue = "50", description = "rows to print at most (default ${DEFAULT-VALUE})")
  int limit;
  @Option(names = "--format", defaultValue = "table", description = "table (values between |, for people), csv "
      + "(a header row, RFC 4180) or json (one object per line); arrays, maps and structs print as JSON in each "
      + "(default ${DEFAULT-VALUE})")
  QueryOutput.Format format;
  @Parameters(index = "0", description = "the query")
  String query;

  @Override
  public Integer call() {
    StorageAccess.refuseCredentialsInUri(tables, "--tables");
    SparkSession spark = SparkSessions.builder("warpspark sql", null).config("spark.ui.enabled", "false").getOrCreate();
    try {
      SparkSessions.prepareStorage(spark);
      TableViews.register(spark, tables);
      WarpsparkFunctions.register(spark);
      try {
        int printed = QueryOutput.print(spark.sql(query), limit, format, spec.commandLine().getOut());
        if (printed == limit && format != QueryOutput.Format.TABLE) { // the table says so in its last line
          spec.commandLine().getErr().println("sql: printed the first " + limit + " rows; --limit prints more");
        }
      } catch (Exception e) { // Spark's AnalysisException (parse errors included) is checked but undeclared
        // the query's own fault (a typo, a missing column, 1/0 under ANSI rules), not Spark's
        if (e instanceof org.apache.spark.SparkThrowable thrown && !thrown.isInternalError()) {
          throw new IllegalArgumentException("the query: " + e.getMessage(), e);
        }
        throw e;
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

}
