package org.warpspark.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.warpspark.storage.StorageAccess;
import org.warpspark.udfs.table.Table;

/**
 * Iceberg and Delta tables, partitioned by {@code run_id}. A run's rows replace its earlier ones in one
 * commit per table (an overwrite filtered on its {@code run_id}), so readers see all of a table's rows
 * of a run or none, and every commit stays a snapshot to read back. Each table carries its
 * {@link TableFileFormat#SCHEMA_VERSION} as a table property; a table of an older version gains the
 * new columns, one of a newer version is refused.
 */
final class CatalogTables implements TableStore {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CatalogTables.class);
  static final String ICEBERG_CATALOG_CLASS = "org.apache.iceberg.spark.SparkCatalog";
  /** Iceberg's Parquet row groups, as the plain tables': reading one pair's flow field touches little else. */
  private static final long ROW_GROUP_BYTES = 8L << 20;

  private final TableLayout layout;
  private final Path out;
  private final FileSystem fs;
  /** For Iceberg without a named catalogue: the Hadoop catalogue whose warehouse is {@code out}. */
  private final String outCatalog;

  CatalogTables(SparkSession spark, TableLayout layout, Path out, FileSystem fs) {
    this.layout = layout;
    this.out = out;
    this.fs = fs;
    requireRuntime(spark, layout);
    if (layout.format() == TableFormat.ICEBERG && layout.underOut()) {
      outCatalog = hadoopCatalog(spark, out);
    } else {
      outCatalog = null;
    }
  }

  /** Fails, saying what to add, when the session cannot read or write the tables. */
  private static void requireRuntime(SparkSession spark, TableLayout layout) {
    if (layout.format() == TableFormat.ICEBERG && !SparkSessions.onClassPath(ICEBERG_CATALOG_CLASS)) {
      throw new IllegalArgumentException("Iceberg tables need Iceberg's Spark runtime on the class path: "
          + "spark-submit --packages org.apache.iceberg:iceberg-spark-runtime-4.1_2.13:<version> (scripts/run-job.sh "
          + "and scripts/sql.sh carry it)");
    }
    if (layout.format() == TableFormat.DELTA && !SparkSessions.hasDelta(spark, layout.underOut())) {
      throw new IllegalArgumentException("Delta tables need Delta Lake on the class path and in the session: "
          + "spark-submit --packages io.delta:delta-spark_2.13:<version> --conf spark.sql.extensions="
          + SparkSessions.DELTA_EXTENSION + (layout.underOut() ? " --conf spark.sql.catalog.spark_catalog="
          + SparkSessions.DELTA_CATALOG : "") + " (scripts/run-job.sh and scripts/sql.sh set them)");
    }
    if (!layout.underOut()) {
      String catalog = layout.catalog().substring(0, layout.catalog().indexOf('.'));
      if (!catalog.equals("spark_catalog") && spark.conf().getOption("spark.sql.catalog." + catalog).isEmpty()) {
        throw new IllegalArgumentException("--catalog " + layout.catalog() + ": the Spark settings define no catalogue "
            + catalog + " (spark.sql.catalog." + catalog + "=... and its own settings)");
      }
    }
  }

  /**
   * Defines, once per session, a Hadoop catalogue with {@code out} as its warehouse, so that its tables
   * are {@code <out>/<table>/}. Named after the folder: a session may read several.
   */
  private static String hadoopCatalog(SparkSession spark, Path out) {
    for (int i = 0; ; i++) {
      String name = "warpspark_" + Integer.toHexString(out.toString().hashCode()) + (i == 0 ? "" : "_" + i);
      String key = "spark.sql.catalog." + name;
      scala.Option<String> warehouse = spark.conf().getOption(key + ".warehouse");
      if (warehouse.isDefined() && warehouse.get().equals(out.toString())) {
        return name;
      }
      if (warehouse.isEmpty()) {
        spark.conf().set(key, ICEBERG_CATALOG_CLASS);
        spark.conf().set(key + ".type", "hadoop");
        spark.conf().set(key + ".warehouse", out.toString());
        String scheme = out.toUri().getScheme();
        if (scheme != null && scheme.startsWith("s3")) {
          LOG.warn("Iceberg's Hadoop catalogue commits by renaming a file, which S3 does not do atomically: two runs "
              + "committing to one table at once could lose one's commit. On S3 name a catalogue (REST, Glue, Hive) "
              + "with --catalog.");
        }
        return name;
      }
    }
  }

  @Override
  public String name(Table table) {
    if (!layout.underOut()) {
      return layout.catalog() + "." + table.name();
    }
    if (outCatalog != null) {
      return outCatalog + "." + table.name();
    }
    return "delta.`" + folder(table).toString().replace("`", "``") + "`";
  }

  private Path folder(Table table) {
    return new Path(out, table.name());
  }

  private boolean exists(SparkSession spark, Table table) {
    if (layout.format() == TableFormat.DELTA && layout.underOut()) {
      try {
        return fs.exists(new Path(folder(table), "_delta_log")); // Delta's own check throws for a missing table
      } catch (IOException e) {
        throw StorageAccess.failure("cannot read " + folder(table), e);
      }
    }
    return spark.catalog().tableExists(name(table));
  }

  @Override
  public Dataset<Row> rows(SparkSession spark, Table table) {
    return exists(spark, table) ? spark.table(name(table)) : null;
  }

  @Override
  public Dataset<Row> runRows(SparkSession spark, Table table, String runId) {
    if (!exists(spark, table)) {
      return null;
    }
    Dataset<Row> all = spark.table(name(table));
    Set<String> present = Set.of(all.schema().fieldNames());
    // a table of an older schema version lacks the newer columns until a run adds them: nulls, as Parquet reads
    Column[] columns = Arrays.stream(table.schema().fields()).map(f -> present.contains(f.name()) ? col(f.name())
        : lit(null).cast(f.dataType()).as(f.name())).toArray(Column[]::new);
    Dataset<Row> rows = all.filter(col(Table.RUN_ID).equalTo(lit(runId))).select(columns);
    return rows.isEmpty() ? null : rows;
  }

  @Override
  public void publish(SparkSession spark, Table table, String runId, Path staged) {
    try { // the table is ready: TableFolders.prepare ran before the run's work
      spark.read().schema(table.schema()).parquet(staged.toString()).withColumn(Table.RUN_ID, lit(runId))
          .writeTo(name(table)).overwrite(col(Table.RUN_ID).equalTo(lit(runId)));
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException("the table " + name(table) + " went away while run " + runId + " published", e);
    }
  }

  @Override
  public void withdraw(SparkSession spark, Table table, String runId) {
    if (exists(spark, table)) {
      spark.sql("DELETE FROM " + name(table) + " WHERE " + Table.RUN_ID + " = '" + runId + "'"); // a checked id
    }
  }

  /** Creates the table, or brings an older one up to this schema version; refuses a newer one. */
  @Override
  public void prepare(SparkSession spark, Table table) {
    String name = name(table);
    if (!exists(spark, table)) {
      if (!layout.underOut()) {
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + layout.catalog());
      }
      // nullable columns: rows come back from the staged Parquet as nullable, which Iceberg's write
      // check would refuse against required columns
      StructType columns = table.schema().asNullable().add(Table.RUN_ID, "string");
      String properties = "'" + TableFileFormat.TABLE + "' = '" + table.name() + "', '"
          + TableFileFormat.SCHEMA_VERSION + "' = '" + table.schemaVersion() + "'"
          + (layout.format() == TableFormat.ICEBERG ? ", 'write.parquet.row-group-size-bytes' = '" + ROW_GROUP_BYTES
              + "'" : "");
      spark.sql("CREATE TABLE IF NOT EXISTS " + name + " (" + columns.toDDL() + ") USING " + layout.format().provider()
          + " PARTITIONED BY (" + Table.RUN_ID + ") TBLPROPERTIES (" + properties + ")");
      return;
    }
    int version = schemaVersion(spark, table);
    if (version > table.schemaVersion()) {
      throw new IllegalArgumentException("the table " + name + " has schema version " + version + ", newer than this "
          + "warpspark's " + table.schemaVersion() + ": write with the newer warpspark, or to another --out");
    }
    if (version < table.schemaVersion()) {
      Set<String> present = Arrays.stream(spark.table(name).schema().fieldNames()).collect(Collectors.toSet());
      List<StructField> added = Arrays.stream(table.schema().asNullable().fields())
          .filter(f -> !present.contains(f.name())).toList();
      if (!added.isEmpty()) {
        spark.sql("ALTER TABLE " + name + " ADD COLUMNS (" + new StructType(added.toArray(StructField[]::new)).toDDL()
            + ")");
      }
      spark.sql("ALTER TABLE " + name + " SET TBLPROPERTIES ('" + TableFileFormat.SCHEMA_VERSION + "' = '"
          + table.schemaVersion() + "')");
      LOG.info("table {}: schema version {} -> {}, {} columns added", name, version, table.schemaVersion(), added.size());
    }
  }

  /** The table's schema version property; a table without one was not written by warpspark. */
  private int schemaVersion(SparkSession spark, Table table) {
    String name = name(table);
    for (Row row : spark.sql("SHOW TBLPROPERTIES " + name).collectAsList()) {
      if (TableFileFormat.SCHEMA_VERSION.equals(row.getString(0))) {
        return Integer.parseInt(row.getString(1));
      }
    }
    throw new IllegalArgumentException("the table " + name + " has no " + TableFileFormat.SCHEMA_VERSION
        + " property: it was not written by warpspark; choose another --out or --catalog");
  }
}
