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

  /** Delta Lake's session extension and catalogue: its tables need both from the session's start. */
  static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
  private static final String EXTENSIONS = "spark.sql.extensions";
  private static final String SESSION_CATALOG = "spark.sql.catalog.spark_catalog";

  private SparkSessions() {}

  /**
   * A builder with the settings the tables need; {@code master} null means spark-submit's, else
   * {@code local[*]}. Refuses S3 keys among the Spark settings before any session exists.
   */
  public static SparkSession.Builder builder(String appName, String master) {
    SparkConf given = new SparkConf();
    refuseInlineSecrets(given);
    SparkSession.Builder builder = SparkSession.builder().appName(appName)
        .config("spark.sql.parquet.columnarReaderBatchSize", READER_BATCH_ROWS)
        // run_id stays text: "007" must not read as 7
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    if (onClassPath(DELTA_EXTENSION) && !given.contains(SESSION_CATALOG)) {
      // Delta tables read and write wherever Delta is installed (--table-format delta, sql, report);
      // a session catalogue of the user's own is left alone
      String extensions = given.get(EXTENSIONS, "");
      builder.config(EXTENSIONS, extensions.isEmpty() ? DELTA_EXTENSION
          : extensions.contains(DELTA_EXTENSION) ? extensions : extensions + "," + DELTA_EXTENSION)
          .config(SESSION_CATALOG, DELTA_CATALOG);
    }
    if (master != null) {
      builder.master(master);
    } else if (!given.contains("spark.master")) {
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

  static boolean onClassPath(String className) {
    try {
      Class.forName(className, false, SparkSessions.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Whether {@code spark} was started with Delta Lake's extension and, for path tables
   * ({@code delta.`path`}), its session catalogue.
   */
  static boolean hasDelta(SparkSession spark, boolean pathTables) {
    return onClassPath(DELTA_EXTENSION)
        && spark.conf().get(EXTENSIONS, "").contains(DELTA_EXTENSION)
        && (!pathTables || DELTA_CATALOG.equals(spark.conf().get(SESSION_CATALOG, "")));
  }
}
