package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.udfs.metric.TransformError;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.sql.WarpsparkExtensions;
import org.warpspark.udfs.table.Table;
import org.warpspark.udfs.table.Tables;

/**
 * The shaded jar through spark-submit ({@code org.apache.spark.deploy.SparkSubmit}, local[2]) over good
 * and bad pairs; the tables are read back by DuckDB, an engine that shares no code with ours, and
 * docs/SQL.md's queries run over them in Spark SQL.
 */
class SubmitRunIT {
  @TempDir
  static Path dir;
  static SamplePairs samples;
  static Path out;

  @BeforeAll
  static void writePairs() throws IOException {
    samples = SamplePairs.write(dir);
    out = dir.resolve("tables");
  }

  private static SparkSubmitProcess.Submitted submit(String runId, String... extra)
      throws IOException, InterruptedException {
    List<String> job = new ArrayList<>(List.of("--manifest", samples.manifest.toString(), "--out", out.toString(),
        "--run-id", runId, "--set", "iterations=60,40,120", "--set", "deformable-iterations=40,20,10"));
    job.addAll(List.of(extra));
    return SparkSubmitProcess.submit(dir, List.of("--master", "local[2]"), job);
  }

  /** Rows of this run's registrations keyed "pair/stage", each column by name, read by DuckDB. */
  private static Map<String, Map<String, Object>> registrations(String runId) throws SQLException {
    Map<String, Map<String, Object>> rows = new HashMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement();
        ResultSet rs = sql.executeQuery("SELECT * FROM read_parquet('" + out + "/registrations/*/*.parquet', "
            + "hive_partitioning = true) WHERE run_id = '" + runId + "'")) {
      while (rs.next()) {
        Map<String, Object> row = new HashMap<>();
        for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
          row.put(rs.getMetaData().getColumnName(c), rs.getObject(c));
        }
        String key = row.get("pair_id") + "/" + row.get("stage");
        assertEquals(null, rows.put(key, row), "two rows for " + key);
      }
    }
    return rows;
  }

  private static long scalar(String query) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement();
        ResultSet rs = sql.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void theShadedJarRunsThePairsAndReruns() throws Exception {
    SparkSubmitProcess.Submitted first = submit("demo");
    assertEquals(1, first.exitCode(), "5 failed pairs exceed the default --max-failed-fraction 0:\n" + first.log());
    assertTrue(first.log().contains("run demo: 7 pairs, 2 ok, 5 failed"), first.log());

    Map<String, Map<String, Object>> rows = registrations("demo");
    assertEquals(13, rows.size(), rows.keySet().toString());
    assertEquals("failed", rows.get("missing/affine").get("status"));
    assertTrue(((String) rows.get("missing/affine").get("error")).contains("nowhere.nii.gz does not exist"));
    assertEquals("CorruptImageException", rows.get("truncated/affine").get("error_class"));
    assertEquals("NotRun", rows.get("mismatched/deformable").get("error_class"));
    for (String id : samples.truths.keySet()) {
      Map<String, Object> affine = rows.get(id + "/affine");
      assertEquals("ok", affine.get("status"), id + ": " + affine.get("error"));
      Object[] matrix = (Object[]) ((java.sql.Array) affine.get("fixed_to_moving")).getArray();
      Affine found = Affine.ofRowMajor(Arrays.stream(matrix).mapToDouble(v -> ((Number) v).doubleValue()).toArray());
      double error = TransformError.maxCornerDistanceMm(found, samples.truths.get(id), SamplePairs.gridOf(id));
      assertTrue(error < 0.5, id + ": corner error " + error + " mm");
    }
    // The loss curves, joined in SQL, add up to the iterations the registrations report.
    assertEquals(0, scalar("SELECT count(*) FROM (SELECT r.pair_id, r.stage, any_value(r.iterations) AS n, count(*) "
        + "AS points FROM read_parquet('" + out + "/registrations/*/*.parquet', hive_partitioning = true) r JOIN "
        + "read_parquet('" + out + "/losses/*/*.parquet', hive_partitioning = true) l ON r.run_id = l.run_id AND "
        + "r.pair_id = l.pair_id AND r.stage = l.stage GROUP BY r.pair_id, r.stage) WHERE n <> points"));

    SparkSubmitProcess.Submitted again = submit("demo", "--max-failed-fraction", "0.75");
    assertEquals(0, again.exitCode(), again.log());
    Map<String, Map<String, Object>> rerun = registrations("demo");
    assertEquals(rows.keySet(), rerun.keySet(), "a rerun replaces the run's rows, it does not add to them");
    assertNotEquals(rows.get("sample_2d/affine").get("finished_at"), rerun.get("sample_2d/affine").get("finished_at"));

    SparkSubmitProcess.Submitted resumed = submit("demo", "--max-failed-fraction", "0.75", "--resume");
    assertEquals(0, resumed.exitCode(), resumed.log());
    assertTrue(resumed.log().contains("(2 kept from an earlier attempt)"), resumed.log());
    Map<String, Map<String, Object>> kept = registrations("demo");
    assertEquals(rerun.keySet(), kept.keySet());
    assertEquals(rerun.get("sample_3d/affine").get("finished_at"), kept.get("sample_3d/affine").get("finished_at"),
        "--resume keeps a finished pair");
    assertEquals(1, scalar("SELECT count(*) FROM read_parquet('" + out + "/runs/*/*.parquet', hive_partitioning = "
        + "true) WHERE run_id = 'demo'"));
    theDocumentedQueriesAnswer();
  }

  /** docs/SQL.md's queries, in Spark SQL with the functions of the jar's extension, over these tables. */
  private static void theDocumentedQueriesAnswer() throws IOException {
    SparkSession spark = SparkSessions.builder("SubmitRunIT", "local[1]").config("spark.ui.enabled", "false")
        .config("spark.sql.extensions", WarpsparkExtensions.class.getName()).getOrCreate();
    try {
      for (Table table : Tables.REGISTRATION_RUN) {
        spark.read().parquet(out.resolve(table.name()).toString()).createOrReplaceTempView(table.name());
      }
      for (String query : SqlDocTest.documentedQueries()) {
        assertFalse(spark.sql(query).collectAsList().isEmpty(), "no rows from:\n" + query);
      }
    } finally {
      spark.stop();
    }
  }
}
