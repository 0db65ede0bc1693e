package org.warpspark.spark;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.warpspark.storage.StorageAccess;
import org.warpspark.udfs.table.Table;

/**
 * Plain Parquet tables: {@code <out>/<table>/run_id=R/}. A run's partition is replaced by renaming its
 * staged folder into place (a rename of a folder: atomic on HDFS and local disks, a copy on S3).
 */
final class ParquetTables implements TableStore {
  private final Path out;
  private final FileSystem fs;

  ParquetTables(Path out, FileSystem fs) {
    this.out = out;
    this.fs = fs;
  }

  Path partition(Table table, String runId) {
    return new Path(new Path(out, table.name()), Table.RUN_ID + "=" + runId);
  }

  @Override
  public Dataset<Row> runRows(SparkSession spark, Table table, String runId) {
    Path partition = partition(table, runId);
    return exists(partition) ? spark.read().schema(table.schema()).parquet(partition.toString()) : null;
  }

  @Override
  public Dataset<Row> rows(SparkSession spark, Table table) {
    Path folder = new Path(out, table.name());
    // with the schema: a folder whose runs are all withdrawn has no file to infer one from
    return exists(folder) ? spark.read().schema(table.schema().add(Table.RUN_ID, "string")).parquet(folder.toString())
        : null;
  }

  @Override
  public void publish(SparkSession spark, Table table, String runId, Path staged) {
    Path partition = partition(table, runId);
    try {
      withdraw(spark, table, runId);
      fs.mkdirs(partition.getParent());
      if (!fs.rename(staged, partition)) {
        throw new IOException("could not move " + staged + " to " + partition);
      }
    } catch (IOException e) {
      throw StorageAccess.failure("cannot publish " + partition, e);
    }
  }

  @Override
  public void withdraw(SparkSession spark, Table table, String runId) {
    Path partition = partition(table, runId);
    try {
      if (fs.exists(partition) && !fs.delete(partition, true)) {
        throw new IOException("could not remove the old " + partition);
      }
    } catch (IOException e) {
      throw StorageAccess.failure("cannot remove " + partition, e);
    }
  }

  @Override
  public String name(Table table) {
    return new Path(out, table.name()).toString();
  }

  private boolean exists(Path path) {
    try {
      return fs.exists(path);
    } catch (IOException e) {
      throw StorageAccess.failure("cannot read " + path, e);
    }
  }
}
