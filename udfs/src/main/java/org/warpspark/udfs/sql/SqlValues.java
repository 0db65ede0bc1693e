package org.warpspark.udfs.sql;

import java.util.List;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import scala.collection.Iterable;
import scala.jdk.javaapi.CollectionConverters;

/** Spark's external values (Scala sequences of boxed numbers) to and from our types. */
final class SqlValues {
  private SqlValues() {}

  static double[] doubles(Object value) {
    return list(value).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
  }

  static int[] ints(Object value) {
    return list(value).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
  }

  static float[] floats(Object value) {
    List<?> list = list(value);
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) list.get(i)).floatValue();
    }
    return out;
  }

  static Affine matrix(Object value) {
    return Affine.ofRowMajor(doubles(value));
  }

  /** A grid from its four table columns (size, spacing, origin, row-major direction). */
  static Grid grid(Object size, Object spacing, Object origin, Object direction) {
    return new Grid(ints(size), doubles(spacing), doubles(origin), doubles(direction));
  }

  private static List<?> list(Object value) {
    if (value instanceof List<?> list) {
      return list;
    }
    if (value instanceof Iterable<?> iterable) {
      return CollectionConverters.asJava(iterable.toSeq());
    }
    if (value instanceof double[] array) {
      return java.util.Arrays.stream(array).boxed().toList();
    }
    throw new IllegalArgumentException("expected an array, got " + value.getClass().getName());
  }
}
