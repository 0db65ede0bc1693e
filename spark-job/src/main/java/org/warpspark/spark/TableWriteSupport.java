package org.warpspark.spark;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;

/** Spark's Parquet write support, adding the table's name and schema version to each file's metadata. */
public final class TableWriteSupport extends ParquetWriteSupport {
  @Override
  public WriteContext init(Configuration conf) {
    WriteContext spark = super.init(conf);
    Map<String, String> metadata = new HashMap<>(spark.getExtraMetaData());
    metadata.put(TableFileFormat.TABLE, conf.get(TableFileFormat.TABLE));
    metadata.put(TableFileFormat.SCHEMA_VERSION, conf.get(TableFileFormat.SCHEMA_VERSION));
    return new WriteContext(spark.getSchema(), metadata);
  }
}
