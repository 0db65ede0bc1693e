package org.warpspark.spark;

/**
 * How a run's tables are kept: plain Parquet folders partitioned by {@code run_id=} (the default, read
 * by any engine), or Apache Iceberg or Delta Lake tables partitioned by {@code run_id}, which a
 * platform registers in its catalogue and which keep snapshots (time travel) and their schema version
 * in the table properties. Each run replaces its own {@code run_id} partition, atomically per table in
 * Iceberg and Delta.
 */
public enum TableFormat {
  PARQUET, ICEBERG, DELTA;

  /** The name in {@code CREATE TABLE ... USING}. */
  String provider() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
