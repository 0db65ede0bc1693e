package org.warpspark.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.warpspark.apply.ApplicationSpec;
import org.warpspark.apply.ChainArgument;
import org.warpspark.storage.InputUris;
import org.warpspark.udfs.table.Applications;

/**
 * The rows of an {@code apply} run: a manifest (CSV with a header, JSON lines or Parquet, as for
 * {@link Manifest}) with columns {@code application_id, input, transforms} and optional
 * {@code reference, interpolation, default_value, output_type, point_space, target_points, output}. {@code transforms}
 * is the chain as {@code antsApplyTransforms} takes it, {@code ;} between files ({@code FILE} or
 * {@code [FILE,1]}; quote it in CSV). Relative paths are relative to the manifest's folder. Without
 * {@code output}, a row writes {@code <out>/outputs/run_id=<id>/<application_id>/<input's name>}.
 * Only the columns and ids are checked here; a row whose values are wrong fails alone, in its task.
 */
final class ApplicationManifest {
  static final String ID = Applications.APPLICATION_ID;
  static final List<String> REQUIRED = List.of(ID, "input", "transforms");
  static final List<String> OPTIONAL = List.of("reference", "interpolation", "default_value", "output_type",
      "point_space", "target_points", "output");

  private ApplicationManifest() {}

  /** The manifest's rows, their outputs under {@code outputs} unless a row names its own. */
  static List<ApplicationSpec> read(SparkSession spark, String uri, Path outputs) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ManifestText.Rows rows = Manifest.load(spark, uri, conf);
    for (String required : REQUIRED) {
      if (!rows.columns().contains(required)) {
        throw new IllegalArgumentException("apply manifest " + uri + " has no '" + required + "' column (columns: "
            + rows.columns() + "; required: " + REQUIRED + ", optional: " + OPTIONAL + ")");
      }
    }
    for (String column : rows.columns()) {
      if (!REQUIRED.contains(column) && !OPTIONAL.contains(column)) {
        throw new IllegalArgumentException("apply manifest " + uri + " has an unknown column '" + column
            + "' (required: " + REQUIRED + ", optional: " + OPTIONAL + ")");
      }
    }
    Path base = Manifest.qualified(new Path(uri), conf).getParent();
    List<ApplicationSpec> specs = new ArrayList<>();
    Map<String, String> writers = new HashMap<>();
    for (ManifestText.Record record : rows.records()) {
      Map<String, String> row = record.values();
      String id = row.get(ID);
      String where = "apply manifest " + uri + ", " + record.where() + (id == null ? "" : " (" + id + ")");
      if (id == null || row.get("input") == null) {
        throw new IllegalArgumentException(where + ": empty '" + (id == null ? ID : "input") + "'");
      }
      ApplicationSpec spec;
      try {
        String input = Manifest.resolve(base, row.get("input"), conf);
        String name = new Path(input).getName();
        if (row.get("output") == null && name.isEmpty()) {
          throw new IllegalArgumentException("the input " + InputUris.redacted(input) + " names no file");
        }
        String output = row.get("output") != null ? Manifest.resolve(base, row.get("output"), conf)
            : new Path(new Path(outputs, id), name).toString();
        spec = new ApplicationSpec(id, input, Manifest.resolve(base, row.get("reference"), conf),
            chain(row.get("transforms"), base, conf), row.get("interpolation"), row.get("default_value"),
            row.get("output_type"), row.get("point_space"), Manifest.resolve(base, row.get("target_points"), conf),
            output, null);
      } catch (RuntimeException e) {
        // A location that cannot be resolved fails its row alone, in its task.
        spec = new ApplicationSpec(id, row.get("input"), row.get("reference"), List.of(), row.get("interpolation"),
            row.get("default_value"), row.get("output_type"), row.get("point_space"), row.get("target_points"),
            new Path(outputs, id).toString(), InputUris.redacted(String.valueOf(e.getMessage())));
      }
      String other = writers.put(spec.output(), id);
      if (other != null) {
        throw new IllegalArgumentException(where + ": writes " + InputUris.redacted(spec.output()) + ", as " + other
            + " does");
      }
      specs.add(spec);
    }
    Manifest.checkIds(specs.stream().map(ApplicationSpec::id).toList(), ID, "apply manifest " + uri);
    return specs;
  }

  /** Each {@code ;}-separated file resolved; text that is not FILE or [FILE,0|1] is kept for the row to fail on. */
  private static List<String> chain(String text, Path base, Configuration conf) {
    List<String> chain = new ArrayList<>();
    for (String part : text == null ? new String[0] : text.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      try {
        ChainArgument a = ChainArgument.parse(part);
        String file = Manifest.resolve(base, a.location(), conf);
        chain.add(a.inverse() ? "[" + file + ",1]" : file);
      } catch (IllegalArgumentException e) {
        chain.add(part.trim());
      }
    }
    return chain;
  }
}
