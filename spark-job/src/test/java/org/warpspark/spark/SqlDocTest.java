package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.udfs.sql.WarpsparkExtensions;
import org.warpspark.udfs.table.Table;
import org.warpspark.udfs.table.Tables;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.ItkTransformFile;

/**
 * Every query in docs/SQL.md runs against the tables of a real run and answers with rows; the run also
 * exports its files, and the exported transforms agree with the table.
 */
class SqlDocTest {
  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void runTheSamples() throws IOException {
    spark = SparkSessions.builder("SqlDocTest", "local[2]").config("spark.ui.enabled", "false")
        .config("spark.sql.extensions", WarpsparkExtensions.class.getName()).getOrCreate();
    SamplePairs samples = SamplePairs.write(dir);
    String out = dir.resolve("tables").toString();
    RunJob.run(spark, RunJob.Options.of("samples", Manifest.read(spark, samples.manifest.toString()), out, "demo",
        RegistrationConfig.of(Map.of("iterations", "60,40,120", "deformable-iterations", "40,20,10")))
        .withMaxFailedFraction(1).withExports(true), new PrintWriter(new StringWriter()));
    for (Table table : Tables.REGISTRATION_RUN) {
      spark.read().parquet(out + "/" + table.name()).createOrReplaceTempView(table.name());
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static List<String> documentedQueries() throws IOException {
    Matcher m = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("..", "docs",
        "SQL.md")));
    List<String> queries = new ArrayList<>();
    while (m.find()) {
      queries.add(m.group(1));
    }
    return queries;
  }

  @Test
  void exportedFilesAreWhereTheTableSaysAndAgreeWithIt() throws IOException {
    List<Row> rows = spark.sql("SELECT pair_id, stage, fixed_to_moving, exports FROM registrations "
        + "WHERE status = 'ok'").collectAsList();
    assertFalse(rows.isEmpty());
    for (Row row : rows) {
      Map<String, String> files = row.getJavaMap(3);
      if (row.getString(1).equals("affine")) {
        String tfm = Files.readString(local(files.get("itk_transform")));
        double[] matrix = row.<Double>getList(2).stream().mapToDouble(Double::doubleValue).toArray();
        assertTrue(org.warpspark.udfs.spatial.ItkTransformFile.parse(tfm, "export")
            .maxAbsDifference(org.warpspark.udfs.spatial.Affine.ofRowMajor(matrix)) < 1e-9, row.getString(0));
      }
      for (String uri : files.values()) {
        assertTrue(Files.size(local(uri)) > 0, uri);
      }
    }
    assertTrue(rows.stream().anyMatch(r -> r.getJavaMap(3).containsKey("displacement_field")));
  }

  private static Path local(String uri) {
    return uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)) : Path.of(uri);
  }

  /**
   * The flow_fields rows' shares of u (ws_flow_displacement), summed, give at any point what the exported
   * displacement.nii.gz gives there as ITK evaluates it: inside, near the border and beyond.
   */
  @Test
  void flowRowSharesAddUpToTheExportedField() {
    List<Row> exports = spark.sql("SELECT pair_id, exports['displacement_field'] FROM registrations "
        + "WHERE stage = 'deformable' AND status = 'ok'").collectAsList();
    assertFalse(exports.isEmpty());
    java.util.Random random = new java.util.Random(4);
    for (Row export : exports) {
      org.warpspark.udfs.spatial.DisplacementField field = org.warpspark.image.ImageFiles.readDisplacementField(
          export.getString(1), new org.apache.hadoop.conf.Configuration(), org.warpspark.image.ReadLimits.DEFAULT);
      org.warpspark.udfs.spatial.Grid grid = field.grid();
      List<Row> points = new ArrayList<>();
      for (int n = 0; n < 25; n++) {
        double[] index = new double[grid.dim()];
        for (int a = 0; a < index.length; a++) {
          index[a] = -1 + (grid.size()[a] + 1) * random.nextDouble();
        }
        double[] p = grid.indexToPhysical().apply(index);
        points.add(org.apache.spark.sql.RowFactory.create(export.getString(0), n,
            java.util.Arrays.stream(p).boxed().toList()));
      }
      spark.createDataFrame(points, new org.apache.spark.sql.types.StructType()
          .add("pair_id", "string").add("n", "int").add("point", "array<double>")).createOrReplaceTempView("landmarks");
      List<Row> sums = spark.sql("SELECT l.n, first(l.point) AS point, SUM(get(ws_flow_displacement(l.point, f.slice, "
          + "f.size, f.spacing, f.origin, f.direction, f.u_x, f.u_y, f.u_z), 0)) AS x, SUM(get(ws_flow_displacement("
          + "l.point, f.slice, f.size, f.spacing, f.origin, f.direction, f.u_x, f.u_y, f.u_z), 1)) AS y "
          + "FROM landmarks l JOIN flow_fields f ON f.pair_id = l.pair_id AND f.stage = 'deformable' GROUP BY l.n")
          .collectAsList();
      assertEquals(points.size(), sums.size());
      double[] u = new double[grid.dim()];
      for (Row sum : sums) {
        double[] p = sum.<Double>getList(1).stream().mapToDouble(Double::doubleValue).toArray();
        field.atAsItk(p, grid.physicalToIndex(), u);
        assertEquals(u[0], sum.getDouble(2), 1e-3, export.getString(0) + " point " + sum.getInt(0));
        assertEquals(u[1], sum.getDouble(3), 1e-3, export.getString(0) + " point " + sum.getInt(0));
      }
    }
  }

  @Test
  void everyDocumentedQueryAnswers() throws IOException {
    List<String> queries = documentedQueries();
    assertTrue(queries.size() >= 8, "docs/SQL.md should hold the documented queries, found " + queries.size());
    for (String query : queries) {
      List<Row> rows = spark.sql(query).collectAsList();
      assertFalse(rows.isEmpty(), "no rows from:\n" + query);
    }
  }
}
