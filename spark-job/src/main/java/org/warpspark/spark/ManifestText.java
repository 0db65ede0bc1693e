package org.warpspark.spark;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CSV or JSON-lines manifest read strictly, line by line, so that every error names its line: a
 * row with more or fewer fields than the header, a quote left open, a line that is not one JSON
 * object. Spark's own readers drop surplus fields or turn a bad line into {@code _corrupt_record},
 * which would register the wrong pairs without a word.
 */
final class ManifestText {
  /** One row: where it is ("line N") and its non-empty values by column. */
  record Record(String where, Map<String, String> values) {}

  /** The columns a manifest names and its rows. */
  record Rows(List<String> columns, List<Record> records) {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private ManifestText() {}

  static String utf8(byte[] bytes, String uri) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("manifest " + uri + " is not UTF-8 text");
    }
  }

  /**
   * RFC 4180 CSV with a header line: fields separated by commas, a field that holds a comma or a quote
   * is quoted ({@code "stages=affine,deformable"}), a quote inside it doubled. Blank lines are skipped.
   */
  static Rows csv(String text, String uri) {
    List<List<String>> lines = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    int i = 0;
    int line = 1;
    while (i < text.length()) {
      int startLine = line;
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean ended = false;
      while (!ended) {
        if (i < text.length() && text.charAt(i) == '"') {
          i++;
          while (true) {
            char c = i < text.length() ? text.charAt(i++) : '\n';
            if (c == '"' && i < text.length() && text.charAt(i) == '"') {
              field.append('"');
              i++;
            } else if (c == '"') {
              break;
            } else {
              if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException("manifest " + uri + ", line " + line + ": a quote opened here is "
                    + "not closed on its line (ids, paths and overrides are one line each)");
              }
              field.append(c);
            }
          }
          if (i < text.length() && ",\r\n".indexOf(text.charAt(i)) < 0) {
            throw new IllegalArgumentException("manifest " + uri + ", line " + line + ": text after a closing quote"
                + " (a quote inside a quoted field is written twice: \"\")");
          }
        }
        while (i < text.length() && ",\r\n".indexOf(text.charAt(i)) < 0) {
          char c = text.charAt(i++);
          if (c == '"') {
            throw new IllegalArgumentException("manifest " + uri + ", line " + line + ": a quote inside an unquoted "
                + "field (quote the whole field and write the quote twice)");
          }
          field.append(c);
        }
        fields.add(field.toString());
        field.setLength(0);
        if (i >= text.length()) {
          ended = true;
        } else if (text.charAt(i) == ',') {
          i++;
        } else {
          i += text.startsWith("\r\n", i) ? 2 : 1;
          line++;
          ended = true;
        }
      }
      if (!(fields.size() == 1 && fields.get(0).isBlank())) {
        lines.add(fields);
        numbers.add(startLine);
      }
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("manifest " + uri + " is empty (it needs a header line and one line per "
          + "pair)");
    }
    List<String> header = lines.get(0).stream().map(String::trim).toList();
    requireDistinct(header, uri);
    List<Record> records = new ArrayList<>();
    for (int r = 1; r < lines.size(); r++) {
      List<String> fields = lines.get(r);
      String where = "line " + numbers.get(r);
      if (fields.size() != header.size()) {
        throw new IllegalArgumentException("manifest " + uri + ", " + where + " has " + fields.size() + " fields, "
            + "the header has " + header.size() + (fields.size() > header.size() ? "; a field that holds commas "
            + "(such as overrides=\"stages=affine,deformable\") must be quoted" : ""));
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (int c = 0; c < header.size(); c++) {
        put(values, header.get(c), fields.get(c));
      }
      records.add(new Record(where, values));
    }
    return new Rows(header, records);
  }

  /** One JSON object per line, with text, number or boolean values; blank lines are skipped. */
  static Rows jsonLines(String text, String uri) {
    List<Record> records = new ArrayList<>();
    Set<String> columns = new LinkedHashSet<>();
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      if (lines[n].isBlank()) {
        continue;
      }
      String where = "line " + (n + 1);
      JsonNode node;
      try {
        node = JSON.readTree(lines[n]);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("manifest " + uri + ", " + where + " is not JSON: "
            + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("manifest " + uri + ", " + where + " is not a JSON object (JSON lines: "
            + "one {\"pair_id\": ..., \"fixed\": ..., \"moving\": ...} per line)");
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        JsonNode value = entry.getValue();
        if (value.isContainerNode()) {
          throw new IllegalArgumentException("manifest " + uri + ", " + where + ": '" + entry.getKey() + "' holds "
              + (value.isArray() ? "an array" : "an object") + "; every value is text");
        }
        columns.add(entry.getKey());
        put(values, entry.getKey(), value.isNull() ? "" : value.asText());
      }
      records.add(new Record(where, values));
    }
    return new Rows(List.copyOf(columns), records);
  }

  private static void put(Map<String, String> values, String column, String value) {
    String trimmed = value.trim();
    if (!trimmed.isEmpty()) {
      values.put(column, trimmed);
    }
  }

  private static void requireDistinct(List<String> header, String uri) {
    var seen = new HashSet<String>();
    for (String column : header) {
      if (!seen.add(column)) {
        throw new IllegalArgumentException("manifest " + uri + ": the header names '" + column + "' twice");
      }
    }
  }
}
