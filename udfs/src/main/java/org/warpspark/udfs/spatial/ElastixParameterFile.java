package org.warpspark.udfs.spatial;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The syntax of elastix/transformix parameter files: one {@code (Name value value ...)} per line,
 * strings in double quotes, {@code //} comments. Parsing follows elastix's {@code itkParameterFileParser.cxx}:
 * tabs count as spaces, a quote starts a new value, empty values are dropped, a name may appear once.
 * Quoted and bare values are both kept as strings, as elastix does; the meaning is the reader's business
 * ({@link ElastixTransformParameters}).
 */
public final class ElastixParameterFile {
  private ElastixParameterFile() {}

  /** The parameters of {@code text} in file order; {@code source} names the file in errors. */
  public static Map<String, List<String>> parse(String text, String source) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    int lineNumber = 0;
    for (String raw : text.split("\r?\n|\r", -1)) {
      lineNumber++;
      String line = raw.replace('\t', ' ');
      int comment = line.indexOf("//");
      if (comment >= 0) {
        line = line.substring(0, comment);
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = source + " line " + lineNumber;
      if (!line.startsWith("(") || !line.endsWith(")")) {
        throw new TransformFileException(where + ": line is not between brackets: '" + raw + "'");
      }
      List<String> words = split(line.substring(1, line.length() - 1), where);
      if (words.size() < 2) {
        throw new TransformFileException(where + ": line does not hold a parameter name and a value: '" + raw + "'");
      }
      String name = words.get(0);
      if (map.containsKey(name)) {
        throw new TransformFileException(where + ": parameter '" + name + "' is given more than once");
      }
      map.put(name, Collections.unmodifiableList(new ArrayList<>(words.subList(1, words.size()))));
    }
    return Collections.unmodifiableMap(map);
  }

  private static List<String> split(String body, String where) {
    List<String> words = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < body.length(); i++) {
      char ch = body.charAt(i);
      if (ch == '"') {
        flush(current, words);
        quoted = !quoted;
      } else if (ch == ' ' && !quoted) {
        flush(current, words);
      } else {
        current.append(ch);
      }
    }
    if (quoted) {
      throw new TransformFileException(where + ": odd number of quotes");
    }
    flush(current, words);
    return words;
  }

  private static void flush(StringBuilder current, List<String> words) {
    if (current.length() > 0) {
      words.add(current.toString());
      current.setLength(0);
    }
  }

  /** Builds parameter file text line by line, in the order the lines are added. */
  public static final class Writer {
    private final StringBuilder text = new StringBuilder();

    /** {@code (name "v1" "v2" ...)}. */
    public Writer strings(String name, String... values) {
      text.append('(').append(name);
      for (String v : values) {
        if (v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.isEmpty()) {
          throw new IllegalArgumentException("elastix parameter " + name + " cannot hold the string '" + v + "'");
        }
        text.append(" \"").append(v).append('"');
      }
      text.append(")\n");
      return this;
    }

    /** {@code (name v1 v2 ...)} with {@link Double#toString(double)}, which reads back to the same bits. */
    public Writer numbers(String name, double... values) {
      text.append('(').append(name);
      for (double v : values) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("elastix parameter " + name + " must be finite, got " + v);
        }
        text.append(' ').append(v);
      }
      text.append(")\n");
      return this;
    }

    public Writer integers(String name, long... values) {
      text.append('(').append(name);
      for (long v : values) {
        text.append(' ').append(v);
      }
      text.append(")\n");
      return this;
    }

    public Writer comment(String line) {
      text.append("// ").append(line).append('\n');
      return this;
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
