package org.warpspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.PixelType;
import org.warpspark.spark.SparkSessions;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.ItkMatFile;
import org.warpspark.udfs.spatial.MotionParameters;
import org.warpspark.udfs.table.Applications;

/**
 * The apply job over a manifest of good and bad rows: the good ones write what the one-file command
 * writes, each bad one becomes a failed row naming the file and the cause (a secret in a location
 * never reaches the table), and a rerun of the run id gives the same table and outputs.
 */
class ApplyJobTest {
  @TempDir
  static Path dir;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.builder("ApplyJobTest", "local[2]").config("spark.ui.enabled", "false").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void goodRowsMatchTheOneFileCommandAndBadRowsFailAlone() throws Exception {
    Grid grid = new Grid(new int[] {20, 18, 16}, new double[] {1.2, 1.1, 1.3}, new double[] {-12, -10, -9},
        MotionParameters.identity(3).toAffine(new double[3]).linear());
    float[] values = new float[(int) grid.voxelCount()];
    float[] labels = new float[values.length];
    double[] index = new double[3];
    for (int i = 0; i < values.length; i++) {
      grid.index(i, index);
      double[] p = grid.indexToPhysical().apply(index);
      values[i] = (float) (100 + 40 * Math.sin(p[0] / 4) * Math.cos(p[1] / 5) + p[2]);
      labels[i] = (float) Math.floorMod((int) Math.floor(p[0] / 5) + 2 * (int) Math.floor(p[2] / 6), 4);
    }
    Path image = write("image.nii.gz", new Image(grid, values, PixelType.FLOAT32));
    Path labelMap = write("labels.nii.gz", new Image(grid, labels, PixelType.UINT8));
    Path flat = write("flat.nii.gz", Image.of(Grid.of(new int[] {20, 18}, new double[] {1, 1}, new double[2]),
        new float[360]));
    MotionParameters m = MotionParameters.identity(3);
    m.angles()[0] = 0.1;
    m.translation()[1] = 1.5;
    Path mat = dir.resolve("a.mat");
    ItkMatFile.write(mat, m.toAffine(grid.centre()), grid.centre());
    Path field = dir.resolve("field.nii.gz");
    ImageFiles.writeDisplacementField(DisplacementField.of(grid, x -> new double[] {x[0] + Math.sin(x[1] / 6),
        x[1], x[2] + 0.5 * Math.cos(x[0] / 7)}), field.toString(), new Configuration());
    Path points = Files.writeString(dir.resolve("points.csv"), "x,y,z,name\n1,2,3,a\n-4,0.5,2,b\n");
    // The same points as Parquet, as Spark writes them (one file), with a name and a label to keep.
    Path sparkFolder = dir.resolve("points_spark");
    spark.createDataFrame(List.of(RowFactory.create(1.0, 2.0, 3.0, "a", 7), RowFactory.create(-4.0, 0.5, 2.0, "b", 9)),
        new StructType().add("x", "double").add("y", "double").add("z", "double").add("name", "string")
            .add("label", "int")).coalesce(1).write().parquet(sparkFolder.toString());
    try (var files = Files.list(sparkFolder)) {
      Files.copy(files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow(),
          dir.resolve("points.parquet"));
    }
    String chain = "\"field.nii.gz;[a.mat,1]\"";
    Path manifest = Files.writeString(dir.resolve("apply.csv"), String.join("\n",
        "application_id,input,reference,transforms,interpolation,default_value,target_points",
        "img,image.nii.gz,image.nii.gz," + chain + ",,-1,",
        "lab,labels.nii.gz,image.nii.gz," + chain + ",GenericLabel,,",
        "pts,points.csv,," + chain + ",,,points.csv",
        "ptsq,points.parquet,," + chain + ",,,points.parquet",
        "missing,image.nii.gz,image.nii.gz,\"nowhere.mat\",,,",
        "interp,image.nii.gz,image.nii.gz,a.mat,Cubic,,",
        "secret,s3a://AKIDEXAMPLE:hunter2@bucket/x.nii.gz,image.nii.gz,a.mat,,,",
        "dims,flat.nii.gz,image.nii.gz,a.mat,,,",
        "unstorable,labels.nii.gz,image.nii.gz,a.mat,NearestNeighbor,-1,",
        "unparseable,s3a://[x@h/a.nii.gz,image.nii.gz,a.mat,,,") + "\n");
    Path out = dir.resolve("out");

    Map<String, Row> rows = run(manifest, out, 0);
    assertEquals(10, rows.size());
    assertOk(rows.get("img"), Applications.KIND_IMAGE);
    assertEquals("FLOAT32", rows.get("img").getAs(Applications.OUTPUT_TYPE));
    assertEquals(-1f, (float) rows.get("img").getAs(Applications.DEFAULT_VALUE));
    assertEquals(grid.voxelCount(), (long) rows.get("img").getAs(Applications.OUTPUT_VOXELS));
    assertOk(rows.get("lab"), Applications.KIND_IMAGE);
    assertEquals("UINT8", rows.get("lab").getAs(Applications.OUTPUT_TYPE), "labels keep their type");
    assertEquals("GenericLabel", rows.get("lab").getAs(Applications.INTERPOLATION));
    assertOk(rows.get("pts"), Applications.KIND_POINTS);
    assertEquals(2L, (long) rows.get("pts").getAs(Applications.POINTS));
    // Targets at the points themselves: the error is how far the chain moves them.
    double treMean = rows.get("pts").getAs(Applications.TRE_MEAN_MM);
    double treMax = rows.get("pts").getAs(Applications.TRE_MAX_MM);
    assertTrue(treMean > 0.5 && treMax >= treMean, treMean + " " + treMax);
    assertOk(rows.get("ptsq"), Applications.KIND_POINTS);
    assertEquals(treMean, (double) rows.get("ptsq").getAs(Applications.TRE_MEAN_MM), 1e-9);
    assertEquals(List.of(field.toUri().toString().replace("file:///", "file:/"), "[" + mat.toUri().toString()
        .replace("file:///", "file:/") + ",1]"), rows.get("img").getList(rows.get("img").fieldIndex(
        Applications.TRANSFORMS)), "the chain as given, paths resolved from the manifest's folder");

    assertFailed(rows.get("missing"), "nowhere.mat");
    assertFailed(rows.get("interp"), "interpolation 'Cubic' is not supported");
    assertFailed(rows.get("secret"), "credentials");
    assertFailed(rows.get("dims"), "is 2D but the reference");
    assertFailed(rows.get("unstorable"), "-1.0 cannot be stored in the UINT8 voxels");
    assertFailed(rows.get("unparseable"), "Illegal character");
    for (Row r : rows.values()) {
      assertFalse(r.toString().contains("hunter2") || r.toString().contains("AKIDEXAMPLE"), r.toString());
    }

    // The same outputs as the one-file command, voxel for voxel.
    Path outputs = out.resolve("outputs/run_id=r1");
    String[][] alone = {{"img", "image.nii.gz", "Linear", "-1"}, {"lab", "labels.nii.gz", "GenericLabel", "0"}};
    for (String[] a : alone) {
      Path single = dir.resolve("single_" + a[1]);
      assertEquals(0, WarpsparkCli.commandLine().execute("apply", "-i", dir.resolve(a[1]).toString(), "-r",
          image.toString(), "-t", field.toString(), "-t", "[" + mat + ",1]", "-n", a[2], "-f", a[3], "-o",
          single.toString()));
      Image ours = ImageFiles.read(outputs.resolve(a[0]).resolve(a[1]).toString());
      assertArrayEquals(ImageFiles.read(single.toString()).voxels(), ours.voxels(), a[0]);
    }
    Path singlePoints = dir.resolve("single_points.csv");
    assertEquals(0, WarpsparkCli.commandLine().execute("apply", "-i", points.toString(), "-t", field.toString(),
        "-t", "[" + mat + ",1]", "-o", singlePoints.toString(), "--target-points", points.toString()));
    assertEquals(Files.readString(singlePoints), Files.readString(outputs.resolve("pts/points.csv")));
    // Spark reads the Parquet output: the points moved as the CSV ones, the other columns kept with their types.
    List<String> csvLines = Files.readAllLines(outputs.resolve("pts/points.csv"));
    List<Row> moved = spark.read().parquet(outputs.resolve("ptsq/points.parquet").toString()).orderBy("name")
        .collectAsList();
    assertEquals(2, moved.size());
    for (int n = 0; n < 2; n++) {
      String[] csv = csvLines.get(n + 1).split(",");
      Row r = moved.get(n);
      assertEquals(csv[3], r.getAs("name"));
      assertEquals(n == 0 ? 7 : 9, (int) r.getAs("label"));
      for (int a = 0; a < 3; a++) {
        assertEquals(Double.parseDouble(csv[a]), (double) r.getAs(new String[] {"x", "y", "z"}[a]), 1e-12);
      }
      assertEquals(Double.parseDouble(csv[4]), (double) r.getAs("tre_mm"), 1e-12);
    }

    // A rerun of the run id replaces its rows and rewrites the same outputs.
    byte[] before = Files.readAllBytes(outputs.resolve("img/image.nii.gz"));
    Map<String, Row> again = run(manifest, out, 1);
    assertEquals(rows.keySet(), again.keySet());
    for (String id : rows.keySet()) {
      assertEquals((String) rows.get(id).getAs(Applications.STATUS), again.get(id).getAs(Applications.STATUS), id);
    }
    assertArrayEquals(before, Files.readAllBytes(outputs.resolve("img/image.nii.gz")));
  }

