package org.warpspark.qc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Links between the report's pages and pictures, relative wherever both lie on one store (one local
 * disk, one bucket), so that the report works opened from disk, copied elsewhere or served as it is.
 */
final class Links {
  /** A location's scheme and authority (if any), then its path. */
  private static final Pattern LOCATION = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*:(?://[^/]*)?)?(/.*)$");

  private Links() {}

  /**
   * The link from a page in folder {@code from} to {@code to}: a relative path when both are on the
   * same store, else {@code to} as it is. Path segments are percent-encoded where a browser needs it.
   */
  static String relative(String from, String to) {
    Matcher a = LOCATION.matcher(from);
    Matcher b = LOCATION.matcher(to);
    if (!a.matches() || !b.matches() || !String.valueOf(a.group(1)).equals(String.valueOf(b.group(1)))) {
      return to;
    }
    List<String> base = segments(a.group(2));
    List<String> target = segments(b.group(2));
    int common = 0;
    while (common < base.size() && common < target.size() - 1 && base.get(common).equals(target.get(common))) {
      common++;
    }
    StringBuilder link = new StringBuilder();
    for (int i = common; i < base.size(); i++) {
      link.append("../");
    }
    for (int i = common; i < target.size(); i++) {
      link.append(encode(target.get(i))).append(i < target.size() - 1 ? "/" : "");
    }
    return link.toString();
  }

  private static List<String> segments(String path) {
    List<String> parts = new ArrayList<>(Arrays.asList(path.split("/")));
    parts.removeIf(String::isEmpty);
    return parts;
  }

  /** Percent-encodes what a URL path segment cannot hold as it is. */
  static String encode(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~=".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append(String.format("%%%02X", b & 0xFF));
      }
    }
    return out.toString();
  }
}
