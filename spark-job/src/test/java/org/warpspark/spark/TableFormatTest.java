package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.warpspark.pair.PairSpec;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.udfs.table.FlowFields;
import org.warpspark.udfs.table.Registrations;
import org.warpspark.udfs.table.Runs;
import org.warpspark.udfs.table.Table;
import org.warpspark.udfs.table.Tables;

/**
 * The tables as Iceberg (Hadoop catalogue) and Delta (path tables) hold the same rows as plain Parquet,
 * replace a rerun's rows in new snapshots while the old ones stay readable, carry their schema version
 * as a table property (older tables gain the new columns, newer ones are refused), and never mix with
 * another format; plain Parquet files carry their table and schema version in their footers.
 */
class TableFormatTest {
  @TempDir
  static Path dir;
  static SparkSession spark;
  static List<PairSpec> pairs;
  /** A Parquet run of the same pairs: pair/stage to status, and its flow_fields row count. */
  static Map<String, String> parquetStatus;
  static long parquetFlowRows;

  @BeforeAll
  static void setUp() throws IOException {
    spark = SparkSessions.builder("TableFormatTest", "local[2]").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    SamplePairs samples = SamplePairs.write(dir);
    pairs = Manifest.read(spark, samples.manifest.toString()).stream()
        .filter(p -> List.of("sample_2d", "sample_3d", "missing").contains(p.pairId())).toList();
    String out = dir.resolve("parquet").toString();
    run(out, "r1", TableLayout.PARQUET, pairs, false);
    TableViews.register(spark, out);
    parquetStatus = status("r1");
    parquetFlowRows = spark.sql("SELECT * FROM flow_fields WHERE run_id = 'r1'").count();
  }

  @AfterAll
  static void tearDown() {
    spark.stop();
  }

  private static RunJob.Summary run(String out, String runId, TableLayout layout, List<PairSpec> pairs,
      boolean resume) {
    RunJob.Options options = RunJob.Options.of("manifest.csv", pairs, out, runId, RegistrationConfig.of(RunJobTest.QUICK))
        .withMaxFailedFraction(1).withResume(resume).withTables(layout);
    return RunJob.run(spark, options, new PrintWriter(new StringWriter(), true));
  }

  /** pair/stage to status in the registrations view, for one run. */
  private static Map<String, String> status(String runId) {
    Map<String, String> status = new TreeMap<>();
    for (Row r : spark.sql("SELECT pair_id, stage, status FROM registrations WHERE run_id = '" + runId + "'")
        .collectAsList()) {
      status.put(r.getString(0) + "/" + r.getString(1), r.getString(2));
    }
    return status;
  }

  private static String property(String table, String key) {
    return spark.sql("SHOW TBLPROPERTIES " + table).collectAsList().stream()
        .filter(r -> key.equals(r.getString(0))).map(r -> r.getString(1)).findFirst().orElse(null);
  }

