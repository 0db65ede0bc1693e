package org.warpspark.spark;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.warpspark.udfs.table.Table;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Fills one row of a {@link Table} by column name, converting Java values to what Spark's row encoder
 * takes (primitive arrays as they are, Scala sequences and maps, SQL timestamps); unset columns stay null.
 */
final class RowBuilder {
  private final StructType schema;
  private final Object[] values;

  RowBuilder(Table table) {
    this.schema = table.schema();
    this.values = new Object[schema.size()];
  }

  RowBuilder set(String column, Object value) {
    values[schema.fieldIndex(column)] = spark(value);
    return this;
  }

  Row row() {
    return RowFactory.create(values.clone());
  }

  private static Object spark(Object value) {
    if (value instanceof double[] || value instanceof float[] || value instanceof int[]) {
      return value; // Spark's row encoder copies primitive arrays as they are: no boxing of large fields
    }
    if (value instanceof String[] array) {
      return CollectionConverters.asScala(List.of(array)).toSeq();
    }
    if (value instanceof List<?> list) {
      return CollectionConverters.asScala(list).toSeq();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), spark(v)));
      return scala.collection.immutable.Map.from(CollectionConverters.asScala(copy));
    }
    if (value instanceof Instant instant) {
      return Timestamp.from(instant);
    }
    return value; // doubles as they are: Parquet stores NaN and infinities, and readers see them as such
  }
}
