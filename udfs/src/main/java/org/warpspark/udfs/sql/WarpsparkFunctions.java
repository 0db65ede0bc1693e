package org.warpspark.udfs.sql;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF10;
import org.apache.spark.sql.api.java.UDF9;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataType;
import org.warpspark.udfs.metric.TransformError;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.FieldRows;
import org.warpspark.udfs.spatial.ItkTransformFile;
import org.warpspark.udfs.spatial.MatrixDecomposition;
import org.warpspark.udfs.spatial.MotionParameters;
import org.warpspark.udfs.spatial.TorchAffineTheta;

/**
 * The SQL functions over the result tables. Matrices are {@code fixed_to_moving} columns: row-major
 * homogeneous (d+1)x(d+1) maps of fixed to moving physical points, LPS mm (docs/CONVENTIONS.md).
 * {@link #register} adds them to a session; {@link WarpsparkExtensions} adds them to every session
 * through {@code spark.sql.extensions}.
 */
public final class WarpsparkFunctions {
  private static final DataType DOUBLES = createArrayType(DoubleType);

  public static final SqlFunction APPLY_MATRIX = new SqlFunction("ws_apply_matrix",
      "ws_apply_matrix(matrix, point) - the matrix applied to a point (LPS mm): where a fixed point lies in the "
          + "moving image", DOUBLES, 2, a -> SqlValues.matrix(a[0]).apply(SqlValues.doubles(a[1])));

  public static final SqlFunction INVERT_MATRIX = new SqlFunction("ws_invert_matrix",
      "ws_invert_matrix(matrix) - the inverse map (moving to fixed)", DOUBLES, 1,
      a -> SqlValues.matrix(a[0]).inverse().rowMajor());

  public static final SqlFunction COMPOSE_MATRICES = new SqlFunction("ws_compose_matrices",
      "ws_compose_matrices(second, first) - the map that applies first, then second", DOUBLES, 2,
      a -> SqlValues.matrix(a[0]).after(SqlValues.matrix(a[1])).rowMajor());

  public static final SqlFunction DECOMPOSE_MATRIX = new SqlFunction("ws_decompose_matrix",
      "ws_decompose_matrix(matrix, centre) - T(x) = R S K (x - c) + c + t: translation (mm), angles (radians; "
          + "3D: rx, ry, rz with R = Rz Ry Rx), log_scales, shears",
      createStructType(List.of(createStructField("translation", DOUBLES, true),
          createStructField("angles", DOUBLES, true), createStructField("log_scales", DOUBLES, true),
          createStructField("shears", DOUBLES, true))), 2,
      a -> {
        MotionParameters p = MatrixDecomposition.decompose(SqlValues.matrix(a[0]), SqlValues.doubles(a[1]));
        return RowFactory.create(p.translation(), p.angles(), p.logScales(), p.shears());
      });

  public static final SqlFunction ROTATION_DEGREES = new SqlFunction("ws_rotation_degrees",
      "ws_rotation_degrees(matrix) - the angle of the matrix's rotation, degrees (of its rotation-like part "
          + "when it also scales or shears)", DoubleType, 1,
      a -> {
        Affine m = SqlValues.matrix(a[0]);
        return TransformError.rotationDegrees(m, Affine.identity(m.dim()));
      });

  public static final SqlFunction TO_ITK_TFM = new SqlFunction("ws_to_itk_tfm",
      "ws_to_itk_tfm(matrix, centre) - the text of an ITK .tfm file (AffineTransform, LPS) for the matrix",
      StringType, 2, a -> ItkTransformFile.format(SqlValues.matrix(a[0]), SqlValues.doubles(a[1])));

  public static final SqlFunction TO_TORCH_THETA = new SqlFunction("ws_to_torch_theta",
      "ws_to_torch_theta(matrix, fixed_size, fixed_spacing, fixed_origin, fixed_direction, moving_size, "
          + "moving_spacing, moving_origin, moving_direction, align_corners) - PyTorch affine_grid theta, row-major "
          + "d x (d+1), for these grids", DOUBLES, 10,
      a -> TorchAffineTheta.fromFixedToMoving(SqlValues.matrix(a[0]), SqlValues.grid(a[1], a[2], a[3], a[4]),
          SqlValues.grid(a[5], a[6], a[7], a[8]), (Boolean) a[9]).rowMajor());

  public static final SqlFunction FLOW_MAGNITUDE = new SqlFunction("ws_flow_magnitude",
      "ws_flow_magnitude(u_x, u_y, u_z) - mean and max length (mm) of a flow_fields row's displacements; "
          + "u_z is null in 2D",
      createStructType(List.of(createStructField("mean_mm", DoubleType, true),
          createStructField("max_mm", DoubleType, true))), 3, 2,
      a -> {
        double[] m = FlowMagnitude.of(SqlValues.floats(a[0]), SqlValues.floats(a[1]),
            a[2] == null ? new float[0] : SqlValues.floats(a[2]));
        return RowFactory.create(m[0], m[1]);
      });

  public static final SqlFunction FLOW_DISPLACEMENT = new SqlFunction("ws_flow_displacement",
      "ws_flow_displacement(point, slice, size, spacing, origin, direction, u_x, u_y, u_z) - a flow_fields row's share "
          + "of the displacement u (LPS mm) at a fixed point (LPS mm): summed over a pair's rows, u(point), as ITK "
          + "evaluates the whole field, so point + u is where the point lies in the moving image; u_z is null in 2D",
      DOUBLES, 9, 8,
      a -> {
        float[][] u = a[8] == null ? new float[][] {SqlValues.floats(a[6]), SqlValues.floats(a[7])}
            : new float[][] {SqlValues.floats(a[6]), SqlValues.floats(a[7]), SqlValues.floats(a[8])};
        return FieldRows.share(SqlValues.doubles(a[0]), ((Number) a[1]).intValue(),
            SqlValues.grid(a[2], a[3], a[4], a[5]), u);
      });

  public static final List<SqlFunction> ALL = List.of(APPLY_MATRIX, INVERT_MATRIX, COMPOSE_MATRICES,
      DECOMPOSE_MATRIX, ROTATION_DEGREES, TO_ITK_TFM, TO_TORCH_THETA, FLOW_MAGNITUDE, FLOW_DISPLACEMENT);

  private WarpsparkFunctions() {}

  /** Registers every function in {@code spark} (temporary functions of the session). */
  public static void register(SparkSession spark) {
    for (SqlFunction f : ALL) {
      switch (f.arity()) {
        case 1 -> spark.udf().register(f.name(), (UDF1<Object, Object>) f::call, f.resultType());
        case 2 -> spark.udf().register(f.name(), (UDF2<Object, Object, Object>) f::call, f.resultType());
        case 3 -> spark.udf().register(f.name(), (UDF3<Object, Object, Object, Object>) f::call, f.resultType());
        case 9 -> spark.udf().register(f.name(),
            (UDF9<Object, Object, Object, Object, Object, Object, Object, Object, Object, Object>) f::call,
            f.resultType());
        case 10 -> spark.udf().register(f.name(),
            (UDF10<Object, Object, Object, Object, Object, Object, Object, Object, Object, Object, Object>) f::call,
            f.resultType());
        default -> throw new IllegalStateException(f.name() + ": no registration for arity " + f.arity());
      }
    }
  }
}
