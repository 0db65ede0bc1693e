package org.warpspark.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.warpspark.storage.StorageAccess;
import org.warpspark.pair.PairInput;
import org.warpspark.pair.PairSpec;

/**
 * The pairs of a run: a manifest file (CSV with a header, JSON lines, or Parquet; chosen by extension)
 * with columns {@code pair_id, fixed, moving} and optional {@code fixed_labels, moving_labels,
 * fixed_mask, overrides}; or every image of a glob against one template; or pairs matched by file name. Relative paths in a manifest
 * are relative to the manifest's folder. {@code overrides} is {@code key=value} pairs separated by
 * {@code ;}, with the keys of {@code conf/warpspark.properties}; in a CSV manifest a value with commas
 * is quoted ({@code "stages=affine,deformable"}), and a row with another field count is an error.
 */
public final class Manifest {
  public static final String PAIR_ID_COLUMN = "pair_id";
  public static final String OVERRIDES_COLUMN = "overrides";
  public static final List<String> REQUIRED = List.of(PAIR_ID_COLUMN, PairInput.FIXED.column(),
      PairInput.MOVING.column());
  public static final List<String> OPTIONAL = List.of(PairInput.FIXED_LABELS.column(),
      PairInput.MOVING_LABELS.column(), PairInput.FIXED_MASK.column(), OVERRIDES_COLUMN);

  private Manifest() {}

