package org.warpspark.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.warpspark.udfs.table.Runs;
import org.warpspark.udfs.table.Table;
import org.warpspark.udfs.table.Tables;

/** The tables under a run's {@code --out}, in whichever format, as temporary views for SQL. */
public final class TableViews {
  private TableViews() {}

  /**
   * Registers a view of each table that exists under {@code out}, named after it. A registration run's
   * rows show once its runs row does ({@link TableFolders#publish}): never a run half published.
   */
  public static void register(SparkSession spark, String out) {
    TableStore tables = TableFolders.tables(spark, out, null);
    Dataset<Row> runs = tables.rows(spark, Runs.TABLE);
    for (Table table : Tables.ALL) {
      Dataset<Row> rows = tables.rows(spark, table);
      if (rows == null) {
        continue;
      }
      if (runs != null && Tables.REGISTRATION_RUN.contains(table) && table != Runs.TABLE) {
        rows = rows.join(runs.select(Table.RUN_ID), rows.col(Table.RUN_ID).equalTo(runs.col(Table.RUN_ID)),
            "left_semi");
      }
      rows.createOrReplaceTempView(table.name());
    }
  }
}
