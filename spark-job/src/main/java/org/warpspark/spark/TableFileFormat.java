package org.warpspark.spark;

import org.apache.hadoop.mapreduce.Job;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's Parquet files, with the table's name and schema version in each file's key-value metadata
 * ({@link #TABLE}, {@link #SCHEMA_VERSION}), so that a file copied anywhere still says what it holds.
 * Spark's writer has no setting for extra metadata: this format swaps in {@link TableWriteSupport},
 * which adds the two entries that the write's options name. Written with
 * {@code .format(TableFileFormat.class.getName())}; read as plain Parquet.
 */
public final class TableFileFormat extends ParquetFileFormat {
  /** Key-value metadata (and write option) naming the table. */
  public static final String TABLE = "warpspark.table";
  /** Key-value metadata (and write option) holding the table's schema version. */
  public static final String SCHEMA_VERSION = "warpspark.schema_version";

  @Override
  public OutputWriterFactory prepareWrite(SparkSession spark, Job job,
      scala.collection.immutable.Map<String, String> options, StructType dataSchema) {
    OutputWriterFactory factory = super.prepareWrite(spark, job, options, dataSchema);
    job.getConfiguration().setClass(ParquetOutputFormat.WRITE_SUPPORT_CLASS, TableWriteSupport.class,
        WriteSupport.class);
    for (String key : new String[] {TABLE, SCHEMA_VERSION}) {
      job.getConfiguration().set(key, options.get(key).getOrElse(() -> {
        throw new IllegalArgumentException("a table file is written with the option " + key);
      }));
    }
    return factory;
  }
}
