package org.warpspark.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.warpspark.storage.InputUris;

/**
 * A point list as one Parquet file of flat rows (Spark, pandas and DuckDB write such files): numeric
 * columns {@code x}, {@code y} (and {@code z}), float64 or float32, one value each, beside any other
 * columns of plain values, which are kept with their types. Read and written with Parquet's own
 * library (parquet-hadoop, which Spark brings), without Spark. Nested or repeated columns are refused.
 */
final class ParquetPoints implements PointList {
  /** Far above any landmark list or cell table a task holds in memory. */
  private static final int MAX_ROWS = 20_000_000;
  private static final String[] AXES = {"x", "y", "z"};

  private final MessageType schema;
  private final List<Group> rows;
  private final int[] axes;

  private ParquetPoints(MessageType schema, List<Group> rows, int[] axes) {
    this.schema = schema;
    this.rows = rows;
    this.axes = axes;
  }

  static ParquetPoints read(String uriOrPath, Configuration conf, int dim) {
    String source = InputUris.redacted(uriOrPath);
    List<Group> rows = new ArrayList<>();
    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), new Path(uriOrPath))
        .withConf(conf).build()) {
      for (Group g = reader.read(); g != null; g = reader.read()) {
        if (rows.size() == MAX_ROWS) {
          throw new IllegalArgumentException("points " + source + ": more than " + MAX_ROWS + " rows");
        }
        rows.add(g);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw (IllegalArgumentException) e;
      }
      throw new IllegalArgumentException("cannot read points " + source + ": " + e.getMessage(), e);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("points " + source + ": no rows");
    }
    MessageType schema = (MessageType) rows.get(0).getType();
    for (Type field : schema.getFields()) {
      if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
        throw new IllegalArgumentException("points " + source + ": column '" + field.getName() + "' is nested or "
            + "repeated; point lists are flat rows");
      }
    }
    int[] axes = new int[dim];
    for (int a = 0; a < dim; a++) {
      if (!schema.containsField(AXES[a])) {
        throw new IllegalArgumentException("points " + source + ": no column '" + AXES[a] + "' among "
            + schema.getFields().stream().map(Type::getName).toList());
      }
      axes[a] = schema.getFieldIndex(AXES[a]);
      PrimitiveTypeName type = schema.getType(axes[a]).asPrimitiveType().getPrimitiveTypeName();
      if (type != PrimitiveTypeName.DOUBLE && type != PrimitiveTypeName.FLOAT) {
        throw new IllegalArgumentException("points " + source + ": column '" + AXES[a] + "' is " + type
            + ", not float64 or float32");
      }
    }
    ParquetPoints points = new ParquetPoints(schema, rows, axes);
    for (int r = 0; r < rows.size(); r++) {
      for (int a : axes) {
        if (rows.get(r).getFieldRepetitionCount(a) != 1) {
          throw new IllegalArgumentException("points " + source + " row " + (r + 1) + ": no value of '"
              + schema.getFieldName(a) + "'");
        }
      }
    }
    return points;
  }

  @Override
  public List<double[]> coordinates() {
    List<double[]> all = new ArrayList<>(rows.size());
    for (Group g : rows) {
      double[] p = new double[axes.length];
      for (int a = 0; a < axes.length; a++) {
        p[a] = isDouble(axes[a]) ? g.getDouble(axes[a], 0) : g.getFloat(axes[a], 0);
      }
      all.add(p);
    }
    return all;
  }

  @Override
  public ParquetPoints moved(List<double[]> moved) {
    List<Group> out = new ArrayList<>(rows.size());
    for (int r = 0; r < rows.size(); r++) {
      Group g = copy(rows.get(r), schema, -1);
      for (int a = 0; a < axes.length; a++) {
        if (isDouble(axes[a])) {
          g.add(axes[a], moved.get(r)[a]);
        } else {
          g.add(axes[a], (float) moved.get(r)[a]);
        }
      }
      out.add(g);
    }
    return new ParquetPoints(schema, out, axes);
  }

  @Override
  public ParquetPoints withColumn(String name, double[] values) {
    List<Type> fields = new ArrayList<>(schema.getFields());
    fields.add(Types.optional(PrimitiveTypeName.DOUBLE).named(name));
    MessageType wider = new MessageType(schema.getName(), fields);
    List<Group> out = new ArrayList<>(rows.size());
    for (int r = 0; r < rows.size(); r++) {
      Group g = copy(rows.get(r), wider, -2);
      g.add(fields.size() - 1, values[r]);
      out.add(g);
    }
    return new ParquetPoints(wider, out, axes);
  }

  @Override
  public void write(String uriOrPath, Configuration conf) {
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(new Path(uriOrPath),
        conf)).withType(schema).withConf(conf).withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
      for (Group g : rows) {
        writer.write(g);
      }
    } catch (IOException e) {
      throw new ImageWriteException(uriOrPath, "I/O error: " + e, e);
    }
  }

  private boolean isDouble(int field) {
    return schema.getType(field).asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.DOUBLE;
  }

  /**
   * {@code g}'s values in a new row of {@code type}, leaving out the coordinates ({@code skip = -1}: they
   * are set anew) or nothing ({@code -2}).
   */
  private Group copy(Group g, MessageType type, int skip) {
    Group out = new SimpleGroup(type);
    for (int f = 0; f < schema.getFieldCount(); f++) {
      if (skip == -1 && contains(axes, f)) {
        continue;
      }
      PrimitiveType p = schema.getType(f).asPrimitiveType();
      for (int i = 0; i < g.getFieldRepetitionCount(f); i++) {
        switch (p.getPrimitiveTypeName()) {
          case INT32 -> out.add(f, g.getInteger(f, i));
          case INT64 -> out.add(f, g.getLong(f, i));
          case FLOAT -> out.add(f, g.getFloat(f, i));
          case DOUBLE -> out.add(f, g.getDouble(f, i));
          case BOOLEAN -> out.add(f, g.getBoolean(f, i));
          default -> out.add(f, g.getBinary(f, i));
        }
      }
    }
    return out;
  }

  private static boolean contains(int[] values, int v) {
    for (int x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }
}
