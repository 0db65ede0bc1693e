package org.warpspark.udfs.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.ItkTransformFile;
import org.warpspark.udfs.spatial.MotionParameters;
import org.warpspark.udfs.spatial.TorchAffineTheta;

/**
 * The SQL functions as SQL sees them, through {@code spark.sql.extensions}, on values with known
 * answers ({@link ProgrammaticRegistrationTest} covers {@link WarpsparkFunctions#register}).
 */
class WarpsparkFunctionsTest {
  static SparkSession spark;
  static final double[] CENTRE = {10, -5, 3};
  static final MotionParameters MOTION = motion();

  private static MotionParameters motion() {
    MotionParameters p = MotionParameters.identity(3);
    p.translation()[0] = 4;
    p.translation()[2] = -2;
    p.angles()[0] = 0.1;
    p.angles()[1] = -0.05;
    p.angles()[2] = 0.2;
    p.logScales()[1] = 0.03;
    p.shears()[0] = 0.02;
    return p;
  }

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[1]").appName("WarpsparkFunctionsTest")
        .config("spark.ui.enabled", "false").config("spark.sql.extensions", WarpsparkExtensions.class.getName())
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static String array(double[] values) {
    StringBuilder s = new StringBuilder("array(");
    for (int i = 0; i < values.length; i++) {
      s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "CAST(%.17g AS DOUBLE)", values[i]));
    }
    return s.append(")").toString();
  }

  private static Row one(String sql) {
    List<Row> rows = spark.sql(sql).collectAsList();
    assertEquals(1, rows.size());
    return rows.get(0);
  }

  private static double[] doubles(Row row, int column) {
    return row.<Double>getList(column).stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void matricesApplyInvertAndCompose() {
    Affine m = MOTION.toAffine(CENTRE);
    Row row = one("SELECT ws_apply_matrix(" + array(m.rowMajor()) + ", array(1d, 2d, 3d)), "
        + "ws_compose_matrices(" + array(m.rowMajor()) + ", ws_invert_matrix(" + array(m.rowMajor()) + "))");
    assertArrayEquals(m.apply(new double[] {1, 2, 3}), doubles(row, 0), 1e-12);
    assertArrayEquals(Affine.identity(3).rowMajor(), doubles(row, 1), 1e-12);
  }

  @Test
  void aMatrixDecomposesIntoTheMotionThatMadeIt() {
    Row row = one("SELECT d.translation, d.angles, d.log_scales, d.shears FROM (SELECT ws_decompose_matrix("
        + array(MOTION.toAffine(CENTRE).rowMajor()) + ", " + array(CENTRE) + ") AS d)");
    assertArrayEquals(MOTION.translation(), doubles(row, 0), 1e-9);
    assertArrayEquals(MOTION.angles(), doubles(row, 1), 1e-9);
    assertArrayEquals(MOTION.logScales(), doubles(row, 2), 1e-9);
    assertArrayEquals(MOTION.shears(), doubles(row, 3), 1e-9);
  }

  @Test
  void rotationAngleItkTextAndTorchTheta() {
    double c = Math.cos(Math.toRadians(30));
    double s = Math.sin(Math.toRadians(30));
    double[] rotation = {c, -s, 1, s, c, 2, 0, 0, 1};
    Affine m = MOTION.toAffine(CENTRE);
    Grid fixed = new Grid(new int[] {20, 18, 16}, new double[] {1, 1.2, 2}, new double[] {-10, -9, -15},
        new double[] {1, 0, 0, 0, 0, -1, 0, 1, 0});
    Grid moving = Grid.of(new int[] {24, 20, 12}, new double[] {0.9, 1, 2.5}, new double[] {-12, -8, -14});
    Row row = one("SELECT ws_rotation_degrees(" + array(rotation) + "), ws_to_itk_tfm(" + array(m.rowMajor()) + ", "
        + array(CENTRE) + "), ws_to_torch_theta(" + array(m.rowMajor()) + ", array(20, 18, 16), array(1d, 1.2d, 2d), "
        + "array(-10d, -9d, -15d), array(1d, 0d, 0d, 0d, 0d, -1d, 0d, 1d, 0d), array(24, 20, 12), "
        + "array(0.9d, 1d, 2.5d), array(-12d, -8d, -14d), array(1d, 0d, 0d, 0d, 1d, 0d, 0d, 0d, 1d), false)");
    assertEquals(30, row.getDouble(0), 1e-9);
    assertEquals(0, ItkTransformFile.parse(row.getString(1), "sql").maxAbsDifference(m), 1e-9);
    assertArrayEquals(TorchAffineTheta.fromFixedToMoving(m, fixed, moving, false).rowMajor(), doubles(row, 2), 1e-12);
  }

  @Test
  void flowMagnitudeIn2dAnd3d() {
    Row row = one("SELECT ws_flow_magnitude(array(3f, 0f), array(4f, 0f), CAST(NULL AS array<float>)), "
        + "ws_flow_magnitude(array(1f, 2f), array(2f, 3f), array(2f, 6f))");
    assertEquals(2.5, row.getStruct(0).getDouble(0), 1e-12);
    assertEquals(5.0, row.getStruct(0).getDouble(1), 1e-12);
    assertEquals(5.0, row.getStruct(1).getDouble(0), 1e-12);
    assertEquals(7.0, row.getStruct(1).getDouble(1), 1e-12);
  }

  @Test
  void nullsGiveNullAndDescribeShowsUsage() {
    Row row = one("SELECT ws_invert_matrix(CAST(NULL AS array<double>)), ws_rotation_degrees(NULL)");
    assertTrue(row.isNullAt(0) && row.isNullAt(1));
    String described = spark.sql("DESCRIBE FUNCTION ws_apply_matrix").collectAsList().toString();
    assertTrue(described.contains("where a fixed point lies in the moving image"), described);
  }
}
