package org.warpspark.spark;

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
