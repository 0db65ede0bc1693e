package org.warpspark.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.warpspark.storage.InputUris;
import org.warpspark.storage.OutputFolder;

/**
 * Point lists as CSV, the form {@code antsApplyTransformsToPoints} reads and writes: a header row
 * naming the columns, of which {@code x}, {@code y} (and {@code z} in 3D) are physical coordinates in
 * mm; every other column ({@code t}, labels, comments) is kept as it is. Fields are plain (no quotes).
 */
public final class PointFiles {
  /** Far above any landmark list. */
  private static final long MAX_BYTES = 256L << 20;
  private static final String[] AXES = {"x", "y", "z"};

  private PointFiles() {}

  /** The rows of a CSV point list, and where its coordinates are. Arrays are owned by the record. */
  public record Points(String[] header, List<String[]> rows, int[] coordinateColumns) implements PointList {
    /** Row {@code r}'s coordinates, in axis order. */
    public double[] coordinates(int r) {
      double[] p = new double[coordinateColumns.length];
      for (int a = 0; a < p.length; a++) {
        p[a] = Double.parseDouble(rows.get(r)[coordinateColumns[a]]);
      }
      return p;
    }

    @Override
    public List<double[]> coordinates() {
      List<double[]> all = new ArrayList<>();
      for (int r = 0; r < rows.size(); r++) {
        all.add(coordinates(r));
      }
      return all;
    }

    @Override
    public Points withColumn(String name, double[] values) {
      String[] h = Arrays.copyOf(header, header.length + 1);
      h[header.length] = name;
      List<String[]> out = new ArrayList<>();
      for (int r = 0; r < rows.size(); r++) {
        String[] row = Arrays.copyOf(rows.get(r), header.length + 1);
        row[header.length] = Double.toString(values[r]);
        out.add(row);
      }
      return new Points(h, out, coordinateColumns);
    }

    @Override
    public void write(String uriOrPath, Configuration conf) {
      PointFiles.write(this, uriOrPath, conf);
    }

    @Override
    public Points moved(List<double[]> moved) {
      List<String[]> out = new ArrayList<>();
      for (int r = 0; r < rows.size(); r++) {
        String[] row = rows.get(r).clone();
        for (int a = 0; a < coordinateColumns.length; a++) {
          row[coordinateColumns[a]] = Double.toString(moved.get(r)[a]);
        }
        out.add(row);
      }
      return new Points(header, out, coordinateColumns);
    }
  }

  public static Points read(String uriOrPath, Configuration conf, int dim) {
    String source = InputUris.redacted(uriOrPath);
    String text;
    try {
      text = new String(SmallFile.read(uriOrPath, conf, MAX_BYTES), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read points " + source + ": " + e.getMessage(), e);
    }
    String[] lines = text.split("\r?\n");
    String[] header = lines.length == 0 ? new String[0] : lines[0].split(",", -1);
    int[] columns = new int[dim];
    for (int a = 0; a < dim; a++) {
      columns[a] = indexOf(header, AXES[a]);
      if (columns[a] < 0) {
        throw new IllegalArgumentException("points " + source + ": the header " + Arrays.toString(header)
            + " has no column '" + AXES[a] + "' (a " + dim + "D point list needs x, y" + (dim == 3 ? ", z)" : ")"));
      }
    }
    List<String[]> rows = new ArrayList<>();
    for (int n = 1; n < lines.length; n++) {
      if (lines[n].isBlank()) {
        continue;
      }
      String[] row = lines[n].split(",", -1);
      if (row.length != header.length) {
        throw new IllegalArgumentException("points " + source + " line " + (n + 1) + ": " + row.length
            + " fields under a header of " + header.length);
      }
      for (int c : columns) {
        double v;
        try {
          v = Double.parseDouble(row[c].trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("points " + source + " line " + (n + 1) + ": '" + row[c]
              + "' is not a number", e);
        }
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("points " + source + " line " + (n + 1) + ": non-finite coordinate");
        }
        row[c] = row[c].trim();
      }
      rows.add(row);
    }
    return new Points(header, rows, columns);
  }

  public static void write(Points points, String uriOrPath, Configuration conf) {
    StringBuilder out = new StringBuilder(String.join(",", points.header())).append('\n');
    for (String[] row : points.rows()) {
      out.append(String.join(",", row)).append('\n');
    }
    Path file = new Path(uriOrPath);
    new OutputFolder(file.getParent().toString(), conf).writeText(file.getName(), out.toString());
  }

  private static int indexOf(String[] header, String name) {
    for (int i = 0; i < header.length; i++) {
      if (header[i].trim().toLowerCase(Locale.ROOT).equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
