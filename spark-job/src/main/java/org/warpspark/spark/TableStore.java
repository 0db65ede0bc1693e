package org.warpspark.spark;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.warpspark.udfs.table.Table;

/** The published tables, in one {@link TableFormat}: what a run reads back and how it replaces its rows. */
interface TableStore {
  /** Run {@code runId}'s rows of {@code table}, in the table's columns (no {@code run_id}), or null if none. */
  Dataset<Row> runRows(SparkSession spark, Table table, String runId);

  /** Every run's rows of {@code table}, {@code run_id} included, or null when the table does not exist. */
  Dataset<Row> rows(SparkSession spark, Table table);

  /**
   * Readies {@code table} for this warpspark's rows before any work, failing when it cannot take them
   * (a table of a newer schema version); it may create the table, empty.
   */
  default void prepare(SparkSession spark, Table table) {}

  /**
   * Replaces run {@code runId}'s rows of {@code table} by the Parquet files staged in {@code staged};
   * the table was {@link #prepare}d first.
   */
  void publish(SparkSession spark, Table table, String runId, Path staged);

  /** Removes run {@code runId}'s rows of {@code table}, if it has any. */
  void withdraw(SparkSession spark, Table table, String runId);

  /** The table as a user finds it: a folder or a table name. */
  String name(Table table);
}
