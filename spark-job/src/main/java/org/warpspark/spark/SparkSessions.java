package org.warpspark.spark;

import java.util.Arrays;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.warpspark.storage.StorageAccess;
import scala.Tuple2;

/** The one place a warpspark Spark session is set up, for the job, for SQL over its tables, and for tests. */
public final class SparkSessions {
  /**
   * Rows per vectorised Parquet batch for sessions that read the tables back
   * ({@code spark.sql.parquet.columnarReaderBatchSize}): a flow-field row holds whole slices, and
   * Spark's default (4096 rows) would need gigabytes per batch.
   */
  public static final String READER_BATCH_ROWS = "64";

  private SparkSessions() {}

  /**
   * A builder with the settings the tables need; {@code master} null means spark-submit's, else
   * {@code local[*]}. Refuses S3 keys among the Spark settings before any session exists.
   */
  public static SparkSession.Builder builder(String appName, String master) {
    refuseInlineSecrets(new SparkConf());
    SparkSession.Builder builder = SparkSession.builder().appName(appName)
        .config("spark.sql.parquet.columnarReaderBatchSize", READER_BATCH_ROWS)
        // run_id stays text: "007" must not read as 7
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    if (master != null) {
      builder.master(master);
    } else if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    return builder;
  }

  /**
   * Readies a session's storage access: refuses S3 keys among its Spark settings, then prepares the
   * Hadoop configuration that its file systems, its writes and (shipped) its tasks use. Defaults go
   * into that configuration, not into Spark settings, so that a cluster's core-site.xml still wins.
   */
  public static SparkSession prepareStorage(SparkSession spark) {
    refuseInlineSecrets(spark.sparkContext().getConf());
    StorageAccess.prepare(spark.sparkContext().hadoopConfiguration());
    return spark;
  }

  /** Refuses S3 keys among the settings of {@code conf}; see {@link StorageAccess#refuseInlineSecrets}. */
  public static void refuseInlineSecrets(SparkConf conf) {
    StorageAccess.refuseInlineSecrets(Arrays.stream(conf.getAll()).map(Tuple2::_1).toList());
  }
}
