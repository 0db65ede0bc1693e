package org.warpspark.udfs.table;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import java.util.List;

/**
 * The {@code applications} table of an {@code apply} run: one row per manifest row, ok or failed. Its
 * columns (names, types, units) and schema version are defined here only.
 */
public final class Applications {
  private Applications() {}

  public static final String STATUS_OK = "ok";
  public static final String STATUS_FAILED = "failed";
  public static final String KIND_IMAGE = "image";
  public static final String KIND_POINTS = "points";

  public static final String APPLICATION_ID = "application_id";
  public static final String STATUS = "status";
  public static final String ERROR_CLASS = "error_class";
  public static final String ERROR = "error";
  public static final String KIND = "kind";
  public static final String INPUT = "input";
  public static final String REFERENCE = "reference";
  public static final String OUTPUT = "output";
  public static final String TRANSFORMS = "transforms";
  public static final String INTERPOLATION = "interpolation";
  public static final String DEFAULT_VALUE = "default_value";
  public static final String OUTPUT_TYPE = "output_type";
  public static final String OUTPUT_VOXELS = "output_voxels";
  public static final String POINTS = "points";
  public static final String TRE_MEAN_MM = "tre_mean_mm";
  public static final String TRE_MAX_MM = "tre_max_mm";
  public static final String SECONDS = "seconds";
  public static final String EXECUTOR_ID = "executor_id";
  public static final String ATTEMPT = "attempt";
  public static final String FINISHED_AT = "finished_at";

  public static final Table TABLE = new Table("applications", 1, "one row per row of an apply manifest: a "
      + "transform chain applied to an image, label map or point set", List.of(
      new Column(APPLICATION_ID, StringType, "", "the manifest's id of the row"),
      new Column(STATUS, StringType, "", "ok or failed"),
      new Column(ERROR_CLASS, StringType, "", "failed rows: the kind of error (e.g. ImageNotFoundException)"),
      new Column(ERROR, StringType, "", "failed rows: what went wrong, naming the file and the cause"),
      new Column(KIND, StringType, "", "image (images and label maps) or points (a point list)"),
      new Column(INPUT, StringType, "URI", "the image or point list the chain was applied to"),
      new Column(REFERENCE, StringType, "URI", "images: the image whose grid the output takes"),
      new Column(OUTPUT, StringType, "URI", "what was written (the input's format)"),
      new Column(TRANSFORMS, createArrayType(StringType), "URI", "the chain as antsApplyTransforms takes it: the "
          + "first acts first on an output point; [FILE,1] is an affine's inverse"),
      new Column(INTERPOLATION, StringType, "", "images: Linear, NearestNeighbor, GenericLabel or BSpline"),
      new Column(DEFAULT_VALUE, FloatType, "", "images: the value of output voxels that map outside the input"),
      new Column(OUTPUT_TYPE, StringType, "", "images: the output's voxel type (UINT8, INT16, ..., FLOAT32)"),
      new Column(OUTPUT_VOXELS, LongType, "", "images: voxels written"),
      new Column(POINTS, LongType, "", "point lists: points mapped"),
      new Column(TRE_MEAN_MM, DoubleType, "mm", "point lists with target_points: mean distance of the mapped points "
          + "from their targets (row for row), the target registration error"),
      new Column(TRE_MAX_MM, DoubleType, "mm", "point lists with target_points: the largest such distance"),
      new Column(SECONDS, DoubleType, "s", "reading, applying and writing"),
      new Column(EXECUTOR_ID, StringType, "", "Spark executor that ran the row (driver in local mode)"),
      new Column(ATTEMPT, IntegerType, "", "Spark task attempt number, 0 for the first"),
      new Column(FINISHED_AT, TimestampType, "UTC", "when the row was made")));
}