  @ParameterizedTest
  @EnumSource(value = TableFormat.class, names = {"ICEBERG", "DELTA"})
  void aRunsTablesHoldWhatParquetHoldsAndRerunsAddSnapshots(TableFormat format) throws IOException {
    String out = dir.resolve(format.provider()).toString();
    TableLayout layout = TableLayout.of(format);
    RunJob.Summary first = run(out, "r1", layout, pairs, false);
    assertEquals(2, first.ok());
    TableStore tables = TableFolders.tables(spark, out, null); // found by its folders, as sql and report do
    String registrations = tables.name(Registrations.TABLE);
    assertTrue(registrations.contains(format == TableFormat.DELTA ? "delta.`" : "warpspark_"), registrations);
    assertTrue(Files.isDirectory(Path.of(out, "registrations", format == TableFormat.DELTA ? "_delta_log" : "metadata")));
    for (Table table : Tables.REGISTRATION_RUN) {
      assertEquals(String.valueOf(table.schemaVersion()), property(tables.name(table), TableFileFormat.SCHEMA_VERSION),
          table.name());
    }

    TableViews.register(spark, out);
    assertEquals(parquetStatus, status("r1"));
    assertEquals(parquetFlowRows, spark.sql("SELECT * FROM flow_fields WHERE run_id = 'r1'").count());
    long rows = spark.sql("SELECT * FROM registrations").count();
    long losses = spark.sql("SELECT * FROM losses").count();
    assertTrue(losses > 0);

    // the report reads them as it reads Parquet
    String report = RunReports.write(spark, out, null, dir.resolve("report-" + format.provider()).toString());
    assertTrue(Files.readString(Path.of(java.net.URI.create(report))).contains("sample_2d"), report);

    // a rerun keeps its finished pairs (read back from the table) and replaces the run's rows in new commits
    RunJob.Summary second = run(out, "r1", layout, pairs, true);
    assertEquals(2, second.resumed());
    TableViews.register(spark, out);
    assertEquals(rows, spark.sql("SELECT * FROM registrations").count(), "the rerun's rows replace the run's rows");
    assertEquals(losses, spark.sql("SELECT * FROM losses").count());
    assertEquals(parquetFlowRows, spark.sql("SELECT * FROM flow_fields").count());
    assertEquals(parquetStatus, status("r1"));
    long firstVersion;
    if (format == TableFormat.ICEBERG) {
      List<Row> snapshots = spark.sql("SELECT snapshot_id FROM " + registrations + ".snapshots ORDER BY committed_at")
          .collectAsList();
      assertTrue(snapshots.size() >= 2, "snapshots: " + snapshots);
      firstVersion = snapshots.get(0).getLong(0);
    } else {
      List<Row> writes = spark.sql("DESCRIBE HISTORY " + registrations).filter("operation = 'WRITE'")
          .orderBy("version").collectAsList();
      assertTrue(writes.size() >= 2, "writes: " + writes);
      firstVersion = writes.get(0).getLong(writes.get(0).fieldIndex("version"));
    }
    assertEquals(rows, spark.sql("SELECT * FROM " + registrations + " VERSION AS OF " + firstVersion).count(),
        "the first run's rows stay readable in its snapshot");

    // a run is visible once its runs row is: without it, sql shows none of its rows
    tables.withdraw(spark, Runs.TABLE, "r1");
    TableViews.register(spark, out);
    assertEquals(0, spark.sql("SELECT * FROM registrations WHERE run_id = 'r1'").count());
    assertTrue(spark.sql("SELECT * FROM " + registrations + " WHERE run_id = 'r1'").count() > 0);

    IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
        () -> run(out, "r2", TableLayout.PARQUET, pairs, false));
    assertTrue(mixed.getMessage().contains("would mix formats"), mixed.getMessage());
  }

  @ParameterizedTest
  @EnumSource(value = TableFormat.class, names = {"ICEBERG", "DELTA"})
  void anOlderTableGainsTheNewColumnsAndANewerOneIsRefused(TableFormat format) {
    List<PairSpec> failing = pairs.stream().filter(p -> p.pairId().equals("missing")).toList();
    String out = dir.resolve("older-" + format.provider()).toString();
    TableStore tables = TableFolders.tables(spark, out, TableLayout.of(format));
    StructField[] fields = Runs.TABLE.schema().asNullable().fields();
    StructType older = new StructType(Arrays.copyOf(fields, fields.length - 1)).add(Table.RUN_ID, "string");
    String runs = tables.name(Runs.TABLE);
    spark.sql("CREATE TABLE " + runs + " (" + older.toDDL() + ") USING " + format.provider() + " PARTITIONED BY ("
        + Table.RUN_ID + ") TBLPROPERTIES ('" + TableFileFormat.SCHEMA_VERSION + "' = '"
        + (Runs.TABLE.schemaVersion() - 1) + "')");
    run(out, "r1", TableLayout.of(format), failing, false);
    assertEquals(String.valueOf(Runs.TABLE.schemaVersion()), property(runs, TableFileFormat.SCHEMA_VERSION));
    Row row = spark.table(runs).collectAsList().get(0);
    assertEquals(Runs.RESUMED, fields[fields.length - 1].name(), "the column the older table lacked");
    assertEquals(0L, row.<Long>getAs(Runs.RESUMED));
    assertEquals(1L, row.<Long>getAs(Runs.PAIRS));

    spark.sql("ALTER TABLE " + runs + " SET TBLPROPERTIES ('" + TableFileFormat.SCHEMA_VERSION + "' = '"
        + (Runs.TABLE.schemaVersion() + 1) + "')");
    IllegalArgumentException newer = assertThrows(IllegalArgumentException.class,
        () -> run(out, "r2", TableLayout.of(format), failing, false));
    assertTrue(newer.getMessage().contains("newer than this warpspark's"), newer.getMessage());
  }

  @Test
  void tablesInANamedCatalogueStayOutOfTheOutputFolder() {
    String warehouse = dir.resolve("lake").toUri().toString();
    spark.conf().set("spark.sql.catalog.lake", CatalogTables.ICEBERG_CATALOG_CLASS);
    spark.conf().set("spark.sql.catalog.lake.type", "hadoop");
    spark.conf().set("spark.sql.catalog.lake.warehouse", warehouse);
    List<PairSpec> failing = pairs.stream().filter(p -> p.pairId().equals("missing")).toList();
    String out = dir.resolve("catalogued").toString();
    run(out, "r1", new TableLayout(TableFormat.ICEBERG, "lake.imaging"), failing, false);
    assertEquals(List.of("missing"), spark.sql("SELECT DISTINCT pair_id FROM lake.imaging.registrations "
        + "WHERE run_id = 'r1'").collectAsList().stream().map(r -> r.getString(0)).toList());
    assertEquals(1, spark.table("lake.imaging.runs").count());
    assertTrue(!Files.exists(Path.of(out, "registrations")), "the tables are in the catalogue, not under --out");

    IllegalArgumentException undefined = assertThrows(IllegalArgumentException.class,
        () -> run(out, "r2", new TableLayout(TableFormat.ICEBERG, "nowhere.imaging"), failing, false));
    assertTrue(undefined.getMessage().contains("define no catalogue nowhere"), undefined.getMessage());
  }

  /**
   * A run without its runs row (one that died while publishing) shows in no view, and a resumed run
   * keeps none of its published pairs (they may mix two attempts), so it registers them again.
   */
  @Test
  void aRunWithoutItsRunsRowIsNeitherShownNorKept() {
    List<PairSpec> two = pairs.stream().filter(p -> !p.pairId().equals("sample_2d")).toList();
    String out = dir.resolve("unmarked").toString();
    run(out, "r1", TableLayout.PARQUET, two, false);
    TableFolders.tables(spark, out, null).withdraw(spark, Runs.TABLE, "r1");
    TableViews.register(spark, out);
    assertEquals(0, spark.sql("SELECT * FROM registrations").count());
    assertEquals(0, spark.sql("SELECT * FROM runs").count());

    RunJob.Summary resumed = run(out, "r1", TableLayout.PARQUET, two, true);
    assertEquals(0, resumed.resumed());
    assertEquals(1, resumed.ok());
    TableViews.register(spark, out);
    assertEquals(Map.of("missing/affine", "failed", "missing/deformable", "failed", "sample_3d/affine", "ok"),
        status("r1"));
  }

  /** DuckDB, which shares no code with Spark's writer, finds the table and its version in every footer. */
  @Test
  void parquetFilesCarryTheirTableAndSchemaVersion() throws SQLException {
    String out = dir.resolve("parquet").toString();
    for (Table table : List.of(Registrations.TABLE, FlowFields.TABLE, Runs.TABLE)) {
      Map<String, List<String>> metadata = new HashMap<>();
      try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement();
          ResultSet rs = sql.executeQuery("SELECT decode(key), decode(value) FROM parquet_kv_metadata('" + out + "/"
              + table.name() + "/*/*.parquet')")) {
        while (rs.next()) {
          metadata.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(rs.getString(2));
        }
      }
      assertTrue(!metadata.getOrDefault(TableFileFormat.TABLE, List.of()).isEmpty(), table.name() + ": " + metadata.keySet());
      assertTrue(metadata.get(TableFileFormat.TABLE).stream().allMatch(table.name()::equals), metadata.toString());
      assertEquals(metadata.get(TableFileFormat.TABLE).size(), metadata.get(TableFileFormat.SCHEMA_VERSION).size());
      assertTrue(metadata.get(TableFileFormat.SCHEMA_VERSION).stream()
          .allMatch(String.valueOf(table.schemaVersion())::equals), metadata.toString());
    }
  }

  @Test
  void aCatalogueIsOnlyForIcebergOrDeltaAndNamesANamespace() {
    assertThrows(IllegalArgumentException.class, () -> new TableLayout(TableFormat.PARQUET, "lake.imaging"));
    IllegalArgumentException bare = assertThrows(IllegalArgumentException.class,
        () -> new TableLayout(TableFormat.ICEBERG, "lake"));
    assertTrue(bare.getMessage().contains("catalog.namespace"), bare.getMessage());
  }
}
