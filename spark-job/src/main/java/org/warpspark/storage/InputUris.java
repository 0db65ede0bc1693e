package org.warpspark.storage;

import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * What an input location may be: a path, or a URI of one of {@link #SCHEMES}, with no credentials in
 * it. Other schemes (HTTP above all) would let a manifest or a header make a task send requests, and
 * credentials in a URI end up in logs and tables. The one place for both rules.
 */
public final class InputUris {
  /** The file systems inputs come from unless a run names others ({@link #SCHEMES_KEY}). */
  public static final List<String> SCHEMES = List.of("file", "hdfs", "s3a");
  /** What a run may add: plain web servers, opted into with {@code --input-schemes}. */
  public static final List<String> OPTIONAL_SCHEMES = List.of("http", "https");
  /** The Hadoop configuration key that carries a run's input schemes to its tasks. */
  public static final String SCHEMES_KEY = "warpspark.input.schemes";
  private static final String HIDDEN = "***";
  /** A scheme as written, read before Hadoop parses the text (which fails on some, such as {@code jar:}). */
  private static final java.util.regex.Pattern WRITTEN_SCHEME =
      java.util.regex.Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*):");

  private InputUris() {}

  /**
   * Whether {@code uri} carries user information ({@code s3a://key:secret@bucket/...}), whatever the
   * secret holds: a {@code /} in it ends the URI's authority early, so the text is read too (a
   * {@code :} before the first {@code @} after {@code ://}).
   */
  public static boolean holdsCredentials(String uri) {
    if (uri == null) {
      return false;
    }
    int start = uri.indexOf("://");
    if (start < 0) {
      return false;
    }
    int at = uri.indexOf('@', start + 3);
    if (at < 0) {
      return false;
    }
    if (uri.substring(start + 3, at).indexOf(':') >= 0) {
      return true;
    }
    try {
      return new Path(uri).toUri().getUserInfo() != null;
    } catch (IllegalArgumentException unparseable) {
      return true; // an '@' in a location no parser reads: hidden rather than risked
    }
  }

  /** {@code uri} with its credentials, if any, replaced by {@code ***}: safe for logs and tables. */
  public static String redacted(String uri) {
    if (!holdsCredentials(uri)) {
      return uri;
    }
    int start = uri.indexOf("://") + 3;
    return uri.substring(0, start) + HIDDEN + uri.substring(uri.indexOf('@', start));
  }

  /** The input schemes of the run {@code conf} belongs to: {@link #SCHEMES} unless it names others. */
  public static List<String> allowed(Configuration conf) {
    String named = conf == null ? null : conf.getTrimmed(SCHEMES_KEY);
    return named == null || named.isEmpty() ? SCHEMES : parse(named);
  }

  /**
   * A run's input schemes as given ({@code file,hdfs,s3a,https}); refuses any but those of
   * {@link #SCHEMES} and {@link #OPTIONAL_SCHEMES}.
   */
  public static List<String> parse(String schemes) {
    List<String> list = java.util.Arrays.stream(schemes.split(",")).map(x -> x.trim().toLowerCase(Locale.ROOT))
        .filter(x -> !x.isEmpty()).distinct().toList();
    for (String scheme : list) {
      if (!SCHEMES.contains(scheme) && !OPTIONAL_SCHEMES.contains(scheme)) {
        throw new IllegalArgumentException("--input-schemes: '" + scheme + "' is not one of " + SCHEMES + " or "
            + OPTIONAL_SCHEMES);
      }
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("--input-schemes names no scheme");
    }
    return list;
  }

  /** The scheme of {@code uri} (lower case) when it is not one of {@link #SCHEMES}, else null. */
  public static String refusedScheme(String uri) {
    return refusedScheme(uri, SCHEMES);
  }

  private static String refusedScheme(String uri, List<String> allowed) {
    java.util.regex.Matcher written = uri == null ? null : WRITTEN_SCHEME.matcher(uri);
    String scheme = written != null && written.lookingAt() ? written.group(1) : null;
    if (scheme == null && uri != null) {
      scheme = new Path(uri).toUri().getScheme();
    }
    if (scheme == null) {
      return null;
    }
    String lower = scheme.toLowerCase(Locale.ROOT);
    return allowed.contains(lower) ? null : lower;
  }

  /**
   * Why {@code uri} may not be opened as an input, or null: credentials in it (never repeated), or a
   * scheme inputs may not use. Checked before anything is looked up, so no request is ever sent.
   */
  public static String refusal(String uri, Configuration conf) {
    List<String> allowed = allowed(conf);
    if (holdsCredentials(uri)) {
      return CREDENTIALS;
    }
    String scheme;
    try {
      scheme = refusedScheme(uri, allowed);
    } catch (IllegalArgumentException e) {
      return "is not a valid path or URI: " + e.getMessage();
    }
    return scheme == null ? null : "inputs are not read over '" + scheme + ":'; this run reads paths and URIs of "
        + String.join(", ", allowed) + (OPTIONAL_SCHEMES.contains(scheme) ? " (--input-schemes can add " + scheme
        + ")" : " (a ':' in a file name reads as a scheme)");
  }

  private static final String CREDENTIALS = "the URI holds credentials; credentials are taken only from the standard "
      + "providers (docs/STORAGE.md), never from a location";

  /**
   * Outputs go only to the file systems of {@link #SCHEMES} (a web server is not written to), and never
   * to a location that holds credentials.
   */
  public static void requireOutputScheme(String uri, String what) {
    if (holdsCredentials(uri)) {
      throw new IllegalArgumentException(what + " " + redacted(uri) + ": " + CREDENTIALS);
    }
    String scheme = refusedScheme(uri);
    if (scheme != null) {
      throw new IllegalArgumentException(what + " " + redacted(uri) + ": outputs are written to paths or URIs of "
          + String.join(", ", SCHEMES) + ", not '" + scheme + ":'");
    }
  }
}