  /** Runs the job through the command line as run r1; exit code 1 unless {@code maxFailed} allows the failures. */
  private static Map<String, Row> run(Path manifest, Path out, double maxFailed) {
    StringWriter text = new StringWriter();
    int code = WarpsparkCli.commandLine().setOut(new PrintWriter(text)).execute("apply", "--manifest",
        manifest.toString(), "--out", out.toString(), "--run-id", "r1", "--max-failed-fraction",
        Double.toString(maxFailed));
    assertEquals(maxFailed >= 6.0 / 10 ? 0 : 1, code, text.toString());
    assertTrue(text.toString().contains("10 rows, 4 ok, 6 failed"), text.toString());
    Map<String, Row> rows = new HashMap<>();
    for (Row r : spark.read().parquet(out.resolve("applications").toString()).collectAsList()) {
      assertEquals("r1", r.getAs("run_id"));
      rows.put(r.getAs(Applications.APPLICATION_ID), r);
    }
    return rows;
  }

  private static void assertOk(Row row, String kind) {
    assertEquals(Applications.STATUS_OK, row.getAs(Applications.STATUS), String.valueOf(row));
    assertEquals(kind, row.getAs(Applications.KIND));
    assertNull(row.getAs(Applications.ERROR));
    assertTrue((double) row.getAs(Applications.SECONDS) > 0);
  }

  private static void assertFailed(Row row, String cause) {
    assertEquals(Applications.STATUS_FAILED, row.getAs(Applications.STATUS), String.valueOf(row));
    String error = row.getAs(Applications.ERROR);
    assertTrue(error != null && error.contains(cause), row.getAs(Applications.APPLICATION_ID) + ": " + error);
  }

  private static Path write(String name, Image image) {
    Path file = dir.resolve(name);
    ImageFiles.write(image, file.toString());
    return file;
  }
}
