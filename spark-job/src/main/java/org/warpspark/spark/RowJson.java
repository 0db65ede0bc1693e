package org.warpspark.spark;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.lang.reflect.Array;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One of our table rows as a JSON line that Spark's JSON reader, given the table's schema and
 * {@link #TIMESTAMP_FORMAT}, reads back as the same row: timestamps to the microsecond (Spark's own
 * {@code Row.json()} drops their fraction), floats and doubles exactly, NaN and infinities kept.
 */
final class RowJson {
  /** How timestamps are written, and the reader's {@code timestampFormat} option. */
  static final String TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSX";
  private static final DateTimeFormatter TIMESTAMPS = DateTimeFormatter.ofPattern(TIMESTAMP_FORMAT)
      .withZone(ZoneOffset.UTC);
  private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping()
      .create();

  private RowJson() {}

  static String of(Row row, StructType schema) {
    return of(row, schema, null, null);
  }

  /** As {@link #of(Row, StructType)}, with one more field {@code tag} holding {@code value} (if tag is not null). */
  static String of(Row row, StructType schema, String tag, String value) {
    JsonObject object = new JsonObject();
    if (tag != null) {
      object.addProperty(tag, value);
    }
    for (StructField field : schema.fields()) {
      object.add(field.name(), value(row.get(schema.fieldIndex(field.name()))));
    }
    return GSON.toJson(object);
  }

  private static JsonElement value(Object v) {
    if (v == null) {
      return JsonNull.INSTANCE;
    }
    if (v instanceof Timestamp t) {
      return new JsonPrimitive(TIMESTAMPS.format(t.toInstant()));
    }
    if (v instanceof Number n) {
      return new JsonPrimitive(n);
    }
    if (v instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    if (v instanceof String s) {
      return new JsonPrimitive(s);
    }
    if (v.getClass().isArray()) {
      JsonArray array = new JsonArray();
      for (int i = 0; i < Array.getLength(v); i++) {
        array.add(value(Array.get(v, i)));
      }
      return array;
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      JsonArray array = new JsonArray();
      CollectionConverters.asJava(seq).forEach(e -> array.add(value(e)));
      return array;
    }
    if (v instanceof scala.collection.Map<?, ?> map) {
      JsonObject object = new JsonObject();
      CollectionConverters.asJava(map).forEach((k, e) -> object.add(String.valueOf(k), value(e)));
      return object;
    }
    throw new IllegalArgumentException("no JSON form for a " + v.getClass().getName() + " in a table row");
  }
}
