package org.warpspark.udfs.table;

import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import java.util.List;

/** The {@code runs} table: its columns (names, types, units) and schema version, the one place they are defined. */
public final class Runs {
  private Runs() {}

  public static final String CONFIG_HASH = "config_hash";
  public static final String FINISHED_AT = "finished_at";
  public static final String STARTED_AT = "started_at";
  public static final String MANIFEST = "manifest";
  public static final String CONFIG = "config";
  public static final String VERSIONS = "versions";
  public static final String MASTER = "master";
  public static final String PAIRS = "pairs";
  public static final String OK = "ok";
  public static final String FAILED = "failed";
  public static final String RESUMED = "resumed";

  public static final Table TABLE = new Table("runs", 1, "one row per run", List.of(
      new Column(STARTED_AT, TimestampType, "UTC", "when the driver started planning"),
      new Column(FINISHED_AT, TimestampType, "UTC", "when the tables were in place"),
      new Column(MANIFEST, StringType, "URI", "the manifest, or a description of the shortcut that made the pairs"),
      new Column(CONFIG, StringType, "", "the run's settings, one 'key = value' per line, defaults spelled out"),
      new Column(CONFIG_HASH, StringType, "SHA-256 hex", "hash of config"),
      new Column(VERSIONS, createMapType(StringType, StringType), "", "warpspark, spark, java versions"),
      new Column(MASTER, StringType, "", "Spark master URL"),
      new Column(PAIRS, LongType, "", "pairs in the manifest"),
      new Column(OK, LongType, "", "pairs whose every stage is ok (resumed ones included)"),
      new Column(FAILED, LongType, "", "pairs with a failed stage"),
      new Column(RESUMED, LongType, "", "pairs kept from an earlier attempt of this run by --resume")));
}
