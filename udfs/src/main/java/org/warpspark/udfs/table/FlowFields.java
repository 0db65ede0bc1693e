package org.warpspark.udfs.table;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import java.util.List;

/** The {@code flow_fields} table: its columns (names, types, units) and schema version, the one place they are defined. */
public final class FlowFields {
  private FlowFields() {}

  public static final String PAIR_ID = "pair_id";
  public static final String STAGE = "stage";
  public static final String DIM = "dim";
  public static final String SLICE = "slice";
  public static final String SIZE = "size";
  public static final String SPACING = "spacing";
  public static final String ORIGIN = "origin";
  public static final String DIRECTION = "direction";
  public static final String U_X = "u_x";
  public static final String U_Y = "u_y";
  public static final String U_Z = "u_z";

  public static final Table TABLE = new Table("flow_fields", 1,
      "the deformable stage's whole fixed-to-moving map (affine included) as a displacement u with T(x) = x + u(x), "
      + "one row per slice of the fixed grid (2D: one row), to query or reassemble", List.of(
      new Column(PAIR_ID, StringType, "", "the manifest's pair id"),
      new Column(STAGE, StringType, "", "deformable"),
      new Column(SLICE, IntegerType, "", "index along the fixed grid's last axis (z in 3D, 0 in 2D)"),
      new Column(DIM, IntegerType, "", "2 or 3"),
      new Column(SIZE, createArrayType(IntegerType), "voxels", "the fixed grid's size, x first"),
      new Column(SPACING, createArrayType(DoubleType), "mm", "the fixed grid's spacing, x first"),
      new Column(ORIGIN, createArrayType(DoubleType), "LPS mm", "physical point of voxel (0, 0[, 0])"),
      new Column(DIRECTION, createArrayType(DoubleType), "", "direction cosines, row-major d x d; column k is "
          + "index axis k in LPS"),
      new Column(U_X, createArrayType(FloatType), "LPS mm", "x component of u over the slice, x index fastest"),
      new Column(U_Y, createArrayType(FloatType), "LPS mm", "y component of u, same layout"),
      new Column(U_Z, createArrayType(FloatType), "LPS mm", "z component of u (3D only), same layout")));
}