  /** Reads and checks a manifest: required columns present, every pair id non-empty and unique. */
  public static List<PairSpec> read(SparkSession spark, String uri) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ManifestText.Rows rows = load(spark, uri, conf);
    List<String> columns = rows.columns();
    for (String required : REQUIRED) {
      if (!columns.contains(required)) {
        throw new IllegalArgumentException("manifest " + uri + " has no '" + required + "' column (columns: "
            + columns + "; required: " + REQUIRED + ", optional: " + OPTIONAL + ")");
      }
    }
    for (String column : columns) {
      if (!REQUIRED.contains(column) && !OPTIONAL.contains(column)) {
        throw new IllegalArgumentException("manifest " + uri + " has an unknown column '" + column + "' (required: "
            + REQUIRED + ", optional: " + OPTIONAL + ")");
      }
    }
    Path base = qualified(new Path(uri), conf).getParent();
    List<PairSpec> pairs = new ArrayList<>();
    for (ManifestText.Record record : rows.records()) {
      Map<String, String> row = record.values();
      String id = row.get(PAIR_ID_COLUMN);
      String where = "manifest " + uri + ", " + record.where() + (id == null ? "" : " (pair " + id + ")");
      if (id == null) {
        throw new IllegalArgumentException(where + ": empty pair_id");
      }
      Map<PairInput, String> uris = new EnumMap<>(PairInput.class);
      for (PairInput input : PairInput.values()) {
        String given = row.get(input.column());
        if (given == null && input.required()) {
          throw new IllegalArgumentException(where + ": empty '" + input.column() + "'");
        }
        uris.put(input, resolve(base, given, conf));
      }
      pairs.add(PairSpec.of(id, uris, overrides(row.get(OVERRIDES_COLUMN), where)));
    }
    return checkUnique(pairs, "manifest " + uri);
  }

  /** Every file matching {@code glob} registered to {@code template}; a pair's id is its file name without extension. */
  public static List<PairSpec> againstTemplate(String template, String glob, Configuration conf) {
    List<PairSpec> pairs = new ArrayList<>();
    String fixed = SCHEME.matcher(template).lookingAt() ? template : qualified(new Path(template), conf).toString();
    for (String moving : files(glob, conf)) {
      pairs.add(new PairSpec(stem(moving), fixed, moving, null, null, null, Map.of()));
    }
    return checkUnique(pairs, "images matching " + glob);
  }

  /** The files matching {@code glob}, sorted; refuses a glob that matches none. */
  private static List<String> files(String glob, Configuration conf) {
    Path pattern = new Path(glob);
    FileStatus[] matches;
    try {
      matches = pattern.getFileSystem(conf).globStatus(pattern);
    } catch (IOException e) {
      throw StorageAccess.failure("cannot list " + glob, e);
    }
    if (matches == null || matches.length == 0) {
      throw new IllegalArgumentException("no image matches " + glob);
    }
    return Arrays.stream(matches).filter(FileStatus::isFile).map(s -> s.getPath().toString()).sorted().toList();
  }

  /**
   * Pairs from file names: every file matching {@code glob} whose name matches {@code pattern}, a
   * regular expression with named groups {@code id} (the pair) and {@code role} (a {@link PairInput}
   * column: {@code fixed}, {@code moving}, {@code fixed_labels}, ...). Files that
   * do not match are ignored; an id without both a fixed and a moving file is refused.
   */
  public static List<PairSpec> byPattern(String glob, String pattern, Configuration conf) {
    java.util.regex.Pattern regex;
    try {
      regex = java.util.regex.Pattern.compile(pattern);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new IllegalArgumentException("--pair-pattern is not a regular expression: " + e.getMessage(), e);
    }
    if (!pattern.contains("?<id>") || !pattern.contains("?<role>")) {
      throw new IllegalArgumentException("--pair-pattern needs the named groups (?<id>...) and (?<role>...): " + pattern);
    }
    Map<String, Map<PairInput, String>> roles = new java.util.TreeMap<>();
    for (String file : files(glob, conf)) {
      java.util.regex.Matcher m = regex.matcher(new Path(file).getName());
      if (!m.matches()) {
        continue;
      }
      PairInput role = PairInput.ofColumn(m.group("role"));
      if (role == null) {
        throw new IllegalArgumentException(file + ": role '" + m.group("role") + "' is not one of "
            + PairInput.columns());
      }
      String previous = roles.computeIfAbsent(m.group("id"), id -> new EnumMap<>(PairInput.class)).put(role, file);
      if (previous != null) {
        throw new IllegalArgumentException("pair " + m.group("id") + " has two " + role + " files: " + previous
            + " and " + file);
      }
    }
    List<PairSpec> pairs = new ArrayList<>();
    roles.forEach((id, files) -> {
      if (!files.containsKey(PairInput.FIXED) || !files.containsKey(PairInput.MOVING)) {
        throw new IllegalArgumentException("pair " + id + " needs a fixed and a moving file, found " + files);
      }
      pairs.add(PairSpec.of(id, files, Map.of()));
    });
    return checkUnique(pairs, "files matching " + glob + " and " + pattern);
  }


  /** {@code key=value;key=value} as a map; empty or null gives none. */
  static Map<String, String> overrides(String text, String where) {
    Map<String, String> map = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return map;
    }
    for (String part : text.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(where + ": override '" + part.trim() + "' is not key=value");
      }
      String key = part.substring(0, eq).trim();
      if (map.put(key, part.substring(eq + 1).trim()) != null) {
        throw new IllegalArgumentException(where + ": override '" + key + "' is given twice");
      }
    }
    return map;
  }

  /** The manifest's rows; CSV and JSON lines read strictly on the driver, Parquet through Spark. */
  static ManifestText.Rows load(SparkSession spark, String uri, Configuration conf) {
    String lower = uri.toLowerCase(Locale.ROOT);
    boolean parquet = lower.endsWith(".parquet");
    boolean csv = lower.endsWith(".csv");
    boolean json = lower.endsWith(".json") || lower.endsWith(".jsonl") || lower.endsWith(".ndjson");
    if (!parquet && !csv && !json) {
      throw new IllegalArgumentException("manifest " + uri + ": unknown format (expected .csv, .jsonl/.json or "
          + ".parquet)");
    }
    FileStatus status = status(uri, conf);
    if (parquet) {
      Dataset<Row> table = spark.read().parquet(uri);
      List<ManifestText.Record> records = new ArrayList<>();
      int n = 0;
      for (Row row : table.collectAsList()) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String column : table.columns()) {
          Object value = row.get(row.fieldIndex(column));
          String text = value == null ? "" : value.toString().trim();
          if (!text.isEmpty()) {
            values.put(column, text);
          }
        }
        records.add(new ManifestText.Record("row " + ++n, values));
      }
      return new ManifestText.Rows(List.of(table.columns()), records);
    }
    if (status.isDirectory()) {
      throw new IllegalArgumentException("manifest " + uri + " is a folder; name the manifest file itself");
    }
    if (status.getLen() > MAX_TEXT_BYTES) {
      throw new IllegalArgumentException("manifest " + uri + " holds " + status.getLen() + " bytes, more than the "
          + MAX_TEXT_BYTES + " a CSV or JSON-lines manifest may; use Parquet for more pairs");
    }
    String text = ManifestText.utf8(bytes(uri, status, conf), uri);
    return csv ? ManifestText.csv(text, uri) : ManifestText.jsonLines(text, uri);
  }

  /** Text manifests are read whole on the driver: about a million pairs. */
  private static final long MAX_TEXT_BYTES = 256L << 20;

  /** Spark's own errors for a manifest it cannot reach are long and vague: say which and why first. */
  private static FileStatus status(String uri, Configuration conf) {
    Path path = new Path(uri);
    try {
      return path.getFileSystem(conf).getFileStatus(path);
    } catch (IOException e) {
      throw StorageAccess.failure("cannot read the manifest " + uri, e);
    }
  }

  private static byte[] bytes(String uri, FileStatus status, Configuration conf) {
    Path path = new Path(uri);
    try (var in = path.getFileSystem(conf).open(path)) {
      return in.readNBytes((int) status.getLen());
    } catch (IOException e) {
      throw StorageAccess.failure("cannot read the manifest " + uri, e);
    }
  }

  /**
   * A path relative to the manifest's folder, or absolute, as a fully qualified URI: executors do not
   * share the driver's working folder.
   */
  static String resolve(Path base, String path, Configuration conf) {
    if (path == null) {
      return null;
    }
    if (SCHEME.matcher(path).lookingAt()) {
      return path; // a URI already says where it is
    }
    return qualified(path.startsWith("/") ? new Path(path) : new Path(base, path), conf).toString();
  }

  static Path qualified(Path path, Configuration conf) {
    try {
      return path.getFileSystem(conf).makeQualified(path);
    } catch (IOException e) {
      throw StorageAccess.failure("cannot reach " + path, e);
    }
  }

  private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:");
  private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]+");

  private static List<PairSpec> checkUnique(List<PairSpec> pairs, String source) {
    checkIds(pairs.stream().map(PairSpec::pairId).toList(), PAIR_ID_COLUMN, source);
    return pairs;
  }

  /** Ids become folder names: letters, digits, '.', '_' and '-' only, each once, at least one. */
  static void checkIds(List<String> ids, String column, String source) {
    Set<String> seen = new HashSet<>();
    for (String id : ids) {
      if (!ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
        throw new IllegalArgumentException(source + ": " + column + " '" + id + "' may hold letters, digits, "
            + "'.', '_' and '-' only");
      }
      if (!seen.add(id)) {
        throw new IllegalArgumentException(source + ": " + column + " '" + id + "' appears more than once");
      }
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException(source + ": no rows");
    }
  }

  private static String stem(String path) {
    String name = new Path(path).getName();
    int dot = name.toLowerCase(Locale.ROOT).endsWith(".nii.gz") ? name.length() - 7 : name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
