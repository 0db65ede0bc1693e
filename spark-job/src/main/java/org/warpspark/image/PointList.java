package org.warpspark.image;

import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * A list of physical points (mm) with whatever else each row carries, read and written in one format:
 * CSV ({@link PointFiles}) or Parquet ({@link ParquetPoints}), told by the file's extension. The
 * coordinates are the columns {@code x}, {@code y} (and {@code z} in 3D); every other column is kept.
 */
public interface PointList {
  /** Every row's coordinates, in row order. */
  List<double[]> coordinates();

  /** The same rows with row {@code r}'s coordinates replaced by {@code moved.get(r)}. */
  PointList moved(List<double[]> moved);

  /** The same rows with one more column of numbers, {@code values[r]} in row {@code r}. */
  PointList withColumn(String name, double[] values);

  /** Writes the list, replacing what is there, in the format the name asks for (that of the list). */
  void write(String uriOrPath, Configuration conf);

  /** Whether {@code uriOrPath} names a point list rather than an image. */
  static boolean isPointList(String uriOrPath) {
    String name = uriOrPath.toLowerCase(Locale.ROOT);
    return name.endsWith(".csv") || name.endsWith(".parquet");
  }

  static PointList read(String uriOrPath, Configuration conf, int dim) {
    return uriOrPath.toLowerCase(Locale.ROOT).endsWith(".parquet") ? ParquetPoints.read(uriOrPath, conf, dim)
        : PointFiles.read(uriOrPath, conf, dim);
  }
}
