package org.warpspark.udfs.table;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;

/**
 * One column of a result table: its name, Spark type, unit or frame ("" where neither applies) and
 * meaning. docs/TABLES.md is checked against these.
 */
public record Column(String name, DataType type, String unit, String description) {
  public StructField field() {
    return new StructField(name, type, true, Metadata.empty());
  }
}
