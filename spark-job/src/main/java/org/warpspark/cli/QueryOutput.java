package org.warpspark.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A query's rows as text: an aligned-free table for people ({@code |} between values), CSV (RFC 4180,
 * a header row) or JSON lines for programs. Arrays, maps and structs print as JSON in every format,
 * never as Scala's {@code ArraySeq(...)}; timestamps as ISO-8601 UTC.
 */
final class QueryOutput {
  enum Format { TABLE, CSV, JSON }

  /** JSON with NaN and infinities kept (metrics can be NaN), as Python's and DuckDB's readers take them. */
  private static final Gson JSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping()
      .serializeNulls().create();

  private QueryOutput() {}

  /** Prints at most {@code limit} rows; returns how many it printed. */
  static int print(Dataset<Row> result, int limit, Format format, PrintWriter out) {
    String[] columns = unique(result.columns());
    List<Row> rows = result.limit(limit).collectAsList();
    if (format == Format.TABLE) {
      out.println(String.join(" | ", columns));
    } else if (format == Format.CSV) {
      out.println(String.join(",", List.of(columns).stream().map(QueryOutput::csv).toList()));
    }
    for (Row row : rows) {
      List<String> cells = new ArrayList<>();
      Map<String, Object> object = new LinkedHashMap<>();
      for (int i = 0; i < row.size(); i++) {
        Object value = plain(row.get(i));
        object.put(columns[i], value);
        // CSV: an empty text is quoted, so that it differs from a null
        cells.add(format == Format.TABLE ? (value == null ? "NULL" : text(value))
            : format == Format.CSV ? (value == null ? "" : "".equals(value) ? "\"\"" : csv(text(value))) : null);
      }
      out.println(format == Format.JSON ? JSON.toJson(object) : String.join(format == Format.CSV ? "," : " | ", cells));
    }
    if (format == Format.TABLE) {
      out.println("(" + rows.size() + " rows" + (rows.size() == limit ? ", limited" : "") + ")");
    }
    return rows.size();
  }

  /** Column names as keys: a repeated one (a join's) gets _2, _3, ... */
  private static String[] unique(String[] columns) {
    String[] names = columns.clone();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < names.length; i++) {
      String name = names[i];
      for (int k = 2; !seen.add(names[i]); k++) {
        names[i] = name + "_" + k;
      }
    }
    return names;
  }

  /** A value from a Spark row as plain Java: lists, maps, strings, numbers, booleans, or null. */
  static Object plain(Object value) {
    if (value instanceof scala.collection.Seq<?> seq) {
      List<Object> list = new ArrayList<>();
      CollectionConverters.asJava(seq).forEach(v -> list.add(plain(v)));
      return list;
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      Map<String, Object> m = new LinkedHashMap<>();
      CollectionConverters.asJava(map).forEach((k, v) -> m.put(String.valueOf(plain(k)), plain(v)));
      return m;
    }
    if (value instanceof Row row) {
      Map<String, Object> m = new LinkedHashMap<>();
      String[] names = row.schema().fieldNames();
      for (int i = 0; i < row.size(); i++) {
        m.put(names[i], plain(row.get(i)));
      }
      return m;
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant().toString();
    }
    if (value instanceof java.time.temporal.Temporal || value instanceof java.sql.Date) {
      return value.toString();
    }
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    // numbers, booleans and text as they are; anything else (intervals, decimals' kin) as its text
    return value == null || value instanceof Number || value instanceof Boolean || value instanceof String ? value
        : value.toString();
  }

  /** A plain value as one cell's text: nested values as compact JSON. */
  private static String text(Object value) {
    return value instanceof List || value instanceof Map ? JSON.toJson(value) : String.valueOf(value);
  }

  private static String csv(String field) {
    return field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")
        ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
  }
}
