package org.warpspark.qc;

import java.util.Locale;

/** Text and numbers as the report's HTML and SVG hold them. */
final class Markup {
  private Markup() {}

  static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&#39;");
  }

  /** Four significant digits; a dash for none. */
  static String number(Double v) {
    return v == null ? "\u2013" : String.format(Locale.ROOT, "%.4g", v);
  }
}
