package org.warpspark.udfs.table;

import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A result table: a folder {@code <out>/<name>/} of Parquet files partitioned Hive-style by
 * {@code run_id=<id>/}. The files hold {@link #columns()}; {@code run_id} lives in the folder name and
 * readers (Spark, DuckDB with {@code hive_partitioning}) add it as a string column.
 */
public record Table(String name, int schemaVersion, String description, List<Column> columns) {
  /** The partition column, in every table. */
  public static final String RUN_ID = "run_id";

  /** The schema of the files (without {@code run_id}). */
  public StructType schema() {
    return new StructType(columns.stream().map(Column::field).toArray(StructField[]::new));
  }

  public Column column(String columnName) {
    return columns.stream().filter(c -> c.name().equals(columnName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("table " + name + " has no column " + columnName));
  }
}
